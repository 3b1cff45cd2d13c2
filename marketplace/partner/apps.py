"""Oscar's partner app, forked under the same label for the marketplace
strategy (one producer per product, and the listing rule at the till)."""

import oscar.apps.partner.apps as apps


class PartnerConfig(apps.PartnerConfig):
    name = "marketplace.partner"

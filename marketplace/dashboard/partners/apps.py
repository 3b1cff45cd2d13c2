"""Oscar's partner dashboard, forked so that its list stays fast when every
OCOP producer is a partner (7,000 and more): paginated, with each page's
users and addresses read in two queries rather than two per partner. The
dashboard menu leads operators to the producers page instead
(settings.OSCAR_DASHBOARD_NAVIGATION); this list stays for Oscar's own
partners and for links that name it."""

from oscar.apps.dashboard.partners import apps


class PartnersDashboardConfig(apps.PartnersDashboardConfig):
    name = "marketplace.dashboard.partners"

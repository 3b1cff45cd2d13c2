"""Oscar's catalogue dashboard, forked to be staff-only (see
`marketplace.dashboard.permissions`); producers edit their own products in
the producer workspace."""

from oscar.apps.dashboard.catalogue import apps

from marketplace.dashboard.permissions import staff_only


class CatalogueDashboardConfig(apps.CatalogueDashboardConfig):
    name = "marketplace.dashboard.catalogue"

    def configure_permissions(self):
        super().configure_permissions()
        self.permissions_map = staff_only(self.permissions_map)

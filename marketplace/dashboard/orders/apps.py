"""Oscar's order dashboard, forked to be staff-only: it shows whole orders,
so a producer would see other producers' lines, totals and customers.
Producers see their own parcels in the producer workspace."""

from oscar.apps.dashboard.orders import apps

from marketplace.dashboard.permissions import staff_only


class OrdersDashboardConfig(apps.OrdersDashboardConfig):
    name = "marketplace.dashboard.orders"

    def configure_permissions(self):
        super().configure_permissions()
        self.permissions_map = staff_only(self.permissions_map)

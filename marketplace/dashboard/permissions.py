"""Who may use which dashboard screens.

Oscar lets a partner user into its catalogue and order dashboards, where
they see whole orders (other producers' lines and totals) and may edit
shared product fields (design.md §6). Producers work in the producer
workspace instead (`marketplace.producers.workspace`), so Oscar's own views
become staff-only.

Our own operator screens (registry, payments, producers, lockouts) are for
the site's staff alone: `OperatorDashboardConfig` wraps every URL of such
an area in Django's staff check, and tells Oscar's menu to show the area to
staff only."""

from django.contrib.admin.views.decorators import staff_member_required
from oscar.core.application import OscarDashboardConfig

# Not staff, signed in or not: the sign-in page, as Django's admin does.
staff_required = staff_member_required(login_url="customer:login")


def staff_only(permissions_map: dict) -> dict:
    """Drop the `(staff perms, partner access)` alternative from every entry."""
    return {
        name: perms[0] if isinstance(perms, tuple) else perms
        for name, perms in permissions_map.items()
    }


class OperatorDashboardConfig(OscarDashboardConfig):
    """A dashboard area for operators. `default_permissions` is what Oscar's
    menu (`dashboard.nav.default_access_fn`) checks before it shows an
    entry; `get_url_decorator` guards every view of the area, on top of the
    `staff_required` that each view carries itself."""

    default_permissions = ["is_staff"]

    def get_url_decorator(self, pattern):
        return staff_required

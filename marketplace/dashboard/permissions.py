"""Oscar lets a partner user into its catalogue and order dashboards, where
they see whole orders (other producers' lines and totals) and may edit
shared product fields (design.md §6). Producers work in the producer
workspace instead (`marketplace.producers.workspace`), so Oscar's own views
become staff-only."""


def staff_only(permissions_map: dict) -> dict:
    """Drop the `(staff perms, partner access)` alternative from every entry."""
    return {
        name: perms[0] if isinstance(perms, tuple) else perms
        for name, perms in permissions_map.items()
    }

"""The partner list, paginated and prefetched (see apps.py for why).
Oscar's other partner views are used as they are."""

from oscar.apps.dashboard.partners import views as oscar_views

PARTNERS_PER_PAGE = 50


class PartnerListView(oscar_views.PartnerListView):
    paginate_by = PARTNERS_PER_PAGE

    def get_queryset(self):
        return (
            super()
            .get_queryset()
            .prefetch_related("users", "addresses")
            .order_by(*self._ordering())
        )

    def _ordering(self) -> tuple[str, ...]:
        """Oscar sorts by name when asked; pages need a total order anyway."""
        sort = self.request.GET.get("sort")
        direction = "-" if self.request.GET.get("dir") == "desc" else ""
        return (f"{direction}name", "pk") if sort == "name" else ("name", "pk")

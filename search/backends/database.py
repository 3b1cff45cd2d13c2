"""The database search backend (the embedded default, and the fallback
when OpenSearch is down). Same contract as the OpenSearch backend; it folds
Vietnamese the same way, but has no typo tolerance."""

from django.db.models import Count
from oscar.core.loading import get_model

from search.backends.base import FACETS, SearchRequest, SearchResult
from search.folding import fold

FACET_COLUMNS = {
    "stars": "certificate__stars",
    "sector": "certificate__sector",
    "province": "certificate__producer__province",
}
assert set(FACET_COLUMNS) == set(FACETS)


class DatabaseBackend:
    """Search `Product.objects.listable(on)` with folded substring matching."""

    def search(self, request: SearchRequest) -> SearchResult:
        Product = get_model("catalogue", "Product")
        matching = Product.objects.listable(request.on)
        for word in fold(request.text).split():
            matching = matching.filter(search_text__contains=word)
        facets = {
            name: [
                (str(row["value"]), row["count"])
                for row in matching.values(value=_column(name))
                .annotate(count=Count("pk"))
                .order_by("-count", "value")
                if row["value"] not in (None, "")
            ]
            for name in FACETS
        }
        selected = matching
        for name, values in request.filters.items():
            if name in FACET_COLUMNS and values:
                selected = selected.filter(**{f"{FACET_COLUMNS[name]}__in": values})
        ids = list(
            selected.order_by("-date_created", "-pk").values_list("pk", flat=True)[
                request.offset : request.offset + request.limit
            ]
        )
        return SearchResult(ids=ids, total=selected.count(), facets=facets)


def _column(name: str):
    from django.db.models import F

    return F(FACET_COLUMNS[name])

"""The database search backend (the embedded default, and the fallback
when OpenSearch is down). Same contract as the OpenSearch backend; it folds
Vietnamese the same way, but has no typo tolerance and no text scoring:
"relevance" here means most popular, then newest."""

from django.db.models import Count, Exists, F, OuterRef, Q, Subquery, Value
from django.db.models.functions import Coalesce
from oscar.core.loading import get_model

from search.backends.base import FACET_SIZE, FACETS, PRICE_RANGES, SearchRequest, SearchResult
from search.folding import fold
from search.popularity import popularity_expression

TERM_COLUMNS = {
    "stars": "certificate__stars",
    "sector": "certificate__sector",
    "group": "certificate__product_type",
    "province": "certificate__producer__province",
    "producer": "certificate__producer_id",
}

ORDERINGS = {
    "relevance": ("-popularity", "-date_created", "-pk"),
    "popular": ("-popularity", "-date_created", "-pk"),
    "newest": ("-date_created", "-pk"),
    "price_asc": ("price", "-pk"),
    "price_desc": ("-price", "-pk"),
    "stars": ("-certificate__stars", "-popularity", "-date_created", "-pk"),
}


def _price_q(key: str) -> Q:
    low, high = PRICE_RANGES[key]
    q = Q()
    if low is not None:
        q &= Q(price__gte=low)
    if high is not None:
        q &= Q(price__lt=high)
    return q


def _selection_q(name: str, values: list[str]) -> Q:
    """The condition one facet's selected values put on the product rows."""
    if name in TERM_COLUMNS:
        return Q(**{f"{TERM_COLUMNS[name]}__in": values})
    if name == "price":
        q = Q(pk__in=[])
        for key in values:
            if key in PRICE_RANGES:
                q |= _price_q(key)
        return q
    if name == "in_stock":
        return Q(in_stock=True) if "1" in values else Q()
    raise KeyError(name)


class DatabaseBackend:
    """Search `Product.objects.listable(on)` with folded substring matching."""

    def matching(self, request: SearchRequest):
        """The listable products the text and category allow, with the
        columns facets and sorting need; facet selections are not applied."""
        Product = get_model("catalogue", "Product")
        StockRecord = get_model("partner", "StockRecord")
        ProductCategory = get_model("catalogue", "ProductCategory")
        matching = Product.objects.listable(request.on)
        for word in fold(request.text).split():
            matching = matching.filter(search_text__contains=word)
        if request.category_ids:
            matching = matching.filter(
                Exists(
                    ProductCategory.objects.filter(
                        product=OuterRef("pk"), category_id__in=request.category_ids
                    )
                )
            )
        priced = StockRecord.objects.filter(product=OuterRef("pk"), price__isnull=False)
        return matching.alias(
            price=Subquery(priced.order_by("price").values("price")[:1]),
            in_stock=Exists(priced.filter(num_in_stock__gt=Coalesce(F("num_allocated"), Value(0)))),
        )

    def search(self, request: SearchRequest) -> SearchResult:
        matching = self.matching(request)
        chosen = {name: _selection_q(name, v) for name, v in request.selections().items()}
        facets = {}
        if request.with_facets:
            for name in FACETS:
                others = [q for other, q in chosen.items() if other != name]
                facets[name] = _facet_counts(matching.filter(*others), name)
        selected = matching.filter(*chosen.values())
        order = ORDERINGS.get(request.sort, ORDERINGS["relevance"])
        ordered = selected
        if "-popularity" in order:
            ordered = ordered.alias(popularity=popularity_expression())
        ids = list(
            ordered.order_by(*order).values_list("pk", flat=True)[
                request.offset : request.offset + request.limit
            ]
        )
        return SearchResult(ids=ids, total=selected.count(), facets=facets)

    def suggest(self, *, on, text: str, limit: int = 8) -> list[int]:
        request = SearchRequest(on=on, text=text, sort="popular", limit=limit, with_facets=False)
        return self.search(request).ids


def _facet_counts(rows, name: str) -> list[tuple[str, int]]:
    if name == "price":
        counts = rows.aggregate(**{key: Count("pk", filter=_price_q(key)) for key in PRICE_RANGES})
        return [(key, counts[key]) for key in PRICE_RANGES if counts[key]]
    if name == "in_stock":
        count = rows.filter(in_stock=True).count()
        return [("1", count)] if count else []
    buckets = (
        rows.values(value=F(TERM_COLUMNS[name]))
        .annotate(count=Count("pk"))
        .order_by("-count", "value")
    )
    buckets = [(str(b["value"]), b["count"]) for b in buckets if b["value"] not in (None, "")]
    return buckets[: FACET_SIZE.get(name, 50)]

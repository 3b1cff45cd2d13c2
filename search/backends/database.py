"""The database search backend (the embedded default, and the fallback
when OpenSearch is down). Same contract as the OpenSearch backend, and it
folds Vietnamese the same way.

Each word of the query is looked for in the product's folded search text
(title, producer, description: catalogue/search_text.py). When every word is found
as typed, that is the answer, exactly as before typos were forgiven. Only
when nothing matches that way may each word of 4 letters or more match a
whole word one typo away (search/typos.py), so "gom su bat trag" finds
"Gốm sứ Bát Tràng"; the best `TYPO_MATCHES` such products are
the answer.

"relevance" puts products with every word in the title first, then those
with more words found as typed, then the most popular, then the newest:
"tra sen" shows "Trà sen" before a vase whose description mentions it. There
is no other text scoring.
"""

from django.db.models import Case, Count, Exists, F, OuterRef, Q, Subquery, Value, When
from django.db.models.functions import Coalesce, Left, Length
from django.db.models.lookups import Contains, Regex
from oscar.core.loading import get_model

from marketplace.ocop.text import fold
from search.backends.base import FACET_SIZE, FACETS, PRICE_RANGES, SearchRequest, SearchResult
from search.popularity import popularity_expression
from search.typos import one_typo_pattern, tolerates_typo

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
# At most this many products match a query only with typos
TYPO_MATCHES = 500
# "relevance" when there is text: the ranks `_text_matching` aliases first
TEXT_RELEVANCE = ("-title_match", "-exact_words", *ORDERINGS["relevance"])


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


def _folded_title():
    """The folded title, in SQL: the search text starts with it, and folding
    keeps a (NFC) title's length, as each marked letter folds to one."""
    return Left(F("search_text"), Length("title"))


def _word_q(text, word: str, *, typos: bool) -> Q:
    """`word` found in `text` (an expression): anywhere, as typed, or, with
    `typos`, as a whole word one typo away."""
    found = Q(Contains(text, word))
    if typos and tolerates_typo(word):
        found |= Q(Regex(text, one_typo_pattern(word)))
    return found


def _text_matching(rows, words: list[str]):
    """`rows` holding every word, ranked for "relevance" by the aliases
    `title_match` (1 when the title holds every word) and `exact_words` (how
    many words were found as typed).

    A word may be one typo off only when no row holds every word as typed.
    Then the typo test, a regular expression no index fully answers, reads
    the rows once: the best `TYPO_MATCHES` are kept by id, so the count and
    the facet counts that follow do not read them again (about 100 ms a
    read at 20,000 products on PostgreSQL)."""
    search_text = F("search_text")
    exact = rows.filter(*[_word_q(search_text, word, typos=False) for word in words])
    if not any(tolerates_typo(word) for word in words) or exact.exists():
        return _ranked(exact, words, typos=False)
    near = rows.filter(*[_word_q(search_text, word, typos=True) for word in words])
    best = _ranked(near, words, typos=True).alias(popularity=popularity_expression())
    ids = list(best.order_by(*TEXT_RELEVANCE).values_list("pk", flat=True)[:TYPO_MATCHES])
    return _ranked(rows.filter(pk__in=ids), words, typos=True)


def _ranked(matching, words: list[str], *, typos: bool):
    """`matching` with the aliases `title_match` and `exact_words`."""
    if typos:
        found = [Contains(F("search_text"), word) for word in words]
        exact_words = sum((Case(When(f, then=1), default=0) for f in found), Value(0))
    else:
        exact_words = Value(len(words))
    in_title = Q(*[_word_q(_folded_title(), word, typos=typos) for word in words])
    return matching.alias(
        title_match=Case(When(in_title, then=Value(1)), default=Value(0)),
        exact_words=exact_words,
    )


class DatabaseBackend:
    """Search `Product.objects.listable(on)` with folded substring matching,
    one typo per word forgiven when that finds nothing."""

    def matching(self, request: SearchRequest):
        """The listable products the text and category allow, with the
        columns facets and sorting need; facet selections are not applied."""
        Product = get_model("catalogue", "Product")
        StockRecord = get_model("partner", "StockRecord")
        ProductCategory = get_model("catalogue", "ProductCategory")
        matching = Product.objects.listable(request.on)
        if request.category_ids:
            matching = matching.filter(
                Exists(
                    ProductCategory.objects.filter(
                        product=OuterRef("pk"), category_id__in=request.category_ids
                    )
                )
            )
        words = fold(request.text).split()
        if words:
            matching = _text_matching(matching, words)
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
        sort = request.sort if request.sort in ORDERINGS else "relevance"
        order = ORDERINGS[sort]
        if sort == "relevance" and fold(request.text).split():
            order = TEXT_RELEVANCE
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

    def headline(self, *, on) -> dict[str, int]:
        """How many products are listable on `on`, and from how many producers."""
        Product = get_model("catalogue", "Product")
        return Product.objects.listable(on).aggregate(
            products=Count("pk"), producers=Count("certificate__producer", distinct=True)
        )


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

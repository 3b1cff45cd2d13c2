"""The OpenSearch search backend (full stack).

The listing rule is applied here at query time with the caller's date, so
what search returns is what `Product.objects.listable(on=date)` returns.
Dates need no reindex; a change of status, producer, price or visibility
does, and until its reindex has run a stale document can still match. The
listing pages show hits through product cards only, and a cached card is
proof that the rule accepted its product under the current catalogue
version, while a hit with no card is read through `listable()` first
(catalogue/cards.py): so showing hits without reading rows stays exact.
"""

from datetime import date

from opensearchpy import OpenSearch, Q, Search

from marketplace.ocop.models import MIN_CERTIFIED_STARS, CertificateStatus
from marketplace.ocop.text import fold, nfc
from search.backends.base import FACET_SIZE, FACETS, PRICE_RANGES, SearchRequest, SearchResult
from search.indexing import ALIAS
from search.typos import MIN_TYPO_LENGTH, tolerates_typo

TERM_FIELDS = {
    "stars": "stars",
    "sector": "sector",
    "group": "product_type",
    "province": "province",
    "producer": "producer_id",
}

SORT_ORDERS = {
    "relevance": ["_score", {"popularity": "desc"}, {"date_created": "desc"}],
    "popular": [{"popularity": "desc"}, {"date_created": "desc"}, {"product_id": "desc"}],
    "newest": [{"date_created": "desc"}, {"product_id": "desc"}],
    "price_asc": [{"price": "asc"}, {"product_id": "desc"}],
    "price_desc": [{"price": "desc"}, {"product_id": "desc"}],
    "stars": [{"stars": "desc"}, {"popularity": "desc"}, {"date_created": "desc"}],
}


def listing_rule_filters(on: date) -> list[Q]:
    """`Product.objects.listable(on)` restated for the index, which cannot run
    SQL; the contract tests hold the two to the same answers."""
    day = on.isoformat()
    return [
        Q("term", certificate_status=CertificateStatus.VALID.value),
        Q("range", stars={"gte": MIN_CERTIFIED_STARS}),
        Q("range", issued_on={"lte": day}),
        Q("range", expiry_date={"gte": day}),
        Q("term", producer_active=True),
        Q("term", is_public=True),
        Q("term", has_price=True),
    ]


def text_query(text: str, *, typos: bool = False) -> Q:
    """Accented matches first, folded matches next; a product matches only
    when each word is found in it. With `typos`, a title word may also be
    one typo off (the second ask, see `OpenSearchBackend.search`)."""
    text = nfc(text)
    should = [
        Q("match_phrase", title={"query": text, "boost": 6}),
        Q("match", title={"query": text, "boost": 4, "operator": "and"}),
        Q("match", **{"title.folded": {"query": text, "boost": 2, "operator": "and"}}),
        # every word somewhere in the title, producer or description, as
        # the database backend asks: one word alone in a description
        # matched 40% of a 100,000-product catalogue, whose facets were
        # then counted over all of it
        Q(
            "multi_match",
            query=text,
            type="cross_fields",
            operator="and",
            fields=["title.folded", "producer.folded^0.5", "description.folded^0.3"],
            boost=0.3,
        ),
    ]
    if typos:
        should.append(
            Q(
                "match",
                **{
                    "title.folded": {
                        "query": text,
                        "fuzziness": TYPO_FUZZINESS,
                        "prefix_length": 0,
                        "operator": "and",
                    }
                },
            )
        )
    return Q("bool", should=should, minimum_should_match=1)


# One edit for a word of MIN_TYPO_LENGTH letters or more, none below: the
# database backend's rule (search/typos.py). OpenSearch's own "AUTO" also
# guessed at 3-letter words ("tra" found "tre" and "tro": 22,530 products
# of 100,000 instead of 10,192) and allowed two edits from 6 letters.
TYPO_FUZZINESS = f"AUTO:{MIN_TYPO_LENGTH},1000"


def _tolerates_typos(text: str) -> bool:
    return any(tolerates_typo(word) for word in fold(text).split())


def _price_bucket(key: str) -> dict:
    """One `range` aggregation bucket for a price band."""
    low, high = PRICE_RANGES[key]
    return {
        "key": key,
        **({"from": low} if low is not None else {}),
        **({"to": high} if high is not None else {}),
    }


def _price_filter(key: str) -> Q:
    low, high = PRICE_RANGES[key]
    bounds = {"gte": low, "lt": high}
    return Q("range", price={k: v for k, v in bounds.items() if v is not None})


def selection_query(name: str, values: list[str]) -> Q:
    """The condition one facet's selected values put on the documents."""
    if name in TERM_FIELDS:
        return Q("terms", **{TERM_FIELDS[name]: values})
    if name == "price":
        bands = [_price_filter(key) for key in values if key in PRICE_RANGES]
        return Q("bool", should=bands, minimum_should_match=1)
    if name == "in_stock":
        return Q("term", in_stock=True) if "1" in values else Q("match_all")
    raise KeyError(name)


def with_popularity(query: Q) -> Q:
    """Add a gentle popularity boost to a text score: it breaks near-ties
    between equally good matches without beating a better match."""
    return Q(
        "function_score",
        query=query,
        functions=[
            {
                "field_value_factor": {
                    "field": "popularity",
                    "modifier": "log1p",
                    "factor": 1,
                    "missing": 0,
                },
                "weight": 0.5,
            }
        ],
        boost_mode="sum",
    )


# What a search page reads of OpenSearch's answer (its `filter_path`).
ANSWER_FIELDS = [
    "hits.total.value",
    "hits.hits._id",
    "aggregations.*.*.doc_count",
    "aggregations.*.*.buckets.key",
    "aggregations.*.*.buckets.doc_count",
    "aggregations.matched.doc_count",
]

# The count of products the words match before any facet selection (an
# aggregation sees the query's matches, `post_filter` comes after): whether
# typos are forgiven is decided on it, as in the database backend.
MATCHED = "matched"


class OpenSearchBackend:
    """Search products through the alias `settings.OPENSEARCH_PRODUCTS_ALIAS` names."""

    def __init__(self, client: OpenSearch) -> None:
        self.client = client

    def _base(self, request: SearchRequest) -> Search:
        search = Search(using=self.client, index=ALIAS).filter(
            "bool", filter=listing_rule_filters(request.on)
        )
        if request.category_ids:
            search = search.filter("terms", categories=request.category_ids)
        return search

    def build(self, request: SearchRequest, *, typos: bool = False) -> Search:
        """The query for `request` (the benchmark sends it straight to OpenSearch too)."""
        search = self._base(request)
        if request.text.strip():
            search = search.query(with_popularity(text_query(request.text, typos=typos)))
        chosen = {name: selection_query(name, v) for name, v in request.selections().items()}
        if chosen:
            search = search.post_filter("bool", filter=list(chosen.values()))
            if request.text.strip() and not typos:
                search.aggs.bucket(MATCHED, "filter", Q("match_all"))
        if request.with_facets:
            # Each facet counts under every selection but its own (so a
            # chosen province still lists the others). Facets with the same
            # selections share one `filter` scope: the filter is then matched
            # once, not once per facet (a fifth of the query's time at 100,000
            # products, for the same counts).
            scopes = {}
            for name in FACETS:
                scope_name = _facet_scope(name, chosen)
                if scope_name not in scopes:
                    others = [q for other, q in chosen.items() if other != name]
                    scopes[scope_name] = search.aggs.bucket(
                        scope_name, "filter", Q("bool", filter=others)
                    )
                _facet_agg(scopes[scope_name], name)
        sort = request.sort if request.sort in SORT_ORDERS else "relevance"
        search = search.sort(*SORT_ORDERS[sort]).extra(track_total_hits=True)
        return search.source(False)[request.offset : request.offset + request.limit]

    def search(self, request: SearchRequest) -> SearchResult:
        """Words as typed first. Only when they match nothing, facet
        selections aside, and a word is long enough to guess at, is
        OpenSearch asked again with typos forgiven: the database backend's
        contract, and a fuzzy clause on every search was a third of
        OpenSearch's time at 100,000 products. A selection that empties a
        match does not count as nothing: it asked again for 58% of the
        benchmark's faceted searches, and showed products one typo off
        inside the selection where the database backend shows none."""
        answer = self._ask(request, typos=False)
        if not _matched(answer) and _tolerates_typos(request.text):
            answer = self._ask(request, typos=True)
        hits = answer.get("hits", {})
        aggregations = answer.get("aggregations", {})
        facets = {}
        if request.with_facets:
            chosen = request.selections()
            for name in FACETS:
                scope = aggregations.get(_facet_scope(name, chosen), {})
                facets[name] = _facet_buckets(scope.get(name, {}), name)
        return SearchResult(
            ids=[int(hit["_id"]) for hit in hits.get("hits", [])],
            total=_total(answer),
            facets=facets,
        )

    def _ask(self, request: SearchRequest, *, typos: bool) -> dict:
        # The DSL's Response wraps every hit and bucket in an AttrDict; a
        # page needs only ids, the total and bucket counts, so it asks for
        # just those (`filter_path`) and reads the plain JSON.
        return self.client.search(
            index=ALIAS, body=self.build(request, typos=typos).to_dict(), filter_path=ANSWER_FIELDS
        )

    def suggest(self, *, on, text: str, limit: int = 8) -> list[int]:
        """Products whose title starts like `text` (folded), best first."""
        text = nfc(text)
        if not text:
            return []
        search = self._base(SearchRequest(on=on)).query(
            with_popularity(
                Q(
                    "multi_match",
                    query=text,
                    type="bool_prefix",
                    operator="and",
                    fields=["title_suggest", "title_suggest._2gram", "title_suggest._3gram"],
                )
            )
        )
        response = search.source(False)[:limit].execute()
        return [int(hit.meta.id) for hit in response]

    def headline(self, *, on) -> dict[str, int]:
        """How many products are listable on `on` (exact), and from about
        how many producers: the home page's figures. The index answers in
        milliseconds what the database answers by reading every listable
        product (0.3 s at 100,000 products on a quiet machine, 3 s at load
        10, paid by the first home visitor after each catalogue change)."""
        search = self._base(SearchRequest(on=on)).extra(size=0, track_total_hits=True)
        search.aggs.metric(
            "producers",
            "cardinality",
            field="producer_id",
            precision_threshold=PRODUCER_COUNT_NEAR_EXACT_BELOW,
        )
        answer = self.client.search(
            index=ALIAS,
            body=search.to_dict(),
            filter_path=["hits.total.value", "aggregations.producers.value"],
        )
        return {
            "products": answer.get("hits", {}).get("total", {}).get("value", 0),
            "producers": answer.get("aggregations", {}).get("producers", {}).get("value", 0),
        }


# Producers are counted with a `cardinality` aggregation: an estimate, but
# one kept near exact below this threshold (OpenSearch's maximum). Measured
# at 100,000 products: 36,622 for 36,621 producers, in 19 ms, where an exact
# count (the database's, or paging every producer id out of the index)
# takes 200-400 ms. A headline figure can be one in 36,000 off; a listing
# cannot, and listings never use this.
PRODUCER_COUNT_NEAR_EXACT_BELOW = 40_000


def _total(answer: dict) -> int:
    return answer.get("hits", {}).get("total", {}).get("value", 0)


def _matched(answer: dict) -> int:
    """How many products the words matched before facet selections: the
    `MATCHED` count when selections were made, else the total."""
    matched = answer.get("aggregations", {}).get(MATCHED)
    return matched.get("doc_count", 0) if matched is not None else _total(answer)


def _facet_scope(name: str, chosen) -> str:
    """The aggregation scope a facet is counted in: its own when it is one
    of the visitor's selections, else the one for all of them."""
    return f"all_but_{name}" if name in chosen else "all"


def _facet_agg(scope, name: str) -> None:
    if name in TERM_FIELDS:
        scope.bucket(name, "terms", field=TERM_FIELDS[name], size=FACET_SIZE.get(name, 50))
    elif name == "price":
        scope.bucket(
            name,
            "range",
            field="price",
            keyed=False,
            ranges=[_price_bucket(key) for key in PRICE_RANGES],
        )
    elif name == "in_stock":
        scope.bucket(name, "filter", Q("term", in_stock=True))


def _facet_buckets(values: dict, name: str) -> list[tuple[str, int]]:
    if name == "in_stock":
        count = values.get("doc_count", 0)
        return [("1", count)] if count else []
    return [
        (str(bucket["key"]), bucket["doc_count"])
        for bucket in values.get("buckets", [])
        if bucket.get("doc_count")
    ]

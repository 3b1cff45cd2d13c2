"""The OpenSearch search backend (full stack).

The listing rule is applied here at query time with the caller's date, so
what search returns is what `Product.objects.listable(on=date)` returns.
"""

from datetime import date

from opensearchpy import OpenSearch, Q, Search

from marketplace.registry.models import MIN_CERTIFIED_STARS, CertificateStatus
from search.backends.base import SearchRequest, SearchResult
from search.folding import nfc
from search.indexing import ALIAS

FACET_FIELDS = {"stars": "stars", "sector": "sector", "province": "province"}


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


def text_query(text: str) -> Q:
    """Accented matches first, folded matches next, typos tolerated last."""
    text = nfc(text)
    return Q(
        "bool",
        should=[
            Q("match_phrase", title={"query": text, "boost": 6}),
            Q("match", title={"query": text, "boost": 4, "operator": "and"}),
            Q("match", **{"title.folded": {"query": text, "boost": 2, "operator": "and"}}),
            Q(
                "match",
                **{
                    "title.folded": {
                        "query": text,
                        "fuzziness": "AUTO",
                        "prefix_length": 1,
                        "operator": "and",
                    }
                },
            ),
            Q("match", **{"producer.folded": {"query": text, "boost": 0.5}}),
            Q("match", **{"description.folded": {"query": text, "boost": 0.3}}),
        ],
        minimum_should_match=1,
    )


class OpenSearchBackend:
    """Search products in the `ocop-products` alias."""

    def __init__(self, client: OpenSearch) -> None:
        self.client = client

    def search(self, request: SearchRequest) -> SearchResult:
        search = Search(using=self.client, index=ALIAS).filter(
            "bool", filter=listing_rule_filters(request.on)
        )
        if request.text.strip():
            search = search.query(text_query(request.text))
        selected = [
            Q("terms", **{FACET_FIELDS[name]: values})
            for name, values in request.filters.items()
            if name in FACET_FIELDS and values
        ]
        if selected:
            search = search.post_filter("bool", filter=selected)
        for name, field_name in FACET_FIELDS.items():
            search.aggs.bucket(name, "terms", field=field_name, size=50)
        search = search.source(False)[request.offset : request.offset + request.limit]
        response = search.execute()
        facets = {
            name: [(str(b.key), b.doc_count) for b in getattr(response.aggregations, name).buckets]
            for name in FACET_FIELDS
        }
        return SearchResult(
            ids=[int(hit.meta.id) for hit in response],
            total=response.hits.total.value,
            facets=facets,
        )

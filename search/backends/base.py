"""The one interface every search backend answers.

Facet counts follow the usual shop convention: each facet is counted with
every *other* facet's selection applied but not its own, so ticking "4 sao"
still shows how many 3★ and 5★ products the other choices would give.
"""

from dataclasses import dataclass, field
from datetime import date

FACETS = ("stars", "sector", "group", "province", "producer", "price", "in_stock")

# Price bands in whole đồng: key -> (from, to), `to` exclusive; None is open.
PRICE_RANGES: dict[str, tuple[int | None, int | None]] = {
    "0-100000": (None, 100_000),
    "100000-300000": (100_000, 300_000),
    "300000-1000000": (300_000, 1_000_000),
    "1000000-": (1_000_000, None),
}

SORTS = ("relevance", "popular", "newest", "price_asc", "price_desc", "stars")

# How many values a long facet offers (the rest are reachable by search).
FACET_SIZE = {"province": 40, "producer": 15}


@dataclass
class SearchRequest:
    """What a shopper asked for: free text, facet selections, an optional
    category (the category and its descendants, as ids), a sort and a page."""

    on: date
    text: str = ""
    filters: dict[str, list[str]] = field(default_factory=dict)
    category_ids: list[int] = field(default_factory=list)
    sort: str = "relevance"
    offset: int = 0
    limit: int = 24
    with_facets: bool = True

    def selections(self) -> dict[str, list[str]]:
        """Known facets with at least one value; unknown names are ignored."""
        return {name: values for name, values in self.filters.items() if name in FACETS and values}


@dataclass
class SearchResult:
    ids: list[int]
    total: int
    facets: dict[str, list[tuple[str, int]]]
    # False when the answer came from the fallback, which leaves facet
    # counts out (search.backends.resilient): the page says so.
    facets_counted: bool = True

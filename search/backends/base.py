"""The one interface every search backend answers."""

from dataclasses import dataclass, field
from datetime import date

FACETS = ("stars", "sector", "province")


@dataclass
class SearchRequest:
    """What a shopper asked for: free text plus facet selections."""

    on: date
    text: str = ""
    filters: dict[str, list[str]] = field(default_factory=dict)
    offset: int = 0
    limit: int = 24


@dataclass
class SearchResult:
    ids: list[int]
    total: int
    facets: dict[str, list[tuple[str, int]]]

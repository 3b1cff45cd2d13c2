"""Read-only queries the CMS pages and blocks use.

They know no page class: a page hands them what they need (its producers'
ids, the village pages to count), so blocks and pages both import them and
nothing here imports back.

Every product a page shows comes through `Product.objects.listable()`, so a
product whose certificate expires drops off published pages by itself.

No page scans the catalogue per request: query-mode blocks and
village products ask the search backend (OpenSearch, or the database through
indexed columns when it is down), and what must count the whole catalogue
(the home page's figures) is counted once per catalogue version.
"""

import hashlib
import unicodedata

from django.core.cache import cache
from django.db.models import Count, OuterRef, QuerySet, Subquery
from django.db.models.functions import Coalesce
from oscar.core.loading import get_model

from catalogue.listing import listable_in_order
from marketplace.ocop import dates as ocop_dates
from marketplace.ocop.models import MIN_CERTIFIED_STARS, Producer
from marketplace.pagecache.fragments import fragment, fragment_key
from marketplace.pagecache.generation import catalogue_version
from search.backends import search_backend
from search.backends.base import SearchRequest

Product = get_model("catalogue", "Product")

# The most stars a certificate carries (design.md §7: 1★ to 5★).
MAX_STARS = 5
# Seconds a query block's search answer is reused within one catalogue version.
BLOCK_IDS_TTL = 60


def featured_products(*, limit: int):
    """The newest listable products, for the home page."""
    return Product.objects.listable().for_cards().order_by("-date_created", "-pk")[:limit]


def _today():
    # looked up at call time, so a test (or midnight) moving "today" moves it here too
    return ocop_dates.today_in_vietnam()


def block_products(
    *,
    chosen_ids: list[int],
    sector: str = "",
    min_stars: int | None = None,
    province: str = "",
    producer_ids: list[int] | None = None,
    limit: int = 8,
) -> list:
    """A product block's products as of today: the chosen ones (in the
    editor's order) that are still listable, or else those matching the
    query, best-rated first. `producer_ids` narrows the query to those
    producers (a village's: `CraftVillagePage.producer_ids()`).

    A query goes through the search backend, which applies the listing rule
    with today's date on indexed fields (province, producer, sector, stars),
    as the shop's listings do; its ids are kept per catalogue version, and
    the products behind them pass `listable()` again when they are read."""
    on = _today()
    if chosen_ids:
        listable = Product.objects.listable(on).for_cards()
        found = {p.pk: p for p in listable.filter(pk__in=chosen_ids)}
        return [found[pk] for pk in chosen_ids if pk in found][:limit]
    version = catalogue_version(on)  # one read of the generation for the whole block
    filters: dict[str, list[str]] = {}
    if sector:
        filters["sector"] = [sector]
    if min_stars:
        low = max(int(min_stars), MIN_CERTIFIED_STARS)
        filters["stars"] = [str(stars) for stars in range(low, MAX_STARS + 1)]
    if province:
        filters["province"] = provinces_matching(province, version=version)
    if producer_ids is not None:
        filters["producer"] = [str(pk) for pk in sorted(producer_ids)]
    if any(values == [] for values in filters.values()):
        return []  # a province or village with no producer: nothing can match
    request = SearchRequest(on=on, filters=filters, sort="stars", limit=limit, with_facets=False)
    return listable_in_order(_searched_ids(request, version), on)


def _searched_ids(request: SearchRequest, version: str | None) -> list[int]:
    """The ids the search backend answers `request` with, kept per catalogue
    version for at most BLOCK_IDS_TTL seconds: a change bumps the version at
    commit, but reaches the search index a moment later (after the reindex
    task), and ids read in between must not stand for the version's life."""
    if version is None:
        return search_backend().search(request).ids
    asked = repr((sorted(request.filters.items()), request.sort, request.limit))
    digest = hashlib.sha1(asked.encode(), usedforsecurity=False).hexdigest()
    key = fragment_key("block-ids", digest, version)
    ids = cache.get(key)
    if not isinstance(ids, list):
        ids = search_backend().search(request).ids
        cache.set(key, ids, BLOCK_IDS_TTL)
    return ids


def _casefold(text: str) -> str:
    return unicodedata.normalize("NFC", text).casefold()


def producer_provinces(*, version: str | None = None) -> list[str]:
    """Every province a producer is recorded in (a few dozen names), read
    once per catalogue version (`version`: the current one, if the caller
    has read it) from the producers' province index."""

    def read() -> list[str]:
        names = Producer.objects.order_by("province").values_list("province", flat=True)
        return [name for name in names.distinct() if name]

    version = version if version is not None else catalogue_version(_today())
    return fragment("provinces", "producers", read, version=version)


def provinces_matching(text: str, *, version: str | None = None) -> list[str]:
    """The recorded provinces whose name contains `text`, ignoring case.

    An editor types a block's province freely ("Hà Nội", "hà nội", "Nội");
    matching it against the few province names, rather than every product's
    producer (`province__icontains`), turns the block's filter into an exact
    one the search index and the database index both answer."""
    needle = _casefold(text.strip())
    if not needle:
        return []
    return [name for name in producer_provinces(version=version) if needle in _casefold(name)]


def block_producers(producer_ids: list[int]) -> list:
    """Active producers among `producer_ids`, in that order, each with
    `listed`: how many products it may sell today."""
    listed = (
        Product.objects.listable()
        .filter(certificate__producer=OuterRef("pk"))
        .order_by()
        .values("certificate__producer")
        .annotate(n=Count("pk"))
        .values("n")
    )
    found = {
        p.pk: p
        for p in Producer.objects.filter(pk__in=producer_ids, is_active=True).annotate(
            listed=Coalesce(Subquery(listed), 0)
        )
    }
    return [found[pk] for pk in producer_ids if pk in found]


def headline_figures(*, villages: QuerySet) -> dict:
    """Products on sale today, the producers selling them, and `villages`
    (the published village pages, as the home page names them).

    They are counted once per catalogue version (the day in Vietnam and the
    generation every page-facing write bumps, publishing a page and
    reindexing a product too), not once per request, and by the search
    backend, whose index counts 100,000 products in milliseconds where the
    database reads them all; `villages` is counted only when the figures are."""
    on = _today()

    def count() -> dict:
        # the search backend applies the listing rule with `on`, as for a
        # listing page, and counts in the index (the database when it is down)
        figures = search_backend().headline(on=on)
        figures["villages"] = villages.count()
        return figures

    return fragment("headline", "home", count, version=catalogue_version(on))

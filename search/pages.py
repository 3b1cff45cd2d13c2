"""Search over the CMS's Wagtail pages, OpenSearch first, the database if not.

It lives in `search/`, beside the product search whose circuit breaker it
shares, and asks Wagtail's `Page` through Wagtail's search API, never a page
class of `cms/`: so the shop's search page (`search/views.py`) shows
matching fairs, events and villages without the search room importing the
CMS, which stands above it (its query blocks ask the search backend).

In the full stack `WAGTAILSEARCH_BACKENDS["default"]` is OpenSearch
(`wagtail.search.backends.opensearch3`), with accent-blind analyzers so
"bat trang" finds "Bát Tràng"; a second backend, "database", is kept fresh by
the same Wagtail signal handlers. In the embedded default the database is the
only backend, and it needs no index build.

The OpenSearch pages index is built by `./manage.py update_index` (or
`./manage.py update_index --backend default` for OpenSearch alone): it
creates `<WAGTAIL_SEARCH_INDEX>-wagtailcore_page` as an alias over a fresh
index with Wagtail's mapping and our analyzers, fills it, then swaps the
alias. Run it once per deployment that has `OPENSEARCH_URL`, and again after
changing `search_fields` or the analyzers. Afterwards, publishing or editing
a page updates the index through Wagtail's signals. A page saved before the
first build lands in an index OpenSearch creates on the fly, without our
analyzers; the next `update_index` replaces it.
"""

import hashlib
import logging
import threading
from dataclasses import dataclass

from django.conf import settings
from django.core.cache import cache
from django.db import DatabaseError, transaction
from opensearchpy.exceptions import OpenSearchException
from wagtail.models import Page
from wagtail.search.backends import get_search_backend

from catalogue.cards import request_version
from marketplace.ocop import dates as ocop_dates
from marketplace.pagecache.fragments import fragment_key
from search.backends.resilient import breaker_open, breaker_trip, is_outage

logger = logging.getLogger(__name__)

FALLBACK_BACKEND = "database"

# How long a search's page results may be reused within one catalogue
# version. Publishing bumps the version at commit, but OpenSearch shows the
# page's index entry only after its refresh (about a second later): a search
# in that second must not hide the new page for the version's whole life.
PAGE_RESULTS_TTL = 60


@dataclass(frozen=True)
class PageResult:
    """What the search page shows of a matching page (plain values, so it
    can be cached)."""

    url: str
    title: str
    search_description: str


def page_results(text: str, *, limit: int = 5, request=None) -> list[PageResult]:
    """`pages_search(text)` for the product search page, kept per query and
    catalogue version (publishing, unpublishing and editing a page bump the
    version), for at most PAGE_RESULTS_TTL seconds.

    It ran on every first page of a text search: a second OpenSearch round
    trip and page queries, about 6 ms. Results the database
    fallback gave while OpenSearch was failing are not kept: they are worse
    (no accent folding) and OpenSearch may be back on the next request."""
    query = (text or "").strip()
    if not query:
        return []
    version = request_version(request, ocop_dates.today_in_vietnam())
    key = None
    if version is not None:
        digest = hashlib.sha1(f"{limit}|{query}".encode(), usedforsecurity=False).hexdigest()
        key = fragment_key("page-results", digest, version)
        found = cache.get(key)
        if found is not None:
            return found
    pages, answered_by_default = _pages_search(query, limit=limit)
    results = [
        PageResult(url=page.url or "", title=page.title, search_description=page.search_description)
        for page in pages
    ]
    if key is not None and answered_by_default:
        cache.set(key, results, PAGE_RESULTS_TTL)
    return results


_backends: dict[tuple[str, str], object] = {}
_backends_lock = threading.Lock()


def _backend(name: str):
    """This process's Wagtail search backend `name`. `get_search_backend`
    builds a new one, and with it a new OpenSearch client and connection
    pool, on every call; one per configuration is kept instead (a test that
    changes `WAGTAILSEARCH_BACKENDS` gets a backend for its settings)."""
    from modelsearch.backends import get_app_config

    conf = repr(get_app_config().get_search_backend_config().get(name))
    backend = _backends.get((name, conf))
    if backend is None:
        with _backends_lock:
            backend = _backends.get((name, conf))
            if backend is None:
                backend = _backends[(name, conf)] = get_search_backend(name)
    return backend


def pages_search(text: str, *, limit: int = 5) -> list[Page]:
    """Live, public Wagtail pages matching `text`, best match first.

    Visitors search pages while OpenSearch may be down or slow, and a page
    search must never fail a request for it. So the default backend is asked
    first; if the OpenSearch client raises, the "database" backend answers.
    Only an outage (connection refused, timeout, 5xx) opens the circuit
    breaker the product search shares (`search.backends.resilient`), with a
    warning; a 4xx says our query or index was wrong, not that OpenSearch is
    down, so it is logged as an error and the breaker stays closed (one odd
    query must not switch search off for everyone). While the breaker is
    open, OpenSearch is not asked at all. Blank text matches nothing.
    """
    return _pages_search(text, limit=limit)[0]


def _pages_search(text: str, *, limit: int) -> tuple[list[Page], bool]:
    """`pages_search`, and whether the default backend answered (False when
    the database fallback did)."""
    query = (text or "").strip()
    if not query:
        return [], True
    pages = Page.objects.live().public().specific()
    if not _has_fallback():
        return _database_search("default", query, pages, limit), True

    if not breaker_open():
        try:
            return list(_backend("default").search(query, pages)[:limit]), True
        except (OpenSearchException, OSError) as exc:
            if is_outage(exc):
                cooldown = settings.OPENSEARCH_BREAKER_COOLDOWN
                breaker_trip(cooldown)
                logger.warning(
                    "Page search on OpenSearch failed (%s); using the database for %ss",
                    exc,
                    cooldown,
                )
            else:
                logger.error("OpenSearch refused a page search (%s); the database answers", exc)
    return _database_search(FALLBACK_BACKEND, query, pages, limit), False


def _database_search(name: str, query: str, pages, limit: int) -> list[Page]:
    """A database backend's answer, or no pages when it cannot read `query`.

    SQLite's FTS5 (the embedded default) takes a shopper's `"` as its own
    syntax and raises; the product search still answers, so the page search
    shows nothing rather than failing the request. The savepoint keeps the
    request's transaction usable on PostgreSQL."""
    try:
        with transaction.atomic():
            return list(_backend(name).search(query, pages)[:limit])
    except DatabaseError as exc:
        logger.warning("Page search could not read %r (%s); no pages shown", query, exc)
        return []


def _has_fallback() -> bool:
    """True when OpenSearch is configured, with the database behind it."""
    return FALLBACK_BACKEND in settings.WAGTAILSEARCH_BACKENDS

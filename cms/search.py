"""Search over the CMS's Wagtail pages, OpenSearch first, the database if not.

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

import logging

from django.conf import settings
from opensearchpy.exceptions import OpenSearchException
from wagtail.models import Page
from wagtail.search.backends import get_search_backend

from search.backends.resilient import breaker_open, breaker_trip, is_outage

logger = logging.getLogger(__name__)

FALLBACK_BACKEND = "database"


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
    query = (text or "").strip()
    if not query:
        return []
    pages = Page.objects.live().public().specific()
    if not _has_fallback():
        return list(pages.search(query)[:limit])

    if not breaker_open():
        try:
            return list(pages.search(query)[:limit])
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
    backend = get_search_backend(FALLBACK_BACKEND)
    return list(backend.search(query, pages)[:limit])


def _has_fallback() -> bool:
    """True when OpenSearch is configured, with the database behind it."""
    return FALLBACK_BACKEND in settings.WAGTAILSEARCH_BACKENDS

"""OpenSearch first, the database when it is down or slow.

A circuit breaker stops requests from waiting on a dead node: after an
outage, OpenSearch is skipped for `cooldown` seconds and the database
answers straight away. Its state is shared through the cache, so every web
process sees it, and also kept in the process, so it still protects a
process while the cache itself (Redis) is down.

Only an outage opens it (`is_outage`): no connection, a timeout, or a 5xx or
429 from OpenSearch. A 4xx means OpenSearch refused *our* query (a number
beyond a field's range, a bad index name): the node is fine, and the next
shopper's query will work. Opening the breaker on it let one anonymous
request every 30 s switch search to the database for everyone (say
`?stars=99999999999999999999`). A 4xx is logged as an error, since it is a
bug to fix, and that one request is answered from the database.

During an outage (breaker open) the fallback answers the results, their
total and their order exactly, but without facet counts: each count is
one more pass over every matching product, and at 100,000 products they
were 85% of the database's time (`/shop/` 6.4 s with counts, 0.65 s
without). An outage should make the
shop plainer, not stop it. The selected filters still apply. A single
refused query is answered in full, counts included.
"""

import logging
import time
from dataclasses import replace

from django.core.cache import cache
from opensearchpy.exceptions import TransportError

from search.backends.base import SearchRequest, SearchResult

logger = logging.getLogger(__name__)

BREAKER_KEY = "search:opensearch:open-until"

# This process's view of the breaker (wall-clock time, like the shared one).
_local_open_until = 0.0


def breaker_open() -> bool:
    """True while OpenSearch is being skipped after an outage."""
    now = time.time()
    return _local_open_until > now or (cache.get(BREAKER_KEY) or 0) > now


def breaker_trip(cooldown: float) -> None:
    """Skip OpenSearch for `cooldown` seconds, in every process (product and
    page search share it: they talk to the same node)."""
    global _local_open_until
    _local_open_until = time.time() + cooldown
    cache.set(BREAKER_KEY, _local_open_until, timeout=int(cooldown) + 1)


def breaker_reset() -> None:
    """Close the breaker here and everywhere (tests, operators)."""
    global _local_open_until
    _local_open_until = 0.0
    cache.delete(BREAKER_KEY)


def is_outage(exc: BaseException) -> bool:
    """True when `exc` says OpenSearch is unavailable rather than that it
    refused our request: a connection error or timeout (no HTTP status), a
    socket error, or an HTTP 5xx or 429 (overloaded)."""
    if isinstance(exc, TransportError):
        status = exc.status_code
        return not isinstance(status, int) or status >= 500 or status == 429
    return isinstance(exc, OSError)


class ResilientBackend:
    """Ask `primary`; if it fails, ask `fallback`. An outage opens the
    breaker and logs a warning; a refused query logs an error and leaves the
    breaker closed."""

    def __init__(self, primary, fallback, *, cooldown: float = 30.0) -> None:
        self.primary = primary
        self.fallback = fallback
        self.cooldown = cooldown

    def _ask(self, method: str, *args, fallback=None, **kwargs):
        """`fallback`, when given, is how the fallback answers during an outage."""
        if not breaker_open():
            try:
                return getattr(self.primary, method)(*args, **kwargs)
            except (TransportError, OSError) as exc:
                if is_outage(exc):
                    breaker_trip(self.cooldown)
                    logger.warning(
                        "OpenSearch failed (%s); using the database for %ss", exc, self.cooldown
                    )
                else:
                    logger.error(
                        "OpenSearch refused a %s query (%s); the database answers this "
                        "request and the breaker stays closed",
                        method,
                        exc,
                    )
                    # one refused request, not an outage: answered in full
                    return getattr(self.fallback, method)(*args, **kwargs)
        if fallback is not None:
            return fallback()
        return getattr(self.fallback, method)(*args, **kwargs)

    def search(self, request: SearchRequest) -> SearchResult:
        return self._ask("search", request, fallback=lambda: self._fallback_search(request))

    def _fallback_search(self, request: SearchRequest) -> SearchResult:
        result = self.fallback.search(replace(request, with_facets=False))
        result.facets_counted = not request.with_facets
        return result

    def suggest(self, *, on, text: str, limit: int = 8) -> list[int]:
        return self._ask("suggest", on=on, text=text, limit=limit)

    def headline(self, *, on) -> dict[str, int]:
        return self._ask("headline", on=on)

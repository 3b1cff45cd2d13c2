"""OpenSearch first, the database when it is down or slow.

A circuit breaker (shared through the cache, so every web process sees it)
stops requests from waiting on a dead node: after a failure, OpenSearch is
skipped for `cooldown` seconds and the database answers straight away.
"""

import logging
import time

from django.core.cache import cache
from opensearchpy.exceptions import ConnectionError as OSConnectionError
from opensearchpy.exceptions import TransportError

from search.backends.base import SearchRequest, SearchResult

logger = logging.getLogger(__name__)

BREAKER_KEY = "search:opensearch:open-until"


def breaker_open() -> bool:
    """True while OpenSearch is being skipped after a failure."""
    return (cache.get(BREAKER_KEY) or 0) > time.time()


def breaker_trip(cooldown: float) -> None:
    """Skip OpenSearch for `cooldown` seconds, in every process (product and
    page search share it: they talk to the same node)."""
    cache.set(BREAKER_KEY, time.time() + cooldown, timeout=int(cooldown) + 1)


class ResilientBackend:
    """Ask `primary`; on failure log a warning, open the breaker, ask `fallback`."""

    def __init__(self, primary, fallback, *, cooldown: float = 30.0) -> None:
        self.primary = primary
        self.fallback = fallback
        self.cooldown = cooldown

    def _ask(self, method: str, *args, **kwargs):
        if not breaker_open():
            try:
                return getattr(self.primary, method)(*args, **kwargs)
            except (OSConnectionError, TransportError, OSError) as exc:
                breaker_trip(self.cooldown)
                logger.warning(
                    "OpenSearch failed (%s); using the database for %ss", exc, self.cooldown
                )
        return getattr(self.fallback, method)(*args, **kwargs)

    def search(self, request: SearchRequest) -> SearchResult:
        return self._ask("search", request)

    def suggest(self, *, on, text: str, limit: int = 8) -> list[int]:
        return self._ask("suggest", on=on, text=text, limit=limit)

"""Search backends behind one interface (`search(SearchRequest) -> SearchResult`).

`search_backend()` picks OpenSearch with a database fallback when
`OPENSEARCH_URL` is set (the full stack), and the database otherwise (the
embedded default). The OpenSearch client is the process's shared one
(`search.client.shared_opensearch_client`); the wrappers are cheap.
"""

from django.conf import settings

from search.backends.database import DatabaseBackend
from search.backends.opensearch import OpenSearchBackend
from search.backends.resilient import ResilientBackend
from search.client import shared_opensearch_client


def search_backend():
    if not settings.OPENSEARCH_URL:
        return DatabaseBackend()
    return ResilientBackend(
        OpenSearchBackend(shared_opensearch_client(timeout=settings.OPENSEARCH_TIMEOUT)),
        DatabaseBackend(),
        cooldown=settings.OPENSEARCH_BREAKER_COOLDOWN,
    )

"""The one door to OpenSearch.

opensearch-py carries the elasticsearch-dsl API (`Document`, `Search`, `Q`,
`A`); elasticsearch-py itself refuses non-Elastic servers (design.md §6).
Timeouts are short on purpose: a slow node must not hold a web request.
"""

import threading

from django.conf import settings
from opensearchpy import OpenSearch


class OpenSearchNotConfigured(RuntimeError):
    """Raised when the OpenSearch backend is used without `OPENSEARCH_URL`."""


def opensearch_client(*, timeout: float = 2.0) -> OpenSearch:
    """A new client for `settings.OPENSEARCH_URL`, with no retries on timeout.

    For commands, tasks and health checks that close it when done; web
    requests use `shared_opensearch_client()`."""
    if not settings.OPENSEARCH_URL:
        raise OpenSearchNotConfigured("OPENSEARCH_URL is not set")
    return OpenSearch(
        hosts=[settings.OPENSEARCH_URL],
        timeout=timeout,
        max_retries=0,
        retry_on_timeout=False,
        http_compress=True,
    )


_shared: dict[tuple[str, float], OpenSearch] = {}
_shared_lock = threading.Lock()


def shared_opensearch_client(*, timeout: float) -> OpenSearch:
    """This process's client for `settings.OPENSEARCH_URL` and `timeout`.

    Building a client builds a connection pool: per request that was a new
    TCP connection and a few hundred microseconds of setup. One
    client per (URL, timeout) keeps its connections open across requests;
    urllib3's pool is thread-safe, and keying on the settings gives a test
    that points `OPENSEARCH_URL` elsewhere (a dead port) a client of its own.
    """
    if not settings.OPENSEARCH_URL:
        raise OpenSearchNotConfigured("OPENSEARCH_URL is not set")
    key = (settings.OPENSEARCH_URL, float(timeout))
    client = _shared.get(key)
    if client is None:
        with _shared_lock:
            client = _shared.get(key)
            if client is None:
                client = _shared[key] = opensearch_client(timeout=timeout)
    return client

"""The one door to OpenSearch.

opensearch-py carries the elasticsearch-dsl API (`Document`, `Search`, `Q`,
`A`); elasticsearch-py itself refuses non-Elastic servers (design.md §6).
Timeouts are short on purpose: a slow node must not hold a web request.

`OPENSEARCH_URL` may name several nodes of one cluster, comma-separated.
A request that cannot reach a node (refused, reset, dropped by a node
shutting down) or gets a 502/503/504 is sent again to the next node, at
most once per other node, and the failed node is left out for a while
(opensearch-py marks it dead, then retries it after a back-off). A timeout
is not retried: it says the cluster is slow, and asking a second node would
double the wait that the search circuit breaker exists to cap. Sniffing
stays off: the nodes listed are the ones the site may reach (behind a load
balancer or a firewall, a node's own published address may not be).
"""

import threading

from django.conf import settings
from opensearchpy import OpenSearch


class OpenSearchNotConfigured(RuntimeError):
    """Raised when the OpenSearch backend is used without `OPENSEARCH_URL`."""


def opensearch_hosts(url: str) -> list[str]:
    """The node URLs in `url`: one, or several separated by commas."""
    return [host.strip() for host in url.split(",") if host.strip()]


def opensearch_client(*, timeout: float = 2.0) -> OpenSearch:
    """A new client for the nodes in `settings.OPENSEARCH_URL`: it moves on
    to the next node when one is unreachable, and never retries a timeout.

    For commands, tasks and health checks that close it when done; web
    requests use `shared_opensearch_client()`."""
    hosts = opensearch_hosts(settings.OPENSEARCH_URL)
    if not hosts:
        raise OpenSearchNotConfigured("OPENSEARCH_URL is not set")
    return OpenSearch(
        hosts=hosts,
        timeout=timeout,
        # each other node once; one node means no retry, as before
        max_retries=len(hosts) - 1,
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

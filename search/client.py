"""The one door to OpenSearch.

opensearch-py carries the elasticsearch-dsl API (`Document`, `Search`, `Q`,
`A`); elasticsearch-py itself refuses non-Elastic servers (design.md §6).
Timeouts are short on purpose: a slow node must not hold a web request.
"""

from django.conf import settings
from opensearchpy import OpenSearch


class OpenSearchNotConfigured(RuntimeError):
    """Raised when the OpenSearch backend is used without `OPENSEARCH_URL`."""


def opensearch_client(*, timeout: float = 2.0) -> OpenSearch:
    """A client for `settings.OPENSEARCH_URL`, with no retries on timeout."""
    if not settings.OPENSEARCH_URL:
        raise OpenSearchNotConfigured("OPENSEARCH_URL is not set")
    return OpenSearch(
        hosts=[settings.OPENSEARCH_URL],
        timeout=timeout,
        max_retries=0,
        retry_on_timeout=False,
        http_compress=True,
    )

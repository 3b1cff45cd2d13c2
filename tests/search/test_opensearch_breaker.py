"""The search circuit breaker opens on OpenSearch outages only, never on a
query OpenSearch refuses as ours to fix (issue 13: `?stars=999…` made
OpenSearch answer 400 and switched search to the database for everyone,
one anonymous request every 30 s)."""

import logging
from datetime import date

import pytest
from opensearchpy.exceptions import ConnectionTimeout, NotFoundError, RequestError, TransportError

from search.backends import search_backend
from search.backends.base import SearchRequest
from search.backends.resilient import breaker_open, is_outage
from search.indexing import index_rebuild
from tests.factories import certified_product_create

pytestmark = pytest.mark.django_db


class _Spy:
    """Wraps a backend and records each search it answers."""

    def __init__(self, backend, name: str, answered: list[str]) -> None:
        self.backend, self.name, self.answered = backend, name, answered

    def search(self, request):
        result = self.backend.search(request)
        self.answered.append(self.name)
        return result


@pytest.mark.parametrize(
    "refused",
    [
        # a page beyond OpenSearch's result window
        SearchRequest(on=date.today(), text="bat trang", offset=20_000),
        # a star rating beyond the integer field's range
        SearchRequest(on=date.today(), filters={"stars": ["99999999999999999999"]}),
    ],
    ids=["result-window", "huge-number"],
)
def test_a_refused_query_is_answered_without_opening_the_breaker(os_client, caplog, refused):
    # given a product in the real OpenSearch, and the site's search backend
    product = certified_product_create(title="Gốm sứ Bát Tràng")
    index_rebuild(client=os_client)
    backend = search_backend()
    answered: list[str] = []
    backend.primary = _Spy(backend.primary, "opensearch", answered)
    backend.fallback = _Spy(backend.fallback, "database", answered)
    # when a query arrives that OpenSearch rejects with a 400
    with caplog.at_level(logging.WARNING, logger="search.backends.resilient"):
        backend.search(refused)
    # then the database answered it, the refusal was logged as an error...
    assert answered == ["database"]
    ours = [r for r in caplog.records if r.name == "search.backends.resilient"]
    assert [r.levelno for r in ours] == [logging.ERROR]
    # ...and the breaker stayed closed: the next query goes to OpenSearch
    assert not breaker_open()
    result = backend.search(SearchRequest(on=date.today(), text="bat trang"))
    assert answered == ["database", "opensearch"]
    assert result.ids == [product.pk]


@pytest.mark.parametrize(
    "error, outage",
    [
        (TransportError("N/A", "connection refused", None), True),
        (ConnectionTimeout("TIMEOUT", "read timed out", None), True),
        (TransportError(503, "unavailable_shards_exception", {}), True),
        (TransportError(429, "es_rejected_execution_exception", {}), True),
        (OSError("connection reset"), True),
        (RequestError(400, "search_phase_execution_exception", {}), False),
        (NotFoundError(404, "index_not_found_exception", {}), False),
    ],
)
def test_only_unavailability_counts_as_an_outage(error, outage):
    assert is_outage(error) is outage

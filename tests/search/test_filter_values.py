"""Odd filter values are dropped before any backend sees them (issue 13,
finding 3): "²" passed `str.isdigit()` and broke the database backend with
a 500, and a 20-digit star count reached OpenSearch, which answered 400."""

import pytest
from django.http import QueryDict
from django.test import Client

from search.backends.base import SearchResult
from search.backends.opensearch import OpenSearchBackend
from search.views import clean_filters
from tests.factories import certified_product_create

pytestmark = pytest.mark.django_db

ODD_VALUES = [
    "%C2%B2",  # ²
    "%D9%A3",  # ٣
    "-1",
    "99999999999999999999",
    "9" * 5000,
    "1e3",
    "%EF%BC%91",  # full-width 1
]


@pytest.fixture
def http():
    return Client(raise_request_exception=False)


@pytest.mark.parametrize("name", ["producer", "stars"])
@pytest.mark.parametrize("value", ODD_VALUES)
def test_an_odd_number_filter_on_the_database_backend_is_ignored(name, value, http, settings):
    # given the database backend answering, and one listable product
    settings.OPENSEARCH_URL = ""
    certified_product_create(title="Gốm sứ Bát Tràng")
    # when the shop is filtered with an odd value
    response = http.get(f"/shop/?{name}={value}")
    # then the filter is dropped and the product listed, not a 500
    assert response.status_code == 200
    assert "Gốm sứ Bát Tràng" in response.content.decode()


@pytest.mark.parametrize(
    "name, value",
    [("stars", v) for v in [*ODD_VALUES, "6", "0"]] + [("producer", v) for v in ODD_VALUES],
)
def test_an_odd_number_filter_never_reaches_opensearch(name, value, http, monkeypatch, settings):
    # given OpenSearch answering, with every search it is sent recorded
    assert settings.OPENSEARCH_URL
    sent = []

    def record(backend, request):
        sent.append(request)
        return SearchResult(ids=[], total=0, facets={})

    monkeypatch.setattr(OpenSearchBackend, "search", record)
    # when the shop is filtered with a value no product can have
    response = http.get(f"/shop/?{name}={value}")
    # then OpenSearch is asked without the filter
    assert response.status_code == 200
    assert sent and all(request.filters == {} for request in sent)


def test_a_page_past_opensearchs_window_is_never_asked_for(http, monkeypatch):
    sent = []

    def record(backend, request):
        sent.append(request)
        return SearchResult(ids=[], total=0, facets={})

    monkeypatch.setattr(OpenSearchBackend, "search", record)
    response = http.get("/shop/?page=99999999999999999999")
    assert response.status_code in (200, 302)
    response = http.get("/shop/?page=500")
    assert response.status_code == 302
    assert all(request.offset + request.limit <= 10_000 for request in sent)


def test_clean_filters_keeps_only_values_a_product_can_have():
    query = QueryDict(
        "stars=4&stars=%C2%B2&stars=4&stars=9&producer=12&producer=-3"
        "&sector=handicraft&sector=x&group=food&province=H%C3%A0+N%E1%BB%99i"
        "&price=0-100000&price=1-2&in_stock=1&in_stock=yes&unknown=1"
    )
    assert clean_filters(query) == {
        "stars": ["4"],
        "producer": ["12"],
        "sector": ["handicraft"],
        "group": ["food"],
        "province": ["Hà Nội"],
        "price": ["0-100000"],
        "in_stock": ["1"],
    }

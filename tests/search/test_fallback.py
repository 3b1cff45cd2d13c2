"""When OpenSearch is down, search answers from the database."""

import logging
import time
from datetime import date

import pytest
from django.core.cache import cache

from search.backends import search_backend
from search.backends.base import SearchRequest
from search.backends.resilient import BREAKER_KEY
from tests.factories import certified_product_create

pytestmark = pytest.mark.django_db


@pytest.fixture(autouse=True)
def closed_breaker():
    cache.delete(BREAKER_KEY)
    yield
    cache.delete(BREAKER_KEY)


def test_dead_port_gives_database_results_and_a_warning(settings, caplog):
    # given OpenSearch configured on a port where nothing listens
    settings.OPENSEARCH_URL = "http://127.0.0.1:9"
    product = certified_product_create(title="Gốm sứ Bát Tràng")
    # when a shopper searches
    with caplog.at_level(logging.WARNING, logger="search.backends.resilient"):
        result = search_backend().search(SearchRequest(on=date.today(), text="bat trang"))
    # then the database answered and the failure was logged
    assert result.ids == [product.pk]
    assert any("OpenSearch failed" in r.getMessage() for r in caplog.records)


def test_open_breaker_skips_opensearch_without_waiting(settings):
    settings.OPENSEARCH_URL = "http://10.255.255.1:9200"  # unroutable: would hang to timeout
    certified_product_create(title="Gạo Đồng Phú")
    cache.set(BREAKER_KEY, time.time() + 30, timeout=31)
    started = time.monotonic()
    result = search_backend().search(SearchRequest(on=date.today(), text="dong phu"))
    assert result.total == 1
    assert time.monotonic() - started < 0.4


def test_the_fallback_answers_without_facet_counts(settings, django_assert_max_num_queries):
    # given OpenSearch down, and a catalogue of three products
    settings.OPENSEARCH_URL = "http://127.0.0.1:9"
    certified_product_create(title="Gốm sứ Bát Tràng", stars=4)
    certified_product_create(title="Gốm men lam", stars=5)
    certified_product_create(title="Gạo Đồng Phú", stars=4)
    # when a shopper filters on 4 stars
    request = SearchRequest(on=date.today(), text="gom", filters={"stars": ["4"]})
    with django_assert_max_num_queries(2):
        result = search_backend().search(request)
    # then the results and their total are exact, with no facet counted
    assert result.total == 1
    assert (result.facets, result.facets_counted) == ({}, False)


def test_the_listing_page_says_filters_are_unavailable_and_keeps_a_way_out(settings, client):
    settings.OPENSEARCH_URL = "http://127.0.0.1:9"
    certified_product_create(title="Gốm sứ Bát Tràng", stars=4)
    certified_product_create(title="Gốm men lam", stars=5)
    # when the shop is filtered on 4 stars while OpenSearch is down
    response = client.get("/shop/", {"stars": "4"})
    html = response.content.decode()
    # then the one 4★ product shows, with a note instead of facet links, and "Bỏ lọc"
    assert response.status_code == 200
    assert "Gốm sứ Bát Tràng" in html and "Gốm men lam" not in html
    assert 'data-testid="filters-unavailable"' in html
    assert 'data-testid="facet-list"' not in html
    assert 'href="/shop/" data-testid="filters-clear"' in html

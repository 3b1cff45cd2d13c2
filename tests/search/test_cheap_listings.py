"""Listing and search pages stay cheap when no whole page can be shared
(issue 14): cards come from fragments cached per product and catalogue
version, a page whose cards are all cached reads no product, and that is
still exact. Real OpenSearch, Redis and PostgreSQL triggers (made immediate
by tests/conftest.py)."""

import re
from decimal import Decimal

import pytest
from django.db import connection
from django.test import Client
from django.test.utils import CaptureQueriesContext
from django.urls import reverse
from oscar.core.loading import get_model
from wagtail.models import Page

from cms.services import home_page_ensure
from marketplace.ocop.dates import today_in_vietnam
from marketplace.ocop.models import Certificate
from search import pages as page_search
from search.backends import search_backend
from search.indexing import index_rebuild
from tests.factories import certified_product_create

StockRecord = get_model("partner", "StockRecord")

pytestmark = pytest.mark.django_db


def basket_visitor() -> Client:
    """A visitor with something in the basket (a product no test searches
    for): never served a shared page. Oscar checks the basket line's
    product on each request; that read is the visitor's, not the page's."""
    tea = certified_product_create(title="Chè Shan tuyết", price=Decimal("80000"))
    visitor = Client()
    visitor.post(reverse("basket:add", kwargs={"pk": tea.pk}), {"quantity": 1})
    return visitor


def product_ids_read(queries) -> set[int]:
    """The products read for cards (`pk__in`, as listings read them)."""
    found = set()
    for query in queries.captured_queries:
        if 'FROM "catalogue_product"' not in query["sql"]:
            continue
        for group in re.findall(r'"catalogue_product"\."id" IN \(([0-9, ]+)\)', query["sql"]):
            found.update(int(pk) for pk in group.split(","))
    return found


def card_ids(response) -> list[int]:
    return [card.pk for card in response.context["products"]]


@pytest.fixture
def catalogue(os_client):
    products = [
        certified_product_create(title=f"Gốm sứ Bát Tràng số {n}", price=Decimal(100000 + n))
        for n in range(3)
    ]
    index_rebuild(client=os_client)
    return products


def test_a_second_render_reads_no_product_and_a_price_change_shows_next(catalogue):
    # given a visitor with a basket (so every page is rendered for them)
    visitor = basket_visitor()
    first = visitor.get("/shop/search/", {"q": "gom su", "sort": "price_asc"})
    assert card_ids(first) == [p.pk for p in catalogue]
    # when the same page is rendered again
    with CaptureQueriesContext(connection) as queries:
        second = visitor.get("/shop/search/", {"q": "gom su", "sort": "price_asc"})
    # then every card came from the fragment cache: no product row was read
    assert card_ids(second) == [p.pk for p in catalogue]
    assert product_ids_read(queries) == set()
    assert "100.001" in second.content.decode()
    # and after a price change the next render shows the new price
    StockRecord.objects.filter(product=catalogue[1]).update(price=Decimal("123000"))
    after = visitor.get("/shop/search/", {"q": "gom su", "sort": "price_asc"}).content.decode()
    assert "123.000" in after and "100.001" not in after


def test_a_hit_the_listing_rule_refuses_never_shows(catalogue):
    # given a search page whose cards are all cached
    visitor = basket_visitor()
    search = {"q": "gom su"}
    assert len(card_ids(visitor.get("/shop/search/", search))) == 3
    # when a certificate is withdrawn and the index has not caught up (its
    # reindex runs after commit, which a test transaction never reaches)
    withdrawn = catalogue[1]
    Certificate.objects.filter(product=withdrawn).update(status="withdrawn")
    assert withdrawn.pk in search_backend().primary.suggest(on=today_in_vietnam(), text="gom su")
    # then the page leaves it out, now and once the other cards are cached
    # again; the only product read is the refused hit itself
    assert withdrawn.pk not in card_ids(visitor.get("/shop/search/", search))
    with CaptureQueriesContext(connection) as queries:
        again = visitor.get("/shop/search/", search)
    assert set(card_ids(again)) == {catalogue[0].pk, catalogue[2].pk}
    assert product_ids_read(queries) == {withdrawn.pk}
    # and suggest, which shares the rule, leaves it out too
    suggested = visitor.get("/shop/search/suggest/", search).json()["products"]
    assert {p["id"] for p in suggested} == {catalogue[0].pk, catalogue[2].pk}


def test_suggest_reuses_its_fragments(client, catalogue):
    client.get("/shop/search/suggest/", {"q": "gom su b"})
    with CaptureQueriesContext(connection) as queries:
        data = client.get("/shop/search/suggest/", {"q": "gom su ba"}).json()
    assert {p["id"] for p in data["products"]} == {p.pk for p in catalogue}
    assert product_ids_read(queries) == set()


def test_one_opensearch_client_per_process(settings):
    # given two requests' backends
    first, second = search_backend(), search_backend()
    # then they share one client (one connection pool)
    assert first.primary.client is second.primary.client
    # and a process whose settings point elsewhere gets a client for them
    settings.OPENSEARCH_URL = "http://127.0.0.1:9"
    elsewhere = search_backend().primary.client
    assert elsewhere is not first.primary.client
    assert elsewhere.transport.hosts[0]["port"] == 9


def test_page_results_are_kept_per_query_and_a_published_page_shows_next(
    client, catalogue, pages_index, monkeypatch
):
    # given a published village page
    home = home_page_ensure()
    village = home.add_child(instance=Page(title="Làng gốm Bát Tràng", live=True))
    pages_index.refresh()
    asked = []
    real = page_search._pages_search
    monkeypatch.setattr(
        page_search, "_pages_search", lambda *a, **kw: asked.append(a) or real(*a, **kw)
    )
    visitor = basket_visitor()
    # when the same text is searched twice
    first = visitor.get("/shop/search/", {"q": "bat trang"}).content.decode()
    second = visitor.get("/shop/search/", {"q": "bat trang"}).content.decode()
    # then the village is found both times, and the page search ran once
    assert village.url in first and village.url in second
    assert len(asked) == 1
    # and a page published afterwards shows on the next search
    fair = home.add_child(instance=Page(title="Hội chợ gốm Bát Tràng", live=True))
    pages_index.refresh()
    assert fair.url in visitor.get("/shop/search/", {"q": "bat trang"}).content.decode()


def test_page_results_from_the_database_fallback_are_not_kept(
    catalogue, pages_index, settings, monkeypatch
):
    # given a published page, and OpenSearch refusing page searches (an
    # index that does not exist), so the database answers
    home_page_ensure().add_child(instance=Page(title="Làng gốm Bát Tràng", live=True))
    live = settings.WAGTAILSEARCH_BACKENDS
    missing = {**live["default"], "INDEX_PREFIX": "ocop-no-such-index-"}
    settings.WAGTAILSEARCH_BACKENDS = {**live, "default": missing}
    answers = []
    real = page_search._pages_search
    monkeypatch.setattr(
        page_search,
        "_pages_search",
        lambda *a, **kw: answers.append(real(*a, **kw)) or answers[-1],
    )
    # when the same text is searched twice
    visitor = basket_visitor()
    visitor.get("/shop/search/", {"q": "Bát Tràng"})
    visitor.get("/shop/search/", {"q": "Bát Tràng"})
    # then the degraded answer was not kept: OpenSearch is asked again
    assert [answered_by_default for _pages, answered_by_default in answers] == [False, False]

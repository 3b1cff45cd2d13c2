"""The home page's headline figures count the whole catalogue, so they are
counted once per catalogue version (the day in Vietnam and the generation
every page-facing write bumps), not on every request (issue 14: 26–35 ms a
request at 20,000 products), and by the search index, not by reading every
listable product (3 s at 100,000)."""

from datetime import timedelta

import pytest
from django.db import connection
from django.test import Client
from django.test.utils import CaptureQueriesContext

from cms.models import HomePage
from marketplace.ocop import dates as ocop_dates
from marketplace.ocop.dates import today_in_vietnam
from search.indexing import index_rebuild
from tests.factories import certified_product_create

pytestmark = pytest.mark.django_db


def _catalogue_reads(queries) -> list[str]:
    return [q["sql"] for q in queries.captured_queries if "catalogue_product" in q["sql"]]


def test_the_headline_figures_are_counted_once_per_catalogue_version(monkeypatch, os_client):
    # given two listable products, one of them certified until today, in the index
    today = today_in_vietnam()
    certified_product_create(title="Nước mắm Cát Hải", expiry_date=today)
    certified_product_create(title="Chè Shan tuyết Mộc Châu")
    index_rebuild(client=os_client)
    # when the figures are counted
    with CaptureQueriesContext(connection) as queries:
        figures = HomePage().headline_figures()
    # then the index counted them, without reading the catalogue
    assert figures == {"products": 2, "producers": 2, "villages": 0}
    assert _catalogue_reads(queries) == []
    # when they are asked for again with nothing changed
    with CaptureQueriesContext(connection) as queries:
        again = HomePage().headline_figures()
    # then the catalogue is not read again
    assert again == {"products": 2, "producers": 2, "villages": 0}
    assert _catalogue_reads(queries) == []
    # and a page-facing write (a new product, reindexed) bumps the version: the next ask counts it
    certified_product_create(title="Gạo ST25")
    index_rebuild(client=os_client)
    assert HomePage().headline_figures()["products"] == 3
    # and at midnight the day's certificate has ended: the new day counts without it
    monkeypatch.setattr(ocop_dates, "today_in_vietnam", lambda: today + timedelta(days=1))
    assert HomePage().headline_figures()["products"] == 2


def test_a_second_home_page_visitor_does_not_count_the_catalogue(home_page):
    # given a home page a first visitor has seen
    certified_product_create(title="Chè Shan tuyết Mộc Châu")
    assert Client().get("/").status_code == 200
    # when another visitor with a session of their own (never served a shared page) comes
    visitor = Client()
    visitor.cookies["sessionid"] = "another-visitor"
    with CaptureQueriesContext(connection) as queries:
        html = visitor.get("/").content.decode()
    # then the figures are there, and no query counted the catalogue
    assert '<dd data-testid="figure-products">1</dd>' in html
    assert not [sql for sql in _catalogue_reads(queries) if "COUNT(" in sql]

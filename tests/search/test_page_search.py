"""Page search: OpenSearch in the full stack, the database when it is down,
and the database alone in the embedded default. Real OpenSearch, real
PostgreSQL."""

import logging
import time

import pytest
from django.core.cache import cache
from django.db import OperationalError
from modelsearch.backends.database.postgres.postgres import PostgresSearchBackend
from modelsearch.backends.opensearch3 import OpenSearch3SearchBackend
from wagtail.models import Page
from wagtail.search.backends import get_search_backend

import search.pages
from cms.services import home_page_ensure
from search.backends.resilient import BREAKER_KEY
from search.pages import pages_search

pytestmark = pytest.mark.django_db

DATABASE_ONLY = {"default": {"BACKEND": "wagtail.search.backends.database"}}


def fallback_warnings(caplog) -> list[str]:
    return [
        r.getMessage()
        for r in caplog.records
        if r.name == "search.pages" and r.levelno == logging.WARNING
    ]


def page_add(title: str, *, live: bool = True) -> Page:
    home = home_page_ensure()
    return home.add_child(instance=Page(title=title, live=live))


def test_opensearch_finds_a_published_page_without_accents(pages_index, caplog):
    # given OpenSearch as the default backend and a published page
    assert isinstance(get_search_backend("default"), OpenSearch3SearchBackend)
    page = page_add("Làng gốm Bát Tràng")
    pages_index.refresh()
    # when a visitor types the name without Vietnamese accents
    with caplog.at_level(logging.WARNING, logger="search.pages"):
        found = pages_search("bat trang")
    # then the page comes back, answered by OpenSearch: nothing fell back,
    # and the database backend cannot fold accents, so it alone would miss it
    assert [p.pk for p in found] == [page.pk]
    assert isinstance(found[0], Page)
    assert not fallback_warnings(caplog)
    assert not list(Page.objects.live().search("bat trang", backend="database"))


def test_opensearch_folds_accents_in_the_query_too(pages_index):
    page = page_add("Lang gom Bat Trang")
    pages_index.refresh()
    assert [p.pk for p in pages_search("Bát Tràng")] == [page.pk]


def test_draft_pages_are_not_returned(pages_index):
    # given a published page and a draft with the same words, both indexed
    published = page_add("Làng gốm Bát Tràng")
    draft = page_add("Làng gốm Bát Tràng (bản nháp)", live=False)
    pages_index.refresh()
    indexed = {p.pk for p in Page.objects.search("bat trang")}
    assert {published.pk, draft.pk} <= indexed
    # when a visitor searches, then only the published page comes back
    assert [p.pk for p in pages_search("bat trang")] == [published.pk]


def test_dead_opensearch_falls_back_to_the_database_with_a_warning(pages_index, settings, caplog):
    # given a published page, then OpenSearch on a port where nothing listens
    page = page_add("Làng gốm Bát Tràng")
    dead = {**settings.WAGTAILSEARCH_BACKENDS["default"], "URLS": ["http://127.0.0.1:9"]}
    settings.WAGTAILSEARCH_BACKENDS = {**settings.WAGTAILSEARCH_BACKENDS, "default": dead}
    # when a visitor searches
    with caplog.at_level(logging.WARNING, logger="search.pages"):
        found = pages_search("Bát Tràng")
    # then the database answered and the failure was logged
    assert [p.pk for p in found] == [page.pk]
    warnings = fallback_warnings(caplog)
    assert len(warnings) == 1 and "OpenSearch failed" in warnings[0]


def test_failure_opens_the_shared_breaker_which_then_skips_opensearch(
    pages_index, settings, caplog
):
    page = page_add("Làng gốm Bát Tràng")
    pages_index.refresh()
    # given OpenSearch healthy: the breaker stays closed
    assert [p.pk for p in pages_search("bat trang")] == [page.pk]
    assert cache.get(BREAKER_KEY) is None
    # when one search fails on a dead node
    live = settings.WAGTAILSEARCH_BACKENDS
    dead = {**live["default"], "URLS": ["http://127.0.0.1:9"]}
    settings.WAGTAILSEARCH_BACKENDS = {**live, "default": dead}
    with caplog.at_level(logging.WARNING, logger="search.pages"):
        pages_search("Bát Tràng")
    # then the breaker opens for the cooldown, and while it is open even a
    # healthy OpenSearch is not asked: an unaccented query, which only
    # OpenSearch can answer, misses, and no new failure is logged
    assert cache.get(BREAKER_KEY) > time.time() + settings.OPENSEARCH_BREAKER_COOLDOWN - 5
    settings.WAGTAILSEARCH_BACKENDS = live
    caplog.clear()
    with caplog.at_level(logging.WARNING, logger="search.pages"):
        assert pages_search("bat trang") == []
        assert [p.pk for p in pages_search("Bát Tràng")] == [page.pk]
    assert not fallback_warnings(caplog)


def test_database_only_configuration_finds_the_page(settings):
    # given the embedded default: the database is the only backend
    settings.WAGTAILSEARCH_BACKENDS = DATABASE_ONLY
    assert isinstance(get_search_backend("default"), PostgresSearchBackend)
    page = page_add("Làng gốm Bát Tràng")
    page_add("Làng gốm Bát Tràng (bản nháp)", live=False)
    # when a visitor searches, then the published page comes back
    assert [p.pk for p in pages_search("Bát Tràng")] == [page.pk]
    assert [p.pk for p in pages_search("gốm", limit=3)] == [page.pk]


@pytest.mark.parametrize("text", ["", "   ", None])
def test_blank_text_finds_nothing(text):
    page_add("Làng gốm Bát Tràng")
    assert pages_search(text) == []


def test_a_refused_query_leaves_the_breaker_closed(pages_index, settings, caplog):
    # given a published page, and OpenSearch asked about an index that does
    # not exist: a 404, our mistake rather than an outage
    page = page_add("Làng gốm Bát Tràng")
    pages_index.refresh()
    live = settings.WAGTAILSEARCH_BACKENDS
    missing = {**live["default"], "INDEX_PREFIX": "ocop-no-such-index-"}
    settings.WAGTAILSEARCH_BACKENDS = {**live, "default": missing}
    # when a visitor searches
    with caplog.at_level(logging.WARNING, logger="search.pages"):
        found = pages_search("Bát Tràng")
    # then the database answers this request, the refusal is logged as an
    # error, and the breaker stays closed: OpenSearch answers the next search
    assert [p.pk for p in found] == [page.pk]
    assert any(r.levelno == logging.ERROR and "refused" in r.getMessage() for r in caplog.records)
    assert cache.get(BREAKER_KEY) is None
    settings.WAGTAILSEARCH_BACKENDS = live
    assert [p.pk for p in pages_search("bat trang")] == [page.pk]


def test_a_query_the_database_backend_cannot_read_shows_no_pages(settings, monkeypatch, caplog):
    # given the embedded default, whose SQLite FTS5 reads a shopper's `"` as its own syntax
    settings.WAGTAILSEARCH_BACKENDS = DATABASE_ONLY

    class Fts5Backend:
        def search(self, query, pages):
            raise OperationalError('fts5: syntax error near "<"')

    monkeypatch.setattr(search.pages, "_backend", lambda name: Fts5Backend())
    # when a shopper searches pages for it
    found = pages_search('gốm"')
    # then no pages are shown, the request goes on, and the log says why
    assert found == []
    assert "could not read" in caplog.text

"""The listing views' lazy results: one backend search per page, and no
window past OpenSearch's result window (whose refusal would trip the
fallback breaker for every shopper)."""

from datetime import date

import pytest
from django.contrib.auth.models import AnonymousUser
from django.core.paginator import Paginator
from django.test import RequestFactory

from marketplace.partner.strategy import Selector
from search.backends.base import SearchRequest
from search.backends.database import DatabaseBackend
from search.views import MAX_RESULT_WINDOW, _BackendResults
from tests.factories import certified_product_create

pytestmark = pytest.mark.django_db


def shopper_request():
    """A request as a listing view sees it (cards are priced by its strategy)."""
    request = RequestFactory().get("/shop/")
    request.user = AnonymousUser()
    request.strategy = Selector().strategy(request)
    return request


class RecordingBackend(DatabaseBackend):
    """The real database backend, noting each window it is asked for."""

    def __init__(self):
        super().__init__()
        self.windows = []

    def search(self, request):
        self.windows.append((request.offset, request.limit))
        return super().search(request)


def test_a_short_last_page_is_answered_by_one_search():
    for title in ("Gốm men lam", "Gốm men rạn", "Gốm men nâu"):
        certified_product_create(title=title)
    backend = RecordingBackend()
    results = _BackendResults(
        backend, SearchRequest(on=date.today(), text="gom", limit=24), shopper_request()
    )
    page = Paginator(results, 24).page(1)
    assert len(page.object_list) == 3
    assert backend.windows == [(0, 24)]


def test_the_deepest_page_stops_at_the_result_window():
    backend = RecordingBackend()
    offset = MAX_RESULT_WINDOW - 16
    results = _BackendResults(
        backend, SearchRequest(on=date.today(), offset=offset, limit=24), shopper_request()
    )
    results[offset : offset + 24]
    assert backend.windows == [(offset, 16)]

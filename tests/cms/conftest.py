"""Page builders for CMS tests: the home page and its three sections, and
fairs, events and villages under them, published the way an editor
publishes (a revision, then publish) unless asked for a draft."""

import json
from datetime import timedelta

import pytest
from django.utils import timezone

from cms.models import (
    CraftVillageIndexPage,
    CraftVillagePage,
    EventIndexPage,
    EventPage,
    FairIndexPage,
    FairPage,
)
from cms.services import home_page_ensure


def products_block(*, products=(), heading="Sản phẩm nổi bật", **query) -> dict:
    """A products block's raw StreamField data: chosen products or a query."""
    value = {
        "heading": heading,
        "products": [p.pk for p in products],
        "sector": "",
        "min_stars": "",
        "province": "",
        "village": None,
        "limit": 8,
    }
    value.update(query)
    return {"type": "products", "value": value}


def page_publish(parent, page, *, live: bool = True):
    """Add `page` under `parent`; publish a revision, or leave it a draft."""
    page.live = False
    parent.add_child(instance=page)
    revision = page.save_revision()
    if live:
        revision.publish()
    page.refresh_from_db()
    return page


def dated_page_add(
    parent, cls, *, title, start_in=timedelta(days=7), start_at=None, body=(), live=True, **fields
):
    """A fair or event starting at `start_at` (default: `start_in` from now),
    lasting eight hours unless `end_at` says otherwise."""
    start_at = start_at or timezone.now() + start_in
    fields.setdefault("venue_name", "Cung Văn hóa Hữu nghị")
    fields.setdefault("end_at", start_at + timedelta(hours=8))
    page = cls(title=title, start_at=start_at, body=json.dumps(list(body)), **fields)
    return page_publish(parent, page, live=live)


def fair_add(parent, *, title="Hội chợ OCOP Hà Nội", **fields) -> FairPage:
    return dated_page_add(parent, FairPage, title=title, **fields)


def event_add(parent, *, title="Hội nghị kết nối cung cầu", **fields) -> EventPage:
    return dated_page_add(parent, EventPage, title=title, **fields)


def village_add(parent, *, title, craft, province, producers=(), live=True, **fields):
    page = CraftVillagePage(title=title, craft=craft, province=province, **fields)
    page.producers.set(producers)
    return page_publish(parent, page, live=live)


@pytest.fixture
def home_page(db):
    return home_page_ensure()


@pytest.fixture
def fair_index(home_page):
    return home_page.add_child(instance=FairIndexPage(title="Hội chợ", slug="hoi-cho"))


@pytest.fixture
def event_index(home_page):
    return home_page.add_child(instance=EventIndexPage(title="Sự kiện", slug="su-kien"))


@pytest.fixture
def village_index(home_page):
    return home_page.add_child(instance=CraftVillageIndexPage(title="Làng nghề", slug="lang-nghe"))

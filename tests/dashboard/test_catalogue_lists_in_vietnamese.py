"""The product and category lists of the dashboard speak Vietnamese to a
Vietnamese operator: the selection counter ("0 of 20 selected"), the bulk
actions and the menu. Some of these ids are in no Oscar catalogue at all
(its catalogues predate the templates), so their Vietnamese lives in our
`locale/vi` alone; this reads the pages as served."""

import html
import re

import pytest
from django.urls import reverse

from marketplace.translations.catalogues import oscar_dashboard_ids, upstream_ids

pytestmark = pytest.mark.django_db

# Oscar's ids whose Vietnamese is the same word.
SAME_IN_VIETNAMESE = {"UPC"}


@pytest.fixture(scope="module")
def oscar_english():
    """Every English id Oscar's dashboard and catalogues have, whitespace
    folded as a page shows it."""
    return {
        " ".join(msgid.split())
        for _context, msgid in oscar_dashboard_ids() | upstream_ids()
        if msgid.strip()
    } - SAME_IN_VIETNAMESE


def _texts(page: str) -> set[str]:
    page = re.sub(r"<(script|style)\b.*?</\1>", "", page, flags=re.S)
    return {" ".join(html.unescape(t).split()) for t in re.split(r"<[^>]+>", page)} - {""}


@pytest.mark.parametrize(
    "url_name", ["dashboard:catalogue-product-list", "dashboard:catalogue-category-list"]
)
def test_no_oscar_string_is_left_in_english(admin_client, listed, oscar_english, url_name):
    page = admin_client.get(reverse(url_name)).content.decode()

    english = sorted(t.strip("-– ") for t in _texts(page) if t.strip("-– ") in oscar_english)

    assert english == [], english
    # the counter is split by tags, so it is no text of its own above
    assert not re.search(r"</span>\s*selected", page)
    assert re.search(r'Đã chọn <span class="selected-records">0</span>', page)

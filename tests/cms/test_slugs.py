"""Page slugs are ASCII, folded from Vietnamese titles (issue 15, finding 9:
a new fair's address kept Vietnamese letters, /hoi-cho/hội-chợ-…/, which
turns into %-codes when shared; Wagtail's own fallback drops đ)."""

import pytest
from django.conf import settings

from cms.pages.common import VIETNAMESE_SLUG_FORMATTERS, PromoPage
from tests.cms.conftest import fair_add

pytestmark = pytest.mark.django_db


def test_a_page_saved_without_a_slug_gets_its_folded_title(fair_index):
    first = fair_add(fair_index, title="Hội chợ Đặc sản Đà Nẵng")
    second = fair_add(fair_index, title="Hội chợ Đặc sản Đà Nẵng")
    assert first.slug == "hoi-cho-dac-san-da-nang"
    assert second.slug == "hoi-cho-dac-san-da-nang-2"
    assert first.url.endswith("/hoi-cho/hoi-cho-dac-san-da-nang/")


def test_the_editor_folds_vietnamese_before_its_own_transliteration():
    # the admin's slug field transliterates (no unicode slugs); every marked
    # letter is mapped to its plain one first (Wagtail's tables drop "ộ" and
    # make "đ" "dj"); tests/e2e/test_fair_publishing.py types a title
    assert settings.WAGTAIL_ALLOW_UNICODE_SLUGS is False
    panels = PromoPage.promote_panels[0].children
    slug = next(panel for panel in panels if panel.field_name == "slug")
    assert slug.widget.attrs["data-w-slug-allow-unicode-value"] is False
    formatters = dict(VIETNAMESE_SLUG_FORMATTERS)
    assert formatters["[đĐ]"] == "d" and "ộ" in next(k for k, v in formatters.items() if v == "o")
    assert "\\u0111\\u0110" in slug.widget.attrs["data-w-slug-formatters-value"]  # đĐ

"""`/sitemap.xml` lists live public pages and today's listable products."""

import re
from datetime import timedelta

import pytest
from wagtail.models import Page

from cms.services import home_page_ensure
from marketplace.ocop.dates import today_in_vietnam
from tests.factories import certified_product_create

pytestmark = pytest.mark.django_db


def locations(client) -> list[str]:
    response = client.get("/sitemap.xml")
    assert response.status_code == 200
    return re.findall(r"<loc>([^<]+)</loc>", response.content.decode())


def test_the_sitemap_lists_listable_products_and_no_others(client):
    # given one listable product and three that may not be sold today
    listed = certified_product_create(title="Miến dong Bình Liêu")
    expired = certified_product_create(
        title="Miến hết hạn", expiry_date=today_in_vietnam() - timedelta(days=1)
    )
    withdrawn = certified_product_create(title="Miến thu hồi", status="withdrawn")
    unpriced = certified_product_create(title="Miến chưa có giá", price=None)
    # when a crawler reads the sitemap
    found = locations(client)
    # then only the listable product is there, as an absolute URL
    assert f"http://testserver{listed.get_absolute_url()}" in found
    for product in (expired, withdrawn, unpriced):
        assert not [url for url in found if url.endswith(product.get_absolute_url())]


def test_the_sitemap_lists_published_pages_not_drafts(client):
    # given a published page and a draft under the home page
    home = home_page_ensure()
    published = home.add_child(instance=Page(title="Giới thiệu", slug="gioi-thieu"))
    draft = home.add_child(instance=Page(title="Bản nháp", slug="ban-nhap", live=False))
    # when a crawler reads the sitemap
    found = locations(client)
    # then the home and the published page are there, the draft is not
    assert any(url.endswith("/gioi-thieu/") for url in found)
    assert any(url.endswith(home.url) for url in found)
    assert not any("ban-nhap" in url for url in found)
    assert published.live and not draft.live

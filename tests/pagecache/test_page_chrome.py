"""The site header and footer are rendered once per catalogue version,
language and host (marketplace/pagecache/chrome.py), and still show each
request's own search text, return address and visitor parts, and a section
as soon as it is published. Real Redis and PostgreSQL triggers."""

import re
from decimal import Decimal

import pytest
from django.db import connection
from django.test import Client, override_settings
from django.test.utils import CaptureQueriesContext
from django.urls import reverse

from cms.models import FairIndexPage
from cms.services import home_page_ensure
from marketplace.pagecache import chrome
from tests.factories import certified_product_create

pytestmark = pytest.mark.django_db

_PART = re.compile(r"<!--visitor-part:\w+(?::\d+)?-->.*?<!--/visitor-part-->", re.DOTALL)


def _header(html: str) -> str:
    return re.search(r"<header class=\"site-header\">.*?</header>", html, re.DOTALL).group(0)


def _search_box(html: str) -> str:
    return re.search(r'id="site-search-q"[^>]*value="([^"]*)"', html).group(1)


def _return_to(html: str) -> str:
    return re.search(r'<input name="next" type="hidden" value="([^"]*)">', html).group(1)


@pytest.fixture
def product():
    return certified_product_create(title="Chè Shan tuyết cổ thụ", price=Decimal("250000"))


def test_each_request_gets_its_own_search_text_and_return_address(product):
    first = Client().get("/shop/search/?q=ch%C3%A8&sort=newest").content.decode()
    second = Client().get('/shop/search/?q=<b>"x').content.decode()
    assert _search_box(first) == "chè"
    assert _return_to(first) == "/shop/search/?q=ch%C3%A8&amp;sort=newest"
    assert _search_box(second) == "&lt;b&gt;&quot;x"
    assert _return_to(second) == "/shop/search/?q=%3Cb%3E%22x"
    assert "\x00" not in first + second


def test_the_chrome_is_the_page_as_rendered_without_it(product):
    url = "/shop/search/?q=ch%C3%A8&producer=1"
    Client().get(url + "&warm=1")
    kept = Client().get(url).content.decode()
    with override_settings(PAGE_CACHE_ENABLED=False):
        rendered = Client().get(url).content.decode()
    assert kept == rendered


def test_a_visitor_with_a_basket_gets_their_own_parts_in_the_kept_chrome(product):
    Client().get("/shop/?a=1")
    shopper = Client()
    shopper.get(reverse("csrf-token"))
    token = shopper.cookies["csrftoken"].value
    shopper.post(
        reverse("basket:add", kwargs={"pk": product.pk}),
        {"quantity": 3, "csrfmiddlewaretoken": token},
    )
    # the view renders it for them (nothing stored yet for this address)
    mine = _header(shopper.get("/shop/?b=1").content.decode())
    anonymous = _header(Client().get("/shop/?b=1").content.decode())
    assert '<span class="basket-link__count">3</span>' in mine
    assert '<span class="basket-link__count">0</span>' in anonymous
    assert _PART.sub("", mine) == _PART.sub("", anonymous)


def test_the_chrome_is_rendered_once_per_version_and_shows_a_new_section(product):
    chrome.chrome_forget()
    Client().get("/shop/?a=1")
    with CaptureQueriesContext(connection) as queries:
        Client().get("/shop/?b=1")
    assert not [q for q in queries if "wagtailcore_page" in q["sql"]]
    home = home_page_ensure()
    home.add_child(instance=FairIndexPage(title="Hội chợ mùa xuân", slug="hoi-cho"))
    assert "Hội chợ mùa xuân" in _header(Client().get("/shop/?c=1").content.decode())

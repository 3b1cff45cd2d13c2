"""Shopper pages are the same bytes for every visitor without a basket,
session or messages, so one cached copy can serve them all (issue 14).

The whole-page cache is off here, so every request renders: this is what
the cache may store. Each page is fetched by two fresh visitors, the second with the per-visitor
inputs a shared page must ignore: a "recently viewed" history cookie, a
Referer, an English browser. Neither may get a cookie (Django's csrftoken,
set by any `{% csrf_token %}`), a CSP nonce (which makes the header and the
body differ per response), or a body that differs from the other's.
"""

import json

import pytest
from django.test import Client
from oscar.core.loading import get_model

from cms.services import cms_sections_ensure
from search.indexing import index_rebuild
from tests.cms.conftest import event_add, fair_add, products_block, village_add
from tests.factories import certified_product_create, producer_create

Category = get_model("catalogue", "Category")
ProductCategory = get_model("catalogue", "ProductCategory")

pytestmark = pytest.mark.django_db


@pytest.fixture(autouse=True)
def _every_request_renders(settings):
    settings.PAGE_CACHE_ENABLED = False


@pytest.fixture
def shop(db, os_client):
    """A producer with plenty, few and no units of three products, a
    category, the CMS sections with a fair (and a query-mode products
    block), an event and a craft village, and the product index built."""
    producer = producer_create("HTX Gốm sứ Bát Tràng", province="Hà Nội")
    plenty = certified_product_create(title="Bình gốm men lam", producer=producer, num_in_stock=93)
    few = certified_product_create(title="Ấm chén gốm men rạn", producer=producer, num_in_stock=3)
    none = certified_product_create(title="Lọ hoa gốm sứ", producer=producer, num_in_stock=0)
    ceramics = Category.add_root(name="Gốm sứ")
    for product in (plenty, few):
        ProductCategory.objects.create(product=product, category=ceramics)
    sections = cms_sections_ensure()
    fair = fair_add(
        sections["fairs"],
        title="Hội chợ OCOP Hà Nội",
        body=[products_block(province="Hà Nội", heading="Sản phẩm Hà Nội")],
    )
    event = event_add(sections["events"], title="Tập huấn bán hàng trực tuyến")
    village = village_add(
        sections["villages"],
        title="Làng gốm Bát Tràng",
        craft="Gốm",
        province="Hà Nội",
        producers=[producer],
    )
    index_rebuild(client=os_client)
    return {
        "products": (plenty, few, none),
        "pages": [
            "/",
            "/shop/",
            ceramics.get_absolute_url(),
            plenty.get_absolute_url(),
            few.get_absolute_url(),
            none.get_absolute_url(),
            "/shop/search/?q=g%E1%BB%91m+b%C3%A1t+tr%C3%A0ng",
            "/shop/search/?q=g%E1%BB%91m&stars=4&province=H%C3%A0+N%E1%BB%99i",
            "/shop/search/suggest/?q=g%E1%BB%91m",
            fair.url,
            event.url,
            village.url,
            f"/chung-nhan/?so={plenty.certificate.number}",
            f"/chu-the/{producer.pk}/",
        ],
    }


def _visitor_with_history(products) -> Client:
    """A visitor whose browser carries what no shared page may depend on."""
    client = Client(
        HTTP_REFERER="http://testserver/shop/search/?q=g%C3%B4m", HTTP_ACCEPT_LANGUAGE="en"
    )
    client.cookies["oscar_history"] = json.dumps([p.pk for p in products])
    return client


def test_shopper_pages_are_the_same_for_every_visitor_without_state(shop):
    unshareable = {}
    for url in shop["pages"]:
        # (a first request warms connections, so both below take the same path
        # to OpenSearch or, when it is slow, to the database fallback)
        Client().get(url)
        # given two visitors without basket, session or messages
        first = Client().get(url)
        second = _visitor_with_history(shop["products"]).get(url)
        # then each gets the page, no cookie, no nonce, and the same bytes
        problems = []
        for response in (first, second):
            if response.status_code != 200:
                problems.append(f"status {response.status_code}")
            if response.cookies:
                problems.append(f"sets cookies {sorted(response.cookies)}")
            if "nonce-" in response.get("Content-Security-Policy", ""):
                problems.append("CSP header carries a nonce")
            body = response.content.decode()
            if "csrfmiddlewaretoken" in body or "nonce=" in body:
                problems.append("body carries a CSRF token or a nonce")
        if first.content != second.content:
            problems.append("bodies differ")
        if problems:
            unshareable[url] = sorted(set(problems))
    assert unshareable == {}


def test_shared_pages_start_up_from_static_files_and_per_visitor_pages_keep_their_nonce(shop):
    plenty = shop["products"][0]
    # a shared page: Oscar's start-up call and the posting script, as files
    html = Client().get(plenty.get_absolute_url()).content.decode()
    assert "js/oscar-init.js" in html and "js/basket-add.js" in html
    assert "oscar.init()" not in html
    assert '<meta name="created"' not in html
    # the basket page adds to Oscar's onbodyload: its inline script keeps the nonce
    basket = Client().get("/shop/basket/")
    assert "oscar.basket.init" in basket.content.decode()
    nonce = basket.wsgi_request.csp_nonce
    assert f'nonce="{nonce}"' in basket.content.decode()
    assert f"'nonce-{nonce}'" in basket["Content-Security-Policy"]

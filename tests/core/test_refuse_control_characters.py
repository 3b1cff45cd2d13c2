"""NUL and control characters are refused at the edge with our 400 page
(issue 13, finding 4): PostgreSQL text cannot hold NUL, so before this a
`%00` that reached a query was a 500."""

import pytest
from django.contrib.auth import get_user_model
from django.test import Client
from django.urls import reverse

from marketplace.order.services import order_place
from tests.factories import certified_product_create
from tests.order.conftest import basket_with

pytestmark = pytest.mark.django_db


@pytest.fixture
def http():
    """A client that answers like the server does: exceptions become 500s."""
    return Client(raise_request_exception=False)


@pytest.fixture
def database_search(settings):
    """Search answered by the database backend (the embedded default, and
    what answers while OpenSearch is down)."""
    settings.OPENSEARCH_URL = ""


@pytest.fixture
def buyer_order(hanoi_delivery):
    buyer = get_user_model().objects.create_user(
        username="lan", email="lan@example.vn", password="mat-khau-dai-123"
    )
    basket = basket_with((certified_product_create(title="Nón lá Chuông"), 1))
    basket.owner = buyer
    basket.save()
    order = order_place(basket=basket, delivery=hanoi_delivery, email=buyer.email, user=buyer)
    return buyer, order


def _is_our_400(response) -> bool:
    html = response.content.decode()
    return (
        response.status_code == 400
        and "Yêu cầu không hợp lệ" in html
        and "Traceback" not in html
        and "DataError" not in html
    )


@pytest.mark.parametrize(
    "url",
    [
        "/chung-nhan/?so=%00",
        "/chung-nhan/?so=12%00/QĐ-UBND",
        "/shop/?q=%00",
        "/shop/search/?q=g%00m",
        "/shop/search/?q=gom&province=H%00",
        "/shop/search/suggest/?q=g%00m",
        "/shop/?%00=1",
        "/chung-nhan/%00/",
        "/shop/?q=a%01b",
    ],
)
def test_nul_in_the_query_or_path_is_our_400_not_a_500(url, http, database_search):
    certified_product_create(title="Gốm sứ Bát Tràng")
    assert _is_our_400(http.get(url))


def test_nul_in_an_order_number_is_our_400_not_a_500(http, buyer_order):
    buyer, order = buyer_order
    http.force_login(buyer)
    assert http.get(f"/shop/accounts/orders/{order.number}/").status_code == 200
    assert _is_our_400(http.get(f"/shop/accounts/orders/{order.number}%00/"))
    assert _is_our_400(http.get("/shop/accounts/orders/?order_number=%00"))


def test_nul_in_a_form_field_or_a_cookie_is_our_400(http):
    login = reverse("customer:login")
    posted = http.post(login, {"login-username": "a\x00@b.vn", "login-password": "x"})
    assert _is_our_400(posted)
    multipart = http.post("/chung-nhan/", {"so": "\x00"})  # multipart by default
    assert _is_our_400(multipart)
    http.cookies["sessionid"] = "\x00"
    assert _is_our_400(http.get("/chung-nhan/"))


def test_ordinary_requests_and_typed_whitespace_pass(http, database_search):
    certified_product_create(title="Gốm sứ Bát Tràng")
    assert http.get("/shop/search/?q=g%C3%B4m%09s%E1%BB%A9").status_code == 200
    assert http.get("/chung-nhan/?so=12%2FQ%C4%90-UBND").status_code == 200


def test_a_json_body_is_left_to_its_view(http, settings):
    """The webhook's raw body stays readable: Stripe's signature covers the
    exact bytes, whatever their content type."""
    settings.STRIPE_WEBHOOK_SECRET = "whsec_x"
    response = http.post(
        reverse("stripe-webhook"), data='{"a": "\\u0000"}', content_type="application/json"
    )
    assert response.status_code == 400
    assert b"invalid webhook" in response.content
    # and a form body posted there is still readable by the view once checked
    response = http.post(reverse("stripe-webhook"), {"type": "payment_intent.succeeded"})
    assert response.status_code == 400
    assert b"invalid webhook" in response.content

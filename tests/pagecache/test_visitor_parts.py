"""A visitor with a basket, a session or messages is served the shared page
with their own visitor parts (marketplace.pagecache.parts) and never another
visitor's: basket, name, messages or CSRF token. Real Redis and PostgreSQL,
CSRF checks on, as a browser posts."""

import re
from decimal import Decimal

import pytest
from django.contrib.auth import get_user_model
from django.test import Client
from django.urls import reverse

from marketplace.pagecache.parts import part_mark, parts_fill
from tests.factories import certified_product_create

pytestmark = pytest.mark.django_db

PASSWORD = "đúng-mật-khẩu-2025"
_PART = re.compile(r"<!--visitor-part:\w+-->.*?<!--/visitor-part-->", re.DOTALL)


def _status(response) -> str:
    return response.get("X-Page-Cache", "").split(";")[0]


def _basket_count(html: str) -> str:
    return re.search(r'<span class="basket-link__count">([^<]*)</span>', html).group(1)


def _token(html: str) -> str:
    return re.search(r'name="csrfmiddlewaretoken" value="([^"]+)"', html).group(1)


def _add(client: Client, product, quantity: int) -> None:
    """Add through Oscar's POST with the visitor's own token, as
    js/basket-add.js does."""
    client.get(reverse("csrf-token"))
    token = client.cookies["csrftoken"].value
    response = client.post(
        reverse("basket:add", kwargs={"pk": product.pk}),
        {"quantity": quantity, "csrfmiddlewaretoken": token},
    )
    assert response.status_code == 302


@pytest.fixture
def products():
    return (
        certified_product_create(title="Chè Shan tuyết cổ thụ", price=Decimal("250000")),
        certified_product_create(title="Nước mắm Phú Quốc", price=Decimal("120000")),
    )


@pytest.fixture
def csrf_client():
    return Client(enforce_csrf_checks=True)


def test_a_basket_visitor_gets_the_shared_page_with_their_own_basket(products):
    tea, sauce = products
    assert Client().get("/shop/")["X-Page-Cache"] == "miss"
    first, second = Client(enforce_csrf_checks=True), Client(enforce_csrf_checks=True)
    _add(first, tea, 2)
    _add(second, sauce, 1)
    first_page, second_page = first.get("/shop/"), second.get("/shop/")
    anonymous = Client().get("/shop/")
    assert [_status(r) for r in (first_page, second_page, anonymous)] == ["parts", "parts", "hit"]
    # each sees their own basket, and the shared copy no one's
    assert _basket_count(first_page.content.decode()) == "2"
    assert "500.000" in first_page.content.decode()
    assert _basket_count(second_page.content.decode()) == "1"
    assert "120.000" in second_page.content.decode()
    assert _basket_count(anonymous.content.decode()) == "0"
    # and outside the parts, the page is the shared copy byte for byte
    shared = _PART.sub("", anonymous.content.decode())
    assert _PART.sub("", first_page.content.decode()) == shared
    assert "private" in first_page["Cache-Control"] and "ETag" not in first_page


def test_the_message_after_adding_shows_once_on_a_shared_page(products):
    tea, _ = products
    Client().get("/shop/")
    visitor = Client(enforce_csrf_checks=True)
    _add(visitor, tea, 1)
    shown = visitor.get("/shop/")
    assert _status(shown) == "parts"
    assert "Chè Shan tuyết cổ thụ" in _PART.findall(shown.content.decode())[-1]
    # the message is consumed like on any page: the next page has none
    again = visitor.get("/shop/").content.decode()
    assert "Chè Shan tuyết cổ thụ" not in "".join(
        p for p in _PART.findall(again) if "visitor-part:messages" in p
    )


def test_a_signed_in_customer_gets_their_own_sign_out_form_with_a_working_token(products):
    tea, _ = products
    lan = get_user_model().objects.create_user(
        username="lan", email="lan@example.vn", password=PASSWORD
    )
    Client().get("/shop/")
    customer = Client(enforce_csrf_checks=True)
    customer.force_login(lan)
    page = customer.get("/shop/")
    assert _status(page) == "parts"
    html = page.content.decode()
    assert 'data-testid="logout"' in html and "Đăng nhập" not in _PART.findall(html)[1]
    # the token in their page signs them out (the CSRF cookie came with it)
    response = customer.post(reverse("customer:logout"), {"csrfmiddlewaretoken": _token(html)})
    assert response.status_code == 302
    assert "_auth_user_id" not in customer.session
    # the shared copy has no token and no sign-out form
    shared = Client().get("/shop/").content.decode()
    assert "csrfmiddlewaretoken" not in shared and 'data-testid="logout"' not in shared


def test_the_product_page_is_rendered_by_its_view_for_customers_and_staff(products):
    tea, _ = products
    url = tea.get_absolute_url()
    Client().get(url)
    users = get_user_model().objects
    lan = users.create_user(username="lan", email="lan@example.vn", password=PASSWORD)
    operator = users.create_superuser(
        username="vanhanh", email="vanhanh@ocop.local", password=PASSWORD
    )
    for user in (lan, operator):
        visitor = Client()
        visitor.force_login(user)
        response = visitor.get(url)
        assert response.status_code == 200 and _status(response) != "parts", user.username
    # staff get the view on every page (Oscar's edit links, unlisted previews)
    staff = Client()
    staff.force_login(operator)
    Client().get("/shop/")
    assert _status(staff.get("/shop/")) != "parts"


def test_parts_fill_renders_each_marked_part_for_the_visitor(rf, products):
    from django.contrib.auth.models import AnonymousUser
    from django.contrib.messages.storage.fallback import FallbackStorage

    request = rf.get("/")
    request.user = AnonymousUser()
    request.session = {}
    request._messages = FallbackStorage(request)

    class _Basket:
        num_items = 3
        total_excl_tax = Decimal("90000")
        currency = "VND"

    request.basket = _Basket()
    html = "<p>before</p>" + part_mark("header_basket", "STALE") + "<p>after</p>"
    filled = parts_fill(html, request)
    assert "STALE" not in filled and _basket_count(filled) == "3"
    assert filled.startswith("<p>before</p>") and filled.endswith("<p>after</p>")
    with pytest.raises(ValueError):
        part_mark("someone_elses_basket", "")

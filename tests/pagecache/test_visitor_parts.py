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
from tests.order.conftest import basket_with

pytestmark = pytest.mark.django_db

PASSWORD = "đúng-mật-khẩu-2025"
_PART = re.compile(r"<!--visitor-part:\w+(?::\d+)?-->.*?<!--/visitor-part-->", re.DOTALL)


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


def test_staff_get_every_page_from_its_view(products):
    tea, _ = products
    operator = get_user_model().objects.create_superuser(
        username="vanhanh", email="vanhanh@ocop.local", password=PASSWORD
    )
    staff = Client()
    staff.force_login(operator)
    for url in (tea.get_absolute_url(), "/shop/"):
        Client().get(url)
        response = staff.get(url)
        # Oscar's edit links and previews of unlisted products are theirs
        assert response.status_code == 200 and _status(response) != "parts", url


def test_a_customer_gets_their_own_wish_list_stock_alert_and_review_on_a_shared_product_page():
    from oscar.core.loading import get_model

    WishList = get_model("wishlists", "WishList")
    ProductAlert = get_model("customer", "ProductAlert")
    ProductReview = get_model("reviews", "ProductReview")
    sold_out = certified_product_create(title="Mắm tôm Thanh Hoá", num_in_stock=0)
    lan = get_user_model().objects.create_user(
        username="lan", email="lan@example.vn", password=PASSWORD
    )
    url = sold_out.get_absolute_url()
    shared = Client().get(url)
    assert _status(shared) == "miss"
    # Lan keeps the product in a wish list, has a stock alert on it, and
    # reviewed it; another customer has none of these
    wishlist = WishList.objects.create(owner=lan, name="Quà Tết")
    wishlist.add(sold_out)
    ProductAlert.objects.create(product=sold_out, user=lan, status=ProductAlert.ACTIVE)
    shared = Client().get(url)  # the review below retires the copy; store it again
    ProductReview.objects.create(
        product=sold_out, user=lan, score=5, title="Ngon", body="Đậm đà", status=1
    )
    shared = Client().get(url)
    assert _status(shared) == "miss"
    customer = Client()
    customer.force_login(lan)
    page = customer.get(url)
    other = Client()
    other.force_login(
        get_user_model().objects.create_user(username="minh", email="minh@example.vn")
    )
    others = other.get(url)
    assert _status(page) == "parts" and _status(others) == "parts"
    mine, theirs = page.content.decode(), others.content.decode()
    assert "Quà Tết" in mine and "Quà Tết" not in theirs

    def part(html: str, name: str) -> str:
        return "".join(p for p in _PART.findall(html) if f"visitor-part:{name}:" in p)

    assert 'id="alert_form"' not in part(mine, "stock_alert")  # Lan's alert is active
    assert 'id="alert_form"' in part(theirs, "stock_alert")
    # Lan's review says it is hers and takes no vote from her; the other
    # customer sees Lan's name and may vote, with their own token
    assert "<strong>" not in part(mine, "review_byline") and "vote_agree" not in mine
    assert "<strong>" in part(theirs, "review_byline") and "vote_agree" in theirs
    assert "csrfmiddlewaretoken" in part(theirs, "review_byline")
    # the copy has no one's wish list, alert or token
    copy = shared.content.decode()
    assert "Quà Tết" not in copy and "csrfmiddlewaretoken" not in copy
    assert _PART.sub("", mine) == _PART.sub("", copy)


def test_parts_fill_renders_each_marked_part_for_the_visitor(rf, products):
    from django.contrib.auth.models import AnonymousUser
    from django.contrib.messages.storage.fallback import FallbackStorage

    request = rf.get("/")
    request.user = AnonymousUser()
    request.session = {}
    request._messages = FallbackStorage(request)

    basket = basket_with((products[0], 1), (products[1], 2))
    # as Oscar's BasketMiddleware leaves a request whose basket it has loaded
    request._basket_cache = request.basket = basket
    html = "<p>before</p>" + part_mark("header_basket", "STALE") + "<p>after</p>"
    filled = parts_fill(html, request)
    assert "STALE" not in filled and _basket_count(filled) == "3"
    assert filled.startswith("<p>before</p>") and filled.endswith("<p>after</p>")
    with pytest.raises(ValueError):
        part_mark("someone_elses_basket", "")


def _basket_total(html: str) -> str | None:
    found = re.search(r'<span class="basket-link__total">([^<]*)</span>', html)
    return found.group(1) if found else None


def test_the_header_basket_follows_every_change_to_the_basket_and_the_catalogue(products):
    """The header's count and total are kept between pages
    (marketplace/pagecache/glance.py); each change shows on the next page."""
    from oscar.core.loading import get_model

    Line = get_model("basket", "Line")
    tea, sauce = products
    Client().get("/shop/")
    visitor = Client(enforce_csrf_checks=True)
    _add(visitor, tea, 1)
    page = visitor.get("/shop/").content.decode()
    assert _basket_count(page) == "1" and "250.000" in _basket_total(page)
    assert _basket_count(visitor.get("/shop/").content.decode()) == "1"  # from the glance
    _add(visitor, sauce, 2)
    page = visitor.get("/shop/").content.decode()
    assert _basket_count(page) == "3" and "490.000" in _basket_total(page)
    # a quantity changed underneath, without Oscar's save (no date_updated)
    line = Line.objects.get(product=sauce)
    Line.objects.filter(pk=line.pk).update(quantity=1)
    page = visitor.get("/shop/").content.decode()
    assert _basket_count(page) == "2" and "370.000" in _basket_total(page)
    # the price changes in the catalogue
    tea.stockrecords.update(price=Decimal("300000"))
    page = visitor.get("/shop/").content.decode()
    assert "420.000" in _basket_total(page)
    # one line swapped for another with the same count
    Line.objects.filter(product=tea).delete()
    line.quantity = 2
    line.save()
    page = visitor.get("/shop/").content.decode()
    assert _basket_count(page) == "2" and "240.000" in _basket_total(page)


def test_a_basket_visitors_shared_page_reads_the_basket_in_three_queries(
    products, django_assert_max_num_queries
):
    """Oscar's full basket (offers tried, each line priced and checked
    against the listing rule) cost about a dozen queries and 8-20 ms on
    every page a visitor with a basket opened, even pages from the cache.
    Once its glance is kept: the basket row, its lines' signature, the
    catalogue generation."""
    tea, sauce = products
    Client().get("/shop/")
    visitor = Client(enforce_csrf_checks=True)
    _add(visitor, tea, 1)
    _add(visitor, sauce, 1)
    visitor.get("/shop/")  # the message after adding, and the glance kept
    with django_assert_max_num_queries(3):
        page = visitor.get("/shop/")
    assert _status(page) == "parts" and _basket_count(page.content.decode()) == "2"

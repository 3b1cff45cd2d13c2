"""Operators read an order's status in their language, not its code (issue
15, finding 9: the back office showed a raw "placed" in the order list, the
order page, the customer page and the status selects)."""

import re

import pytest
from django.conf import settings
from django.urls import reverse
from oscar.core.loading import get_model

from marketplace.order.models import OrderStatus
from marketplace.order.services import order_place, parcel_move
from tests.factories import certified_product_create, producer_create
from tests.order.conftest import basket_with

Order = get_model("order", "Order")

pytestmark = pytest.mark.django_db


@pytest.fixture
def order(admin_user, hanoi_delivery):
    product = certified_product_create(
        title="Bình gốm men lam", producer=producer_create(), num_in_stock=10
    )
    placed = order_place(
        basket=basket_with((product, 1)),
        delivery=hanoi_delivery,
        email=admin_user.email,
        user=admin_user,
    )
    # one status change, so the order page's history has a row
    parcel_move(parcel=placed.parcels.get(), status="packed")
    placed.refresh_from_db()
    return placed


def _cells_and_options(html: str) -> list[str]:
    """The text of every table cell and select option on the page."""
    return [
        re.sub(r"<[^>]+>", "", text).strip()
        for text in re.findall(r"<(?:td|option)[^>]*>(.*?)</(?:td|option)>", html, re.S)
    ]


def _pages(order) -> dict[str, str]:
    return {
        "order list": reverse("dashboard:order-list"),
        "order list, filtered": reverse("dashboard:order-list") + "?status=packed",
        "order detail": reverse("dashboard:order-detail", kwargs={"number": order.number}),
        "user detail": reverse("dashboard:user-detail", kwargs={"pk": order.user_id}),
        "statistics": reverse("dashboard:order-stats"),
    }


@pytest.mark.parametrize(
    ("language", "packed", "placed"),
    [("vi", "Đã đóng gói", "Đã đặt"), ("en", "Packed", "Placed")],
)
def test_back_office_order_pages_show_status_labels_never_codes(
    admin_client, order, language, packed, placed
):
    admin_client.cookies["django_language"] = language
    for name, url in _pages(order).items():
        html = admin_client.get(url).content.decode()
        texts = _cells_and_options(html)
        assert packed in texts, (name, language)
        for code in OrderStatus.values:
            assert code not in texts, (name, language, code)
        assert "'placed'" not in html and "'packed'" not in html, name
    # the order page's history reads "placed → packed" in words too
    html = admin_client.get(_pages(order)["order detail"]).content.decode()
    assert placed in _cells_and_options(html)


def test_the_order_status_select_posts_codes_under_labels(admin_client, order):
    html = admin_client.get(reverse("dashboard:order-list")).content.decode()
    select = re.search(r'<select name="new_status">.*?</select>', html, re.S).group(0)
    assert '<option value="delivered">Đã giao</option>' in select
    detail = admin_client.get(
        reverse("dashboard:order-detail", kwargs={"number": order.number})
    ).content.decode()
    assert re.search(r'<option value="shipped"[^>]*>Đang giao</option>', detail)


def test_the_status_filter_and_its_description_speak_the_operators_language(admin_client, order):
    admin_client.cookies["django_language"] = "en"
    html = admin_client.get(reverse("dashboard:order-list") + "?status=packed").content.decode()
    assert re.search(r'<option value="packed" selected>Packed</option>', html)
    assert "Order status is Packed" in html


def test_changing_a_status_in_the_back_office_says_so_in_words(admin_client, order):
    response = admin_client.post(
        reverse("dashboard:order-detail", kwargs={"number": order.number}),
        {"order_action": "change_order_status", "new_status": "shipped"},
        follow=True,
    )
    order.refresh_from_db()
    assert order.status == "shipped"
    said = [str(m) for m in response.context["messages"]]
    assert any("Đã đóng gói" in m and "Đang giao" in m for m in said), said
    assert not any("'packed'" in m for m in said), said


def test_every_pipeline_status_has_a_label():
    assert set(OrderStatus.values) == set(settings.OSCAR_ORDER_STATUS_PIPELINE)
    assert Order(status="refunded").get_status_display() == "Đã hoàn tiền"


@pytest.mark.parametrize(("language", "label"), [("vi", "Bộ lọc:"), ("en", "Filters:")])
def test_the_filter_list_heading_is_in_the_operators_language(admin_client, order, language, label):
    """Oscar writes "Filters:" without trans, so a Vietnamese operator read
    it in English above every filtered order list."""
    admin_client.cookies["django_language"] = language
    html = admin_client.get(reverse("dashboard:order-list") + "?status=packed").content.decode()
    assert f"<label>{label}</label>" in html

"""The thank-you and order pages a buyer sees after "Đặt hàng" (issue 15,
finding 2: no items or address on the thank-you page; the mail's link asked
the same browser for its email on an English, unstyled form; the status page
showed a raw "placed", the city twice, "inc thuế" and a stray "Tổng số")."""

import re
from decimal import Decimal

import pytest
from django.urls import reverse
from oscar.core.loading import get_model

from marketplace.order.services import parcel_move
from tests.checkout.test_checkout_page import FORM, _add, products  # noqa: F401 (fixture)
from tests.factories import checkout_shown

Order = get_model("order", "Order")

pytestmark = pytest.mark.django_db

DA_NANG = {**FORM, "province": "Đà Nẵng", "ward": "Phường Hải Châu", "street": "5 Bạch Đằng"}


@pytest.fixture
def placed(client, products):  # noqa: F811
    _add(client, products["gom"])
    _add(client, products["lua"], 2)
    client.post(reverse("checkout:index"), checkout_shown(client, DA_NANG))
    return Order.objects.get()


def _status_link(order) -> str:
    return reverse(
        "customer:anon-order-form",
        kwargs={"order_number": order.number, "hash": order.verification_hash()},
    )


def test_the_thank_you_page_lists_items_per_parcel_address_payment_and_what_comes_next(
    client, placed
):
    html = client.get(reverse("checkout:thank-you")).content.decode()
    assert html.count('data-testid="parcel"') == 2
    assert "Bình gốm Bát Tràng × 1" in html and "Khăn lụa Vạn Phúc × 2" in html
    assert "640.000" in html  # two scarves
    assert "5 Bạch Đằng, Phường Hải Châu, Đà Nẵng" in html and "Nguyễn Thị Lan" in html
    assert "Thanh toán khi nhận hàng (COD)" in html
    assert 'data-testid="what-next"' in html and "cho người giao hàng khi nhận" in html
    assert str(placed.number) in html


def test_the_browser_that_ordered_opens_the_order_link_without_typing_the_email(client, placed):
    page = client.get(_status_link(placed), follow=True)
    html = page.content.decode()
    assert page.redirect_chain and 'data-testid="order-summary"' in html
    assert 'data-testid="anon-order-form"' not in html


def test_another_browser_is_asked_for_the_email_in_vietnamese_then_sees_the_order(placed):
    from django.test import Client

    stranger = Client()
    form = stranger.get(_status_link(placed)).content.decode()
    assert 'data-testid="anon-order-form"' in form and 'data-testid="order-summary"' not in form
    assert "Enter the following information" not in form and "Email đã dùng khi đặt hàng" in form
    wrong = stranger.post(_status_link(placed), {"email": "ai.do@example.vn"})
    assert "Không có đơn hàng này với email đó." in wrong.content.decode()
    right = stranger.post(_status_link(placed), {"email": "lan@example.vn"}, follow=True)
    assert 'data-testid="order-summary"' in right.content.decode()


def test_the_status_page_shows_each_parcels_timeline_in_vietnamese_and_nothing_raw(client, placed):
    silk = placed.parcels.get(producer__name="HTX Lụa Vạn Phúc")
    parcel_move(parcel=silk, status="packed")
    parcel_move(parcel=silk, status="shipped", tracking_number="GHN-778899")
    html = client.get(_status_link(placed), follow=True).content.decode()
    # each parcel's current step, the tracking number beside "Đang giao"
    assert html.count('aria-current="step"') == 2
    assert "Đang giao" in html and "GHN-778899" in html and "Đã đặt" in html
    # and none of Oscar's raw or doubled bits
    for leftover in (">placed<", "Đà Nẵng / Đà Nẵng", "inc thuế", "Tổng số", "Shipping"):
        assert leftover not in html, leftover
    assert "Đà Nẵng" in html
    assert placed.total_incl_tax == Decimal(450000 + 2 * 320000 + 2 * 40000)
    assert "1.170.000" in html


def test_the_status_page_shows_the_carrier_beside_the_tracking_number(client, placed):
    silk = placed.parcels.get(producer__name="HTX Lụa Vạn Phúc")
    parcel_move(parcel=silk, status="packed")
    parcel_move(parcel=silk, status="shipped", tracking_number="GHN-778899", carrier="GHN")
    html = client.get(_status_link(placed), follow=True).content.decode()
    shipment = re.search(r'data-testid="parcel-shipment">(.*?)</small>', html, re.S)
    assert shipment, "the shipped step's carrier and tracking number"
    text = " ".join(re.sub(r"<[^>]+>", " ", shipment.group(1)).split())
    assert text == "GHN · Mã vận đơn GHN-778899"

"""The shopper is charged the total the checkout last showed them, never
another (issue 15, finding 1: the page showed 3.470.000 ₫ and the first
"Đặt hàng" placed an order of 3.550.000 ₫, shipping included unseen)."""

import re
from decimal import Decimal

import pytest
from django.urls import reverse
from oscar.core.loading import get_model

from marketplace.payments.models import PaymentAttempt
from tests.checkout.test_checkout_page import FORM, _add
from tests.factories import SHOWN_TOTAL, certified_product_create, checkout_shown, producer_create

Order = get_model("order", "Order")

pytestmark = pytest.mark.django_db

HANOI, HUE = Decimal(25000), Decimal(40000)


@pytest.fixture
def lua():
    return certified_product_create(
        title="Khăn lụa Vạn Phúc",
        producer=producer_create("HTX Lụa Vạn Phúc", allows_pickup=True),
        price=Decimal("320000"),
    )


def _shown(html: str) -> str:
    found = SHOWN_TOTAL.search(html)
    assert found, "the page carries the total it shows"
    return found.group(1)


def _total_on_screen(html: str) -> str:
    found = re.search(r'data-testid="order-total">([^<]+)<', html)
    return found.group(1).strip().replace("\xa0", " ") if found else ""


def test_a_first_order_click_without_a_total_on_screen_shows_it_and_places_nothing(client, lua):
    # given a guest whose checkout page showed no total (no province picked,
    # or no script to fetch it)
    _add(client, lua)
    page = client.get(reverse("checkout:index")).content.decode()
    assert _total_on_screen(page) == "" and _shown(page) == ""
    # when they fill in the address and press "Đặt hàng"
    response = client.post(reverse("checkout:index"), FORM)
    # then nothing is placed, and the page shows the total with shipping and asks again
    html = response.content.decode()
    assert response.status_code == 200 and not Order.objects.exists()
    assert _total_on_screen(html) == "345.000 ₫"
    assert "Hãy kiểm tra rồi bấm “Đặt hàng” lần nữa" in html
    # and the second press places the order at exactly that total
    placed = client.post(reverse("checkout:index"), {**FORM, "shown_total": _shown(html)})
    assert placed.status_code == 302
    assert Order.objects.get().total_incl_tax == Decimal(320000) + HANOI


def test_a_province_changed_after_the_total_was_shown_is_not_charged_unseen(client, lua):
    # given the page showed the total for Hà Nội
    _add(client, lua)
    shown_for_hanoi = checkout_shown(client, FORM)["shown_total"]
    assert shown_for_hanoi == str(320000 + 25000)
    # when the shopper switches to Huế and the form still carries Hà Nội's total
    response = client.post(
        reverse("checkout:index"),
        {**FORM, "province": "Huế", "shown_total": shown_for_hanoi},
    )
    # then no order: the page shows Huế's total instead
    html = response.content.decode()
    assert response.status_code == 200 and not Order.objects.exists()
    assert _shown(html) == str(320000 + 40000) and _total_on_screen(html) == "360.000 ₫"
    # and confirming it places the order at Huế's total
    client.post(reverse("checkout:index"), {**FORM, "province": "Huế", "shown_total": _shown(html)})
    assert Order.objects.get().total_incl_tax == Decimal(320000) + HUE


def test_the_summary_follows_province_and_pickup_with_the_order_quote(client, lua):
    _add(client, lua, 2)
    url = reverse("checkout:summary")
    none_yet = client.get(url).content.decode()
    assert _shown(none_yet) == "" and "chọn tỉnh/thành để tính" in none_yet
    hue = client.get(url, {"province": "Huế"})
    assert hue.status_code == 200 and "private" in hue["Cache-Control"]
    assert _shown(hue.content.decode()) == str(2 * 320000 + 40000)
    producer_id = lua.stockrecords.get().partner.producer.pk
    pickup = client.get(url, {"province": "Huế", "pickup": producer_id}).content.decode()
    assert _shown(pickup) == str(2 * 320000) and "Nhận tại cơ sở: miễn phí" in pickup
    # an unknown province is no province, and another visitor has no basket here
    assert _shown(client.get(url, {"province": "Atlantis"}).content.decode()) == ""
    assert type(client)().get(url).status_code == 204


def test_a_card_is_not_asked_for_a_total_the_shopper_was_not_shown(client, lua, settings):
    settings.STRIPE_SECRET_KEY = "sk_test_123"
    settings.STRIPE_PUBLISHABLE_KEY = "pk_test_ocop"
    _add(client, lua)
    shown_for_hanoi = checkout_shown(client, FORM)["shown_total"]
    response = client.post(
        reverse("checkout:index"),
        {**FORM, "payment": "card", "province": "Huế", "shown_total": shown_for_hanoi},
    )
    assert response.status_code == 200 and 'data-testid="card-payment"' not in (
        response.content.decode()
    )
    assert not PaymentAttempt.objects.exists()


def test_the_basket_says_where_shipping_is_worked_out_instead_of_free(client, lua):
    _add(client, lua)
    html = client.get(reverse("basket:summary")).content.decode()
    assert 'data-testid="basket-shipping"' in html and "tính ở bước thanh toán" in html
    assert "25.000" in html and "40.000" in html
    assert "miễn phí 0" not in html.lower() and "Free shipping" not in html
    assert "Tạm tính (chưa gồm vận chuyển)" in html

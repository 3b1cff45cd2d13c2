"""A "Đặt hàng" sent again after the first placed the order, its answer lost
(the web process died before replying, or a double click's second POST
reached another process late): the shopper sees the order they have, not
"Giỏ hàng đang trống", and still has exactly one."""

import re
from decimal import Decimal

import pytest
from django.conf import settings
from django.contrib.auth import get_user_model
from django.urls import reverse
from oscar.core.loading import get_model

from marketplace.checkout.views import SESSION_ORDER
from tests.checkout.test_checkout_page import FORM, _add
from tests.factories import certified_product_create, checkout_shown, producer_create

Order = get_model("order", "Order")

pytestmark = pytest.mark.django_db

PLACING = re.compile(r'name="placing" value="([^"]+)"')


@pytest.fixture
def lua():
    return certified_product_create(
        title="Khăn lụa Vạn Phúc",
        producer=producer_create("HTX Lụa Vạn Phúc"),
        price=Decimal("320000"),
    )


def _placed_and_answer_lost(client) -> tuple[dict, Order]:
    """Open the checkout, press "Đặt hàng", and lose the answer: the browser
    keeps the cookies it had, and the session never heard of the order."""
    page = client.get(reverse("checkout:index")).content.decode()
    form = {**checkout_shown(client, FORM), "placing": PLACING.search(page).group(1)}
    cookies_before = {name: morsel.value for name, morsel in client.cookies.items()}
    assert client.post(reverse("checkout:index"), form).status_code == 302
    session = client.session
    session.pop(SESSION_ORDER, None)
    session.save()
    for name, value in cookies_before.items():
        client.cookies[name] = value
    return form, Order.objects.get()


def test_the_repeated_press_shows_the_order_the_first_placed(client, lua):
    # given a guest whose "Đặt hàng" placed the order but whose answer was lost
    _add(client, lua)
    form, order = _placed_and_answer_lost(client)
    assert settings.OSCAR_BASKET_COOKIE_OPEN in client.cookies
    # when they press it again
    again = client.post(reverse("checkout:index"), form)
    # then they are shown that order, and it is still the only one
    assert again.status_code == 302 and again["Location"] == reverse("checkout:thank-you")
    thanks = client.get(again["Location"]).content.decode()
    assert f'data-testid="order-number">{order.number}<' in thanks
    assert Order.objects.count() == 1


def test_a_signed_in_shoppers_order_is_shown_to_them_alone(client, lua):
    # given a signed-in shopper whose "Đặt hàng" placed the order, answer lost
    owner = get_user_model().objects.create_user("lan", "lan@example.vn", "mat-khau-lan")
    client.force_login(owner)
    _add(client, lua)
    form, order = _placed_and_answer_lost(client)
    # when someone else signed in sends the same form (the token is the page's)
    client.force_login(get_user_model().objects.create_user("minh", "minh@example.vn", "x"))
    other = client.post(reverse("checkout:index"), form)
    # then they see an empty basket, not the order
    assert other["Location"] == reverse("basket:summary")
    # and the owner sees their order
    client.force_login(owner)
    again = client.post(reverse("checkout:index"), form)
    assert again["Location"] == reverse("checkout:thank-you")
    assert Order.objects.count() == 1


def test_a_forged_basket_name_shows_nothing(client, lua):
    # given an order placed by a guest
    _add(client, lua)
    form, order = _placed_and_answer_lost(client)
    # when another visitor names that basket without the page's signature
    other = client.__class__()
    forged = other.post(reverse("checkout:index"), {**form, "placing": str(order.basket_id)})
    # then they see an empty basket
    assert forged["Location"] == reverse("basket:summary")

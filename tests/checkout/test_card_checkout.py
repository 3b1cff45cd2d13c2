"""Card checkout pages around Stripe (stripe-mock) and the signed webhook."""

from decimal import Decimal

import pytest
from django.urls import reverse
from oscar.core.loading import get_model

from marketplace.payments.models import PaymentAttempt
from tests.checkout.test_checkout_page import FORM, _add
from tests.factories import certified_product_create, checkout_shown
from tests.payments.conftest import WEBHOOK_SECRET, event, payment_intent, signed_post

Order = get_model("order", "Order")
Basket = get_model("basket", "Basket")

pytestmark = pytest.mark.django_db


@pytest.fixture
def card_keys(settings):
    settings.STRIPE_PUBLISHABLE_KEY = "pk_test_ocop"
    settings.STRIPE_WEBHOOK_SECRET = WEBHOOK_SECRET
    return settings


@pytest.fixture
def khan():
    return certified_product_create(title="Khăn lụa Vạn Phúc", price=Decimal("320000"))


def test_without_stripe_keys_only_cod_is_offered(client, khan, settings):
    settings.STRIPE_SECRET_KEY = ""
    _add(client, khan)
    html = client.get(reverse("checkout:index")).content.decode()
    assert 'value="cod"' in html and 'value="card"' not in html


def test_card_checkout_shows_the_payment_element_then_the_webhook_places_the_order(
    client, khan, card_keys
):
    # given a basket and card keys
    _add(client, khan)
    assert 'value="card"' in client.get(reverse("checkout:index")).content.decode()
    # when the shopper chooses card
    page = client.post(
        reverse("checkout:index"), checkout_shown(client, {**FORM, "payment": "card"})
    )
    html = page.content.decode()
    # then Stripe's Payment Element is shown for the whole-đồng total, basket frozen
    attempt = PaymentAttempt.objects.get()
    assert page.status_code == 200 and 'data-testid="card-payment"' in html
    assert attempt.amount == 320000 + 25000
    assert 'data-publishable-key="pk_test_ocop"' in html and "js.stripe.com/v3" in html
    assert Basket.objects.get(pk=attempt.basket_id).status == Basket.FROZEN
    # and back from Stripe before the bank confirms, the shopper waits
    back = reverse("checkout:card-return") + f"?payment_intent={attempt.payment_intent_id}"
    pending = client.get(back)
    assert pending.status_code == 202 and not Order.objects.exists()
    # when Stripe's signed webhook says it succeeded
    assert (
        signed_post(client, event("payment_intent.succeeded", payment_intent(attempt))).status_code
        == 200
    )
    # then the return page finds the one order and shows it
    done = client.get(back)
    assert done.status_code == 302 and done["Location"] == reverse("checkout:thank-you")
    order = Order.objects.get()
    assert (order.payment_method, order.payment_state) == ("card", "paid")
    assert order.number in client.get(done["Location"]).content.decode()


def test_someone_elses_payment_intent_on_the_return_page_is_refused(client, khan, card_keys):
    _add(client, khan)
    client.post(reverse("checkout:index"), checkout_shown(client, {**FORM, "payment": "card"}))
    attempt = PaymentAttempt.objects.get()
    stranger = type(client)()
    response = stranger.get(
        reverse("checkout:card-return") + f"?payment_intent={attempt.payment_intent_id}"
    )
    assert response.status_code == 302 and response["Location"] == reverse("basket:summary")


def test_leaving_the_card_page_gives_the_basket_back_for_cod(client, khan, card_keys):
    _add(client, khan)
    client.post(reverse("checkout:index"), checkout_shown(client, {**FORM, "payment": "card"}))
    # back on the checkout page, the basket is there again and COD works
    page = client.get(reverse("checkout:index"))
    assert page.status_code == 200 and "Khăn lụa Vạn Phúc" in page.content.decode()
    placed = client.post(reverse("checkout:index"), checkout_shown(client, FORM))
    assert placed.status_code == 302
    assert Order.objects.get().payment_method == "cod"

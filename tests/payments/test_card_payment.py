"""Starting a card payment and fulfilling it (services, real PostgreSQL,
stripe-mock for the client calls)."""

from decimal import Decimal

import pytest
from oscar.core.loading import get_model

from marketplace.order.exceptions import CheckoutRefused
from marketplace.order.services import Delivery
from marketplace.payments.models import PaymentAttempt
from marketplace.payments.services import card_payment_start, fulfil, payment_failed
from tests.order.conftest import basket_with
from tests.payments.conftest import payment_intent

Basket = get_model("basket", "Basket")
Order = get_model("order", "Order")
StockRecord = get_model("partner", "StockRecord")

pytestmark = pytest.mark.django_db


def test_card_payment_start_asks_stripe_for_the_quote_in_whole_dong_and_freezes_the_basket(
    started,
):
    # given a shopper who chose card (fixture: 2 × 150.000 ₫ + 30.000 ₫ to Hà Nội)
    attempt = PaymentAttempt.objects.get(pk=started.pk)
    # then the attempt is for the quote's total, in đồng, not ×100
    assert attempt.amount == 330000
    assert attempt.currency == "vnd"
    assert attempt.status == "pending"
    # and it names the PaymentIntent stripe-mock created and the order to come
    assert attempt.payment_intent_id.startswith("pi_")
    assert attempt.order_number == str(100000 + attempt.basket_id)
    assert (attempt.delivery_province, attempt.delivery_street) == ("Hà Nội", "12 Quảng An")
    # and the caller got the client secret, which is not stored
    assert started.client_secret.startswith("pi_")
    assert "secret" in started.client_secret
    # and the basket cannot change while the shopper pays
    assert Basket.objects.get(pk=attempt.basket_id).status == Basket.FROZEN


def test_a_retry_keeps_the_basket_on_its_one_payment_intent(started, stripe_client, settings):
    settings.SHIPPING_RATE_OTHER_PROVINCES = 45000
    basket = Basket.objects.get(pk=started.basket_id)
    # when the shopper reloads and changes the address to another province
    elsewhere = Delivery(name="Lan", phone="0912345678", province="Huế", street="1 Lê Lợi")
    again = card_payment_start(
        client=stripe_client, basket=basket, delivery=elsewhere, email="lan@example.vn"
    )
    # then the same attempt and PaymentIntent carry the new total
    assert again.pk == started.pk
    assert again.payment_intent_id == started.payment_intent_id
    assert PaymentAttempt.objects.count() == 1
    assert again.amount == 300000 + 45000
    assert again.delivery_province == "Huế"
    assert again.client_secret


def test_a_paid_basket_cannot_start_another_card_payment(started, stripe_client, hanoi_delivery):
    fulfil(payment_intent=payment_intent(started))
    basket = Basket.objects.get(pk=started.basket_id)
    with pytest.raises(CheckoutRefused):
        card_payment_start(
            client=stripe_client, basket=basket, delivery=hanoi_delivery, email="lan@example.vn"
        )


def test_fulfil_places_one_card_order_however_often_it_runs(started):
    intent = payment_intent(started)
    # when the return page and the webhook both fulfil, twice each
    orders = [fulfil(payment_intent=intent) for _ in range(4)]
    # then one paid card order
    assert len({o.pk for o in orders}) == 1
    order = orders[0]
    assert Order.objects.count() == 1
    assert (order.payment_method, order.payment_state) == ("card", "paid")
    assert order.total_incl_tax == Decimal(330000)
    assert order.guest_email == "lan@example.vn"
    assert order.shipping_address.state == "Hà Nội"
    attempt = PaymentAttempt.objects.get(pk=started.pk)
    assert (attempt.status, attempt.order_id) == ("succeeded", order.pk)
    assert Basket.objects.get(pk=started.basket_id).status == Basket.SUBMITTED


def test_fulfil_waits_for_a_payment_that_has_not_succeeded(started):
    assert fulfil(payment_intent=payment_intent(started, status="processing")) is None
    assert Order.objects.count() == 0
    assert PaymentAttempt.objects.get(pk=started.pk).status == "pending"


def test_fulfil_accepts_a_payment_intent_object_from_the_client(started, stripe_client):
    # the return page retrieves the PaymentIntent: a StripeObject, not a dict
    from stripe import PaymentIntent

    intent = PaymentIntent.construct_from(payment_intent(started), "sk_test_123")
    order = fulfil(payment_intent=intent)
    assert order is not None and order.payment_method == "card"


def test_a_price_moved_while_paying_is_an_amount_mismatch_not_an_order(started):
    # given the producer raised the price after the PaymentIntent was made
    basket = Basket.objects.get(pk=started.basket_id)
    line = basket.all_lines()[0]
    StockRecord.objects.filter(pk=line.stockrecord_id).update(price=Decimal("160000"))
    # when Stripe reports the (old) amount paid
    assert fulfil(payment_intent=payment_intent(started)) is None
    # then nothing is placed, and the attempt says why
    attempt = PaymentAttempt.objects.get(pk=started.pk)
    assert attempt.status == "amount_mismatch"
    assert "350000" in attempt.problem and "330000" in attempt.problem
    assert Order.objects.count() == 0
    # and a redelivery does not place it either
    assert fulfil(payment_intent=payment_intent(started)) is None
    assert Order.objects.count() == 0


def test_sold_out_while_paying_records_the_problem_and_places_nothing(started, caplog):
    basket = Basket.objects.get(pk=started.basket_id)
    StockRecord.objects.filter(pk=basket.all_lines()[0].stockrecord_id).update(num_in_stock=1)
    assert fulfil(payment_intent=payment_intent(started)) is None
    attempt = PaymentAttempt.objects.get(pk=started.pk)
    assert attempt.status == "pending" and "Nón lá Chuông" in attempt.problem
    assert Order.objects.count() == 0
    assert any(r.levelname == "ERROR" for r in caplog.records)


def test_payment_failed_thaws_the_basket_and_a_retry_freezes_it_again(
    started, stripe_client, hanoi_delivery
):
    payment_failed(
        payment_intent=payment_intent(
            started,
            status="requires_payment_method",
            last_payment_error={"message": "Your card was declined."},
        )
    )
    attempt = PaymentAttempt.objects.get(pk=started.pk)
    basket = Basket.objects.get(pk=started.basket_id)
    assert (attempt.status, attempt.problem) == ("failed", "Your card was declined.")
    assert basket.status == Basket.OPEN
    # when the shopper tries another card
    again = card_payment_start(
        client=stripe_client, basket=basket, delivery=hanoi_delivery, email="lan@example.vn"
    )
    assert (again.pk, again.status) == (started.pk, "pending")
    assert Basket.objects.get(pk=started.basket_id).status == Basket.FROZEN


def test_a_late_failure_for_a_paid_intent_changes_nothing(started):
    order = fulfil(payment_intent=payment_intent(started))
    payment_failed(payment_intent=payment_intent(started, status="requires_payment_method"))
    attempt = PaymentAttempt.objects.get(pk=started.pk)
    assert (attempt.status, attempt.order_id) == ("succeeded", order.pk)
    assert Basket.objects.get(pk=started.basket_id).status == Basket.SUBMITTED


def test_an_empty_basket_cannot_start_a_card_payment(stripe_client, hanoi_delivery):
    basket = basket_with()
    with pytest.raises(CheckoutRefused):
        card_payment_start(
            client=stripe_client, basket=basket, delivery=hanoi_delivery, email="a@b.vn"
        )
    assert PaymentAttempt.objects.count() == 0
    assert Basket.objects.get(pk=basket.pk).status == Basket.OPEN


def test_an_offer_sends_stripe_a_whole_dong_amount(db, stripe_client, hanoi_delivery):
    from oscar.test import factories

    from marketplace.order.services import checkout_quote
    from tests.factories import certified_product_create

    Benefit = get_model("offer", "Benefit")
    Condition = get_model("offer", "Condition")
    range_ = factories.RangeFactory(includes_all_products=True)
    factories.ConditionalOfferFactory(
        condition=factories.ConditionFactory(range=range_, type=Condition.COUNT, value=1),
        benefit=factories.BenefitFactory(range=range_, type=Benefit.PERCENTAGE, value=15),
    )
    product = certified_product_create(title="Mứt sen Tây Hồ", price=Decimal("99999"))
    basket = basket_with((product, 3))
    attempt = card_payment_start(
        client=stripe_client, basket=basket, delivery=hanoi_delivery, email="a@b.vn"
    )
    quote = checkout_quote(basket, delivery=hanoi_delivery)
    assert basket.total_discount > 0
    assert isinstance(attempt.amount, int)
    assert (
        Decimal(attempt.amount) == quote.total.incl_tax == quote.total.incl_tax.to_integral_value()
    )

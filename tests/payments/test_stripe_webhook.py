"""Stripe's webhook: signed, at least once, out of order (real PostgreSQL)."""

import logging
import threading

import pytest
from django.db import connection
from django.test import Client
from oscar.core.loading import get_model

from marketplace.payments.models import PaymentAttempt
from marketplace.payments.services import card_payment_start, fulfil
from tests.factories import certified_product_create
from tests.order.conftest import basket_with
from tests.payments.conftest import event, payment_intent, signed_post

Basket = get_model("basket", "Basket")
Order = get_model("order", "Order")

pytestmark = pytest.mark.django_db


def test_succeeded_delivered_three_times_out_of_order_places_one_card_order(
    started, stripe_client, hanoi_delivery, webhook_secret, client
):
    # given a second shopper whose card was declined, on their own PaymentIntent
    other_basket = basket_with((certified_product_create(title="Lụa Vạn Phúc"), 1))
    other = card_payment_start(
        client=stripe_client, basket=other_basket, delivery=hanoi_delivery, email="b@b.vn"
    )
    assert other.payment_intent_id != started.payment_intent_id
    succeeded = event("payment_intent.succeeded", payment_intent(started))
    # when the other's failure arrives first, then ours succeeds three times,
    # with the return page fulfilling in between
    failed_other = event(
        "payment_intent.payment_failed", payment_intent(other, status="requires_payment_method")
    )
    assert signed_post(client, failed_other).status_code == 200
    assert signed_post(client, succeeded).status_code == 200
    from_return_page = fulfil(payment_intent=payment_intent(started))
    assert signed_post(client, succeeded).status_code == 200
    assert signed_post(client, succeeded).status_code == 200
    # and a stale failure for our PaymentIntent comes last
    stale = event(
        "payment_intent.payment_failed", payment_intent(started, status="requires_payment_method")
    )
    assert signed_post(client, stale).status_code == 200
    # then exactly one order, paid by card, for our basket only
    order = Order.objects.get()
    assert order.pk == from_return_page.pk
    assert order.basket_id == started.basket_id
    assert (order.payment_method, order.payment_state) == ("card", "paid")
    attempt = PaymentAttempt.objects.get(pk=started.pk)
    assert (attempt.status, attempt.order_id) == ("succeeded", order.pk)
    # and the other shopper's basket is open again, their attempt failed
    other.refresh_from_db()
    assert other.status == "failed" and other.order_id is None
    assert Basket.objects.get(pk=other_basket.pk).status == Basket.OPEN


def test_a_forged_signature_is_refused_and_changes_nothing(started, webhook_secret, client):
    succeeded = event("payment_intent.succeeded", payment_intent(started))
    response = signed_post(client, succeeded, secret="whsec_someone_else")
    assert response.status_code == 400
    assert Order.objects.count() == 0
    assert PaymentAttempt.objects.get(pk=started.pk).status == "pending"
    assert Basket.objects.get(pk=started.basket_id).status == Basket.FROZEN


def test_a_missing_signature_is_refused(started, webhook_secret, client):
    succeeded = event("payment_intent.succeeded", payment_intent(started))
    assert signed_post(client, succeeded, header=False).status_code == 400
    assert Order.objects.count() == 0


def test_without_a_configured_secret_every_webhook_is_refused(started, settings, client):
    settings.STRIPE_WEBHOOK_SECRET = ""
    succeeded = event("payment_intent.succeeded", payment_intent(started))
    assert signed_post(client, succeeded, secret="").status_code == 400
    assert Order.objects.count() == 0


@pytest.mark.parametrize("body", ["{not json", "[]", '"text"', '{"object": "event"}'])
def test_signed_garbage_is_a_400_not_a_500(body, webhook_secret, client):
    assert signed_post(client, body).status_code == 400


def test_a_succeeded_event_without_a_payment_intent_is_refused(webhook_secret, client):
    broken = event("payment_intent.succeeded", {"id": "pi_x"})
    broken["data"] = {}
    assert signed_post(client, broken).status_code == 400


def test_only_post_is_accepted(client):
    assert client.get("/payments/stripe/webhook/").status_code == 405


def test_an_unknown_payment_intent_is_acknowledged_and_logged(
    started, webhook_secret, client, caplog
):
    unknown = event("payment_intent.succeeded", payment_intent("pi_not_ours", amount=330000))
    with caplog.at_level(logging.WARNING, logger="marketplace.payments"):
        response = signed_post(client, unknown)
    assert response.status_code == 200
    assert Order.objects.count() == 0
    assert PaymentAttempt.objects.get(pk=started.pk).status == "pending"
    warnings = [r for r in caplog.records if r.levelno == logging.WARNING]
    assert any("pi_not_ours" in r.getMessage() for r in warnings)


def test_other_event_types_are_acknowledged_and_ignored(started, webhook_secret, client):
    created = event("payment_intent.created", payment_intent(started))
    assert signed_post(client, created).status_code == 200
    assert PaymentAttempt.objects.get(pk=started.pk).status == "pending"
    assert Order.objects.count() == 0


def test_an_amount_other_than_the_attempt_is_flagged_not_ordered(started, webhook_secret, client):
    short = event("payment_intent.succeeded", payment_intent(started, amount=33000))
    assert signed_post(client, short).status_code == 200
    attempt = PaymentAttempt.objects.get(pk=started.pk)
    assert attempt.status == "amount_mismatch"
    assert "33000" in attempt.problem
    assert Order.objects.count() == 0


def test_another_currency_is_flagged_not_ordered(started, webhook_secret, client):
    usd = event("payment_intent.succeeded", payment_intent(started, currency="usd"))
    assert signed_post(client, usd).status_code == 200
    assert PaymentAttempt.objects.get(pk=started.pk).status == "amount_mismatch"
    assert Order.objects.count() == 0


def test_payment_failed_thaws_the_basket(started, webhook_secret, client):
    declined = event(
        "payment_intent.payment_failed",
        payment_intent(
            started,
            status="requires_payment_method",
            last_payment_error={"message": "Your card has insufficient funds."},
        ),
    )
    assert signed_post(client, declined).status_code == 200
    attempt = PaymentAttempt.objects.get(pk=started.pk)
    assert attempt.status == "failed"
    assert attempt.problem == "Your card has insufficient funds."
    assert Basket.objects.get(pk=started.basket_id).status == Basket.OPEN
    assert Order.objects.count() == 0


@pytest.mark.django_db(transaction=True)
def test_three_simultaneous_deliveries_place_one_order(started, webhook_secret):
    # given one signed succeeded event, delivered by three Stripe retries at once
    succeeded = event("payment_intent.succeeded", payment_intent(started))
    barrier = threading.Barrier(3)
    statuses, errors = [], []

    def deliver():
        try:
            http = Client()
            barrier.wait()
            statuses.append(signed_post(http, succeeded).status_code)
        except Exception as exc:  # noqa: BLE001  (any failure is the finding)
            errors.append(exc)
        finally:
            connection.close()

    threads = [threading.Thread(target=deliver) for _ in range(3)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    # then all three are acknowledged and exactly one order exists
    assert errors == []
    assert statuses == [200, 200, 200]
    order = Order.objects.get()
    assert (order.payment_method, order.payment_state) == ("card", "paid")
    attempt = PaymentAttempt.objects.get(pk=started.pk)
    # and the later deliveries found the order, not a problem to report
    assert (attempt.status, attempt.order_id, attempt.problem) == ("succeeded", order.pk, "")

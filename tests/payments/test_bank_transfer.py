"""Bank transfer by VietQR through the real payOS SDK and our stand-in, on
PostgreSQL: opening a request, the signed webhook, bad input, expiry."""

import json
import threading
from datetime import timedelta

import pytest
from django.db import connection
from django.test import Client
from django.utils import timezone
from oscar.core.loading import get_class, get_model

from marketplace.payments.models import PaymentAttempt
from marketplace.payments.payos_client import PayosUnavailable, Transfer
from marketplace.payments.payos_standin.signing import sign_data
from marketplace.payments.services import (
    bank_transfer_cancel,
    bank_transfer_start,
    bank_transfers_expire,
    fulfil,
)
from tests.factories import certified_product_create
from tests.order.conftest import basket_with
from tests.payments.conftest import payos_post

Basket = get_model("basket", "Basket")
OrderNumberGenerator = get_class("order.utils", "OrderNumberGenerator")
Order = get_model("order", "Order")

pytestmark = pytest.mark.django_db


def test_starting_a_transfer_opens_one_payos_request_for_the_quote_and_freezes_the_basket(
    transfer_started, payos_standin
):
    # given a shopper who chose VietQR (fixture: 2 × 150.000 ₫ + 30.000 ₫)
    attempt = PaymentAttempt.objects.get(pk=transfer_started.pk)
    # then payOS holds one request for the quote in whole đồng
    request = payos_standin.requests[attempt.order_code]
    assert attempt.method == "vietqr" and attempt.amount == request["amount"] == 330000
    # under an integer orderCode made of the order number and the try
    assert attempt.order_code == int(attempt.order_number) * 100 + 1
    # with the order reference as transfer content, within payOS's 25 characters
    assert attempt.order_number in attempt.transfer_content
    assert len(attempt.transfer_content) <= 25
    assert request["description"] == attempt.transfer_content
    # expiring 15 minutes ahead, with return and cancel links
    expires = request["expiredAt"] - timezone.now().timestamp()
    assert 14 * 60 < expires <= 15 * 60
    assert request["returnUrl"].endswith("/vietqr/tro-ve/")
    assert request["cancelUrl"].endswith("/vietqr/huy/")
    # and the page has what it shows: a VietQR string, the account, the link
    assert attempt.qr_code.startswith("000201") and "A000000727" in attempt.qr_code
    assert (attempt.bank_bin, attempt.account_number) == ("970422", "0123456789")
    assert attempt.checkout_url.startswith(payos_standin.url)
    assert Basket.objects.get(pk=attempt.basket_id).status == Basket.FROZEN


def test_a_reload_reuses_the_live_request_and_a_new_total_opens_another(
    transfer_started, payos_client, payos_standin, hanoi_delivery, settings
):
    basket = Basket.objects.get(pk=transfer_started.basket_id)
    again = bank_transfer_start(
        client=payos_client,
        basket=basket,
        delivery=hanoi_delivery,
        email="lan@example.vn",
        return_url="http://t/r",
        cancel_url="http://t/c",
    )
    assert again.pk == transfer_started.pk and len(payos_standin.requests) == 1
    # when the shipping rate moved, the old request is cancelled at payOS
    settings.SHIPPING_RATE_INNER_HANOI = 35000
    moved = bank_transfer_start(
        client=payos_client,
        basket=basket,
        delivery=hanoi_delivery,
        email="lan@example.vn",
        return_url="http://t/r",
        cancel_url="http://t/c",
    )
    assert moved.amount == 335000 and moved.order_code == transfer_started.order_code + 1
    assert payos_standin.requests[transfer_started.order_code]["status"] == "CANCELLED"
    assert PaymentAttempt.objects.get(pk=transfer_started.pk).status == "cancelled"


def test_a_signed_webhook_places_one_paid_vietqr_order(client, transfer_started, payos_standin):
    # when the bank reports the full amount
    paid = payos_standin.pay(transfer_started.order_code, deliver=False)
    answer = payos_post(client, paid["webhook"])
    # then payOS is acknowledged and the order is placed, paid by bank transfer
    assert answer.status_code == 200 and answer.json() == {"success": True}
    attempt = PaymentAttempt.objects.get(pk=transfer_started.pk)
    order = Order.objects.get()
    assert attempt.order == order and attempt.status == "succeeded"
    assert (order.payment_method, order.payment_state) == ("vietqr", "paid")
    assert order.total_incl_tax == 330000
    assert attempt.bank_reference == paid["webhook"]["data"]["reference"]
    # and the same webhook again changes nothing
    assert payos_post(client, paid["webhook"]).status_code == 200
    assert Order.objects.count() == 1
    assert PaymentAttempt.objects.get(pk=attempt.pk).amount_paid == 330000


def _tampered(body, **changes):
    forged = json.loads(json.dumps(body))
    forged["data"].update(changes)
    return forged


def _without(body, field):
    forged = json.loads(json.dumps(body))
    del forged["data"][field]
    return forged


@pytest.mark.parametrize(
    "forge",
    [
        pytest.param(lambda body, key: _tampered(body, amount=1), id="amount-changed"),
        pytest.param(lambda body, key: {**body, "signature": "0" * 64}, id="forged-signature"),
        pytest.param(lambda body, key: {**body, "signature": ""}, id="no-signature"),
        pytest.param(lambda body, key: {k: body[k] for k in body if k != "data"}, id="no-data"),
        pytest.param(lambda body, key: _without(body, "orderCode"), id="missing-field"),
        pytest.param(
            lambda body, key: {**body, "signature": sign_data(body["data"], "not-our-key")},
            id="wrong-checksum-key",
        ),
        pytest.param(lambda body, key: "{not json", id="not-json"),
        pytest.param(lambda body, key: "[1, 2]", id="a-list"),
        pytest.param(lambda body, key: "", id="empty"),
    ],
)
def test_a_bad_webhook_answers_400_and_changes_nothing(
    client, transfer_started, payos_standin, forge
):
    paid = payos_standin.pay(transfer_started.order_code, deliver=False)
    before = PaymentAttempt.objects.values().get(pk=transfer_started.pk)
    answer = payos_post(client, forge(paid["webhook"], payos_standin.checksum_key))
    assert answer.status_code == 400
    assert b"Traceback" not in answer.content
    assert PaymentAttempt.objects.values().get(pk=transfer_started.pk) == before
    assert not Order.objects.exists()


def test_a_webhook_for_an_unknown_order_code_is_acknowledged_and_changes_nothing(
    client, transfer_started, payos_standin
):
    paid = payos_standin.pay(transfer_started.order_code, deliver=False)
    data = {**paid["webhook"]["data"], "orderCode": 987654321}
    body = {**paid["webhook"], "data": data, "signature": sign_data(data, "test-checksum")}
    before = PaymentAttempt.objects.values().get(pk=transfer_started.pk)
    assert payos_post(client, body).status_code == 200
    assert PaymentAttempt.objects.values().get(pk=transfer_started.pk) == before
    assert not Order.objects.exists()


@pytest.mark.parametrize("amount", [100000, 400000], ids=["underpaid", "overpaid"])
def test_an_amount_other_than_the_request_is_flagged_with_its_reference_and_places_nothing(
    client, transfer_started, payos_standin, amount
):
    paid = payos_standin.pay(transfer_started.order_code, amount=amount, deliver=False)
    assert payos_post(client, paid["webhook"]).status_code == 200
    attempt = PaymentAttempt.objects.get(pk=transfer_started.pk)
    assert attempt.status == "amount_mismatch" and not Order.objects.exists()
    assert attempt.amount_paid == amount and str(amount) in attempt.problem
    assert attempt.bank_reference == paid["webhook"]["data"]["reference"]


def test_expiry_under_a_moved_clock_cancels_at_payos_and_releases_the_basket(
    transfer_started, payos_client, payos_standin
):
    # given a request 14 minutes old: nothing expires yet
    now = timezone.now()
    assert bank_transfers_expire(client=payos_client, now=now + timedelta(minutes=14)) == 0
    assert Basket.objects.get(pk=transfer_started.basket_id).status == Basket.FROZEN
    # when the clock passes its 15 minutes
    assert bank_transfers_expire(client=payos_client, now=now + timedelta(minutes=16)) == 1
    # then it is cancelled at payOS, expired here, and the basket is open again
    assert payos_standin.requests[transfer_started.order_code]["status"] == "CANCELLED"
    assert PaymentAttempt.objects.get(pk=transfer_started.pk).status == "expired"
    assert Basket.objects.get(pk=transfer_started.basket_id).status == Basket.OPEN
    # and money that arrives late is flagged, never an order
    late = payos_standin.pay(transfer_started.order_code, late=True, deliver=False)
    assert payos_post(Client(), late["webhook"]).status_code == 200
    attempt = PaymentAttempt.objects.get(pk=transfer_started.pk)
    assert attempt.status == "amount_mismatch" and "hết hạn" in attempt.problem
    assert attempt.bank_reference and not Order.objects.exists()


def test_the_shopper_cancels_then_the_basket_is_open_for_cod(
    transfer_started, payos_client, payos_standin
):
    attempt = bank_transfer_cancel(client=payos_client, attempt=transfer_started)
    assert attempt.status == "cancelled"
    assert payos_standin.requests[attempt.order_code]["status"] == "CANCELLED"
    assert Basket.objects.get(pk=attempt.basket_id).status == Basket.OPEN


@pytest.mark.parametrize(
    "fault",
    [{"error_status": 503}, {"refuse": "20"}, {"bad_signature": True}, {"delay": 3.0}],
    ids=["down", "refusing", "bad-signature", "slow"],
)
def test_payos_failing_opens_nothing_and_holds_nothing(
    db, payos_client, payos_standin, hanoi_delivery, fault
):
    product = certified_product_create(title="Nón lá Chuông", price=150000)
    basket = basket_with((product, 1))
    payos_standin.set_faults(**fault)
    with pytest.raises(PayosUnavailable):
        bank_transfer_start(
            client=payos_client,
            basket=basket,
            delivery=hanoi_delivery,
            email="lan@example.vn",
            return_url="http://t/r",
            cancel_url="http://t/c",
        )
    assert not PaymentAttempt.objects.exists()
    assert Basket.objects.get(pk=basket.pk).status == Basket.OPEN


def _in_parallel(*calls):
    """Run each call in its own thread (and database connection) at once."""
    results, errors = [None] * len(calls), []
    barrier = threading.Barrier(len(calls))

    def run(i, call):
        try:
            barrier.wait()
            results[i] = call()
        except Exception as error:  # noqa: BLE001 (reported below)
            errors.append(error)
        finally:
            connection.close()

    threads = [threading.Thread(target=run, args=(i, c)) for i, c in enumerate(calls)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join(30)
    assert not errors, errors
    return results


@pytest.mark.django_db(transaction=True)
def test_a_webhook_replayed_three_times_in_parallel_places_one_order(
    transfer_started, payos_standin
):
    paid = payos_standin.pay(transfer_started.order_code, deliver=False)
    answers = _in_parallel(*[lambda: payos_post(Client(), paid["webhook"])] * 3)
    assert [a.status_code for a in answers] == [200, 200, 200]
    assert Order.objects.count() == 1
    attempt = PaymentAttempt.objects.get(pk=transfer_started.pk)
    assert attempt.amount_paid == 330000 and attempt.status == "succeeded"


@pytest.mark.django_db(transaction=True)
def test_a_webhook_racing_the_return_page_places_one_order(
    transfer_started, payos_standin, payos_client
):
    paid = payos_standin.pay(transfer_started.order_code, deliver=False)
    code = transfer_started.order_code
    orders = _in_parallel(
        lambda: payos_post(Client(), paid["webhook"]),
        lambda: fulfil(transfer=payos_client.payment_request_transfers(code)[0]),
    )
    assert Order.objects.count() == 1 and orders[1] == Order.objects.get()
    assert PaymentAttempt.objects.get(pk=transfer_started.pk).amount_paid == 330000


def test_the_stand_ins_answers_and_webhooks_pass_the_sdks_own_checks(
    transfer_started, payos_standin, payos_client
):
    paid = payos_standin.pay(transfer_started.order_code, deliver=False)
    raw = json.dumps(paid["webhook"]).encode()
    assert payos_client.webhook_transfer(raw) == Transfer(
        order_code=transfer_started.order_code,
        amount=330000,
        reference=paid["webhook"]["data"]["reference"],
    )
    assert payos_client.payment_request_transfers(transfer_started.order_code) == [
        Transfer(
            order_code=transfer_started.order_code,
            amount=330000,
            reference=paid["webhook"]["data"]["reference"],
        )
    ]


def test_two_partial_transfers_are_counted_once_each_whichever_way_they_arrive(
    client, transfer_started, payos_standin, payos_client
):
    # given a buyer who paid in two transfers, the first short
    first = payos_standin.pay(transfer_started.order_code, amount=100000, deliver=False)
    second = payos_standin.pay(transfer_started.order_code, amount=230000, deliver=False)
    # when the second's webhook comes first, then payOS's record, then the first's
    assert payos_post(client, second["webhook"]).status_code == 200
    for transfer in payos_client.payment_request_transfers(transfer_started.order_code):
        fulfil(transfer=transfer)
    assert payos_post(client, first["webhook"]).status_code == 200
    # then each counts once, and the short first payment is left to an operator
    attempt = PaymentAttempt.objects.get(pk=transfer_started.pk)
    assert attempt.amount_paid == 330000 and len(attempt.transfers) == 2
    assert attempt.status == "amount_mismatch" and not Order.objects.exists()


def test_the_beat_runs_the_expiry_task_every_minute_and_it_expires_through_payos(
    transfer_started, payos_standin, settings
):
    from marketplace.payments.tasks import bank_transfers_expire_task

    schedule = settings.CELERY_BEAT_SCHEDULE["payments-bank-transfers-expire"]
    assert schedule["task"] == "payments.bank_transfers_expire"
    assert schedule["schedule"] == timedelta(minutes=1)
    # nothing is due yet
    assert bank_transfers_expire_task.delay().get() == 0
    PaymentAttempt.objects.filter(pk=transfer_started.pk).update(
        expires_at=timezone.now() - timedelta(seconds=1)
    )
    assert bank_transfers_expire_task.delay().get() == 1
    assert payos_standin.requests[transfer_started.order_code]["status"] == "CANCELLED"


def test_an_order_code_payos_already_has_from_a_lost_answer_is_skipped(
    db, payos_client, payos_standin, hanoi_delivery
):
    # given a try whose request payOS opened but whose answer never came back
    product = certified_product_create(title="Nón lá Chuông", price=150000)
    basket = basket_with((product, 1))
    lost = int(OrderNumberGenerator().order_number(basket)) * 100 + 1
    payos_client.payment_request_create(
        order_code=lost,
        amount=175000,
        description="OCOP DH lost",
        return_url="http://t/r",
        cancel_url="http://t/c",
        expires_at=timezone.now() + timedelta(minutes=15),
    )
    # when the shopper tries again
    attempt = bank_transfer_start(
        client=payos_client,
        basket=basket,
        delivery=hanoi_delivery,
        email="lan@example.vn",
        return_url="http://t/r",
        cancel_url="http://t/c",
    )
    # then the request opens under the next orderCode
    assert attempt.order_code == lost + 1
    assert payos_standin.requests[lost + 1]["amount"] == attempt.amount


# -- money payOS took is never lost to a cancel or an expiry (review finding 1)


def _late_flagged_or_lost(attempt_pk):
    attempt = PaymentAttempt.objects.get(pk=attempt_pk)
    return attempt.status != "succeeded" or attempt.problem or attempt.amount_paid != 330000


def test_money_paid_in_time_whose_webhook_is_lost_becomes_the_order_at_expiry(
    transfer_started, payos_client, payos_standin
):
    # given a buyer who paid in full in time, and a webhook that is late or lost
    paid = payos_standin.pay(transfer_started.order_code, deliver=False)
    # when the expiry run comes after the QR's time
    later = transfer_started.expires_at + timedelta(seconds=1)
    assert bank_transfers_expire(client=payos_client, now=later) == 0
    # then payOS's record of the money placed the order, nothing flagged as late
    order = Order.objects.get()
    attempt = PaymentAttempt.objects.get(pk=transfer_started.pk)
    assert attempt.order == order and not _late_flagged_or_lost(attempt.pk)
    assert (order.payment_method, order.payment_state) == ("vietqr", "paid")
    assert Basket.objects.get(pk=attempt.basket_id).status == Basket.SUBMITTED
    # and the webhook when it comes changes nothing
    assert payos_post(Client(), paid["webhook"]).status_code == 200
    assert Order.objects.count() == 1 and not _late_flagged_or_lost(attempt.pk)


def test_the_shoppers_cancel_after_paying_places_the_paid_order(
    transfer_started, payos_client, payos_standin
):
    payos_standin.pay(transfer_started.order_code, deliver=False)
    attempt = bank_transfer_cancel(client=payos_client, attempt=transfer_started)
    assert attempt.order == Order.objects.get() and attempt.status == "succeeded"
    assert Basket.objects.get(pk=attempt.basket_id).status == Basket.SUBMITTED


def test_a_cancel_payos_refuses_because_money_came_meanwhile_fulfils_that_money(
    transfer_started, payos_client, payos_standin
):
    # given payOS answers "PENDING, nothing yet", then the money lands before the cancel
    from marketplace.payments.payos_client import RequestState

    class MoneyInBetween:
        def __init__(self):
            self.asked = 0

        def payment_request_state(self, code):
            self.asked += 1
            if self.asked == 1:
                payos_standin.pay(code, deliver=False)
                return RequestState(status="PENDING")
            return payos_client.payment_request_state(code)

        def payment_request_cancel(self, code, reason):
            return payos_client.payment_request_cancel(code, reason)

    # when the shopper cancels: payOS refuses ("has transactions")
    attempt = bank_transfer_cancel(client=MoneyInBetween(), attempt=transfer_started)
    # then that is taken as paid: the order is placed, the basket stays ordered
    assert attempt.order == Order.objects.get() and not _late_flagged_or_lost(attempt.pk)
    assert payos_standin.requests[attempt.order_code]["status"] == "PAID"


def test_payos_unreachable_at_expiry_keeps_the_request_pending_for_the_next_run(
    transfer_started, payos_client, payos_standin
):
    basket = Basket.objects.get(pk=transfer_started.basket_id)
    stock = [(s.pk, s.num_allocated) for s in basket.all_lines()[0].product.stockrecords.all()]
    later = transfer_started.expires_at + timedelta(seconds=1)
    # when payOS cannot be asked
    payos_standin.set_faults(error_status=503)
    assert bank_transfers_expire(client=payos_client, now=later) == 0
    # then the request stays pending and its basket frozen (holding no stock)
    assert PaymentAttempt.objects.get(pk=transfer_started.pk).status == "pending"
    assert Basket.objects.get(pk=basket.pk).status == Basket.FROZEN
    product = basket.all_lines()[0].product
    assert [(s.pk, s.num_allocated) for s in product.stockrecords.all()] == stock
    # and the next run, with payOS back, ends it
    payos_standin.reset_faults()
    assert bank_transfers_expire(client=payos_client, now=later) == 1
    assert PaymentAttempt.objects.get(pk=transfer_started.pk).status == "expired"
    assert Basket.objects.get(pk=basket.pk).status == Basket.OPEN


# -- a signed transfer is kept whatever its bank reference looks like (finding 5)

STRANGE_REFERENCES = ["FT 123 ABC", "A" * 65, "FT123ĐÁ", "FT\x00\x1f9\n", "\x00", "R" * 300]


def _control_free(text):
    return text and not any(ord(ch) < 32 or ord(ch) == 127 for ch in text)


@pytest.mark.parametrize("reference", STRANGE_REFERENCES)
def test_a_signed_webhook_with_a_strange_reference_is_kept_and_answered_200(
    client, transfer_started, payos_standin, reference
):
    paid = payos_standin.pay(transfer_started.order_code, deliver=False)
    data = {**paid["webhook"]["data"], "reference": reference}
    body = {**paid["webhook"], "data": data, "signature": sign_data(data, "test-checksum")}
    # when payOS sends it (twice)
    assert payos_post(client, body).status_code == 200
    assert payos_post(client, body).status_code == 200
    # then the money is kept once, under a clean reference that fits its field
    attempt = PaymentAttempt.objects.get(pk=transfer_started.pk)
    assert attempt.amount_paid == 330000 and attempt.order == Order.objects.get()
    assert _control_free(attempt.bank_reference) and len(attempt.bank_reference) <= 64
    assert attempt.transfers[0]["reference"] == attempt.bank_reference
    if attempt.bank_reference != reference:  # what the bank sent is kept beside it
        raw = attempt.transfers[0]["raw_reference"]
        sent = "".join(f"\\u{ord(ch):04x}" if ord(ch) < 32 else ch for ch in reference)
        assert _control_free(raw) and raw == sent[:500]


@pytest.mark.parametrize("reference", ["FT 123 ABC", "B" * 80, "FT123ĐÁ"])
def test_payos_record_of_a_strange_reference_reaches_the_return_page(
    transfer_started, payos_standin, payos_client, reference
):
    payos_standin.pay(transfer_started.order_code, deliver=False, reference=reference)
    transfers = payos_client.payment_request_transfers(transfer_started.order_code)
    assert len(transfers) == 1 and transfers[0].amount == 330000
    assert _control_free(transfers[0].reference) and len(transfers[0].reference) <= 64
    assert fulfil(transfer=transfers[0]) == Order.objects.get()

"""Operators and producers around VietQR payments: every attempt by state
with its payOS and bank references, flagged money refunded by hand, a paid
order refunded by hand, and the producer's parcel shown as paid."""

import re
from datetime import timedelta

import pytest
from django.urls import reverse
from oscar.core.loading import get_model

from marketplace.payments.exceptions import RefundRefused
from marketplace.payments.models import PaymentAttempt
from marketplace.payments.refunds import refund_issue
from marketplace.payments.services import (
    bank_transfer_cancel,
    bank_transfer_start,
    bank_transfers_expire,
)
from tests.factories import certified_product_create, producer_create
from tests.order.conftest import basket_with
from tests.payments.conftest import payos_post
from tests.producers.workspace.conftest import member_create

Order = get_model("order", "Order")

pytestmark = pytest.mark.django_db


def _start(payos_client, delivery, *, title="Nón lá Chuông", producer=None):
    product = certified_product_create(title=title, price=150000, producer=producer)
    return bank_transfer_start(
        client=payos_client,
        basket=basket_with((product, 1)),
        delivery=delivery,
        email="lan@example.vn",
        return_url="http://t/r",
        cancel_url="http://t/c",
    )


def _pay(client, standin, attempt, **kwargs):
    paid = standin.pay(attempt.order_code, deliver=False, **kwargs)
    assert payos_post(client, paid["webhook"]).status_code == 200
    return paid["webhook"]["data"]["reference"]


def test_operators_see_every_vietqr_attempt_by_state_with_its_references(
    admin_client, client, payos_client, payos_standin, hanoi_delivery
):
    # given one attempt in each state
    pending = _start(payos_client, hanoi_delivery)
    paid = _start(payos_client, hanoi_delivery)
    paid_ref = _pay(client, payos_standin, paid)
    cancelled = bank_transfer_cancel(
        client=payos_client, attempt=_start(payos_client, hanoi_delivery)
    )
    expiring = _start(payos_client, hanoi_delivery)
    short = _start(payos_client, hanoi_delivery)
    short_ref = _pay(client, payos_standin, short, amount=50000)
    bank_transfers_expire(client=payos_client, now=expiring.expires_at + timedelta(seconds=1))
    # when an operator opens the list
    html = admin_client.get(reverse("dashboard:payments-transfers")).content.decode()
    # then each shows with its state, payOS orderCode and bank reference
    for attempt in (pending, paid, cancelled, expiring, short):
        assert str(attempt.order_code) in html
    for label in ("Đang chờ thanh toán", "Đã thanh toán", "Đã huỷ", "Đã hết hạn"):
        assert label in html
    assert "Số tiền không khớp" in html and paid_ref in html and short_ref in html
    assert 'data-testid="transfers-flagged"' in html
    # and the filter shows only the flagged ones
    flagged = admin_client.get(
        reverse("dashboard:payments-transfers"), {"status": "amount_mismatch"}
    )
    assert flagged.content.decode().count('data-testid="transfer-row"') == 1


def test_flagged_money_is_refunded_by_hand_with_its_bank_reference(
    admin_client, client, payos_client, payos_standin, hanoi_delivery
):
    short = _start(payos_client, hanoi_delivery)
    _pay(client, payos_standin, short, amount=50000)
    url = reverse("dashboard:payments-transfer-refund", args=[short.pk])
    # a refund without the bank reference is refused
    admin_client.post(url, {"bank_reference": ""})
    assert PaymentAttempt.objects.get(pk=short.pk).refunded_at is None
    # with it, recorded once
    admin_client.post(url, {"bank_reference": "FT26337001234"})
    admin_client.post(url, {"bank_reference": "FT-OTHER"})
    attempt = PaymentAttempt.objects.get(pk=short.pk)
    assert attempt.refund_bank_reference == "FT26337001234" and attempt.refunded_at
    html = admin_client.get(reverse("dashboard:payments-transfers")).content.decode()
    assert 'data-testid="transfer-refunded"' in html and "FT26337001234" in html
    assert 'data-testid="transfers-flagged"' not in html


def test_a_paid_vietqr_order_is_refunded_by_hand_never_through_stripe(
    admin_client, client, payos_client, payos_standin, hanoi_delivery
):
    attempt = _start(payos_client, hanoi_delivery)
    _pay(client, payos_standin, attempt)
    order = Order.objects.get()
    # the order page shows the transfer with its bank reference and the refund link
    page = admin_client.get(reverse("dashboard:order-detail", kwargs={"number": order.number}))
    html = page.content.decode()
    assert 'data-testid="dashboard-transfers"' in html and str(attempt.order_code) in html
    assert "Ghi nhận hoàn tiền chuyển khoản" in html
    # without a bank reference nothing is refunded
    with pytest.raises(RefundRefused):
        refund_issue(client=None, order=order, request_key="k1")
    # with one, recorded, and no Stripe client is needed
    refund = refund_issue(client=None, order=order, request_key="k2", bank_reference="FT99")
    assert refund.amount == order.total_incl_tax and refund.bank_reference == "FT99"
    assert refund.stripe_refund_id == ""
    assert Order.objects.get().payment_state == "refunded"


def test_the_producers_parcel_shows_paid_once_the_transfer_arrived(
    client, payos_client, payos_standin, hanoi_delivery
):
    producer = producer_create("HTX Nón lá Chuông")
    member = member_create(producer, "member-non")
    attempt = _start(payos_client, hanoi_delivery, producer=producer)
    _pay(client, payos_standin, attempt)
    parcel = Order.objects.get().parcels.get()
    client.force_login(member)
    listing = client.get(reverse("workspace:parcel-list")).content.decode()
    assert "Đã thanh toán" in listing and 'data-testid="parcel-payment"' in listing
    detail = client.get(reverse("workspace:parcel-detail", args=[parcel.pk])).content.decode()
    assert "Chuyển khoản ngân hàng (VietQR)" in detail and "Đã thanh toán" in detail
    assert "Số tiền cần thu của khách" not in detail


def test_the_refund_page_records_a_vietqr_refund_with_its_bank_reference(
    admin_client, client, payos_client, payos_standin, hanoi_delivery, settings
):
    settings.STRIPE_SECRET_KEY = ""  # a VietQR refund never needs Stripe
    attempt = _start(payos_client, hanoi_delivery)
    _pay(client, payos_standin, attempt)
    order = Order.objects.get()
    url = reverse("dashboard:payments-order-refund", args=[order.number])
    page = admin_client.get(url).content.decode()
    assert 'data-testid="refund-bank-reference"' in page and "payOS không hoàn tiền" in page
    # without the reference nothing is refunded
    admin_client.post(url, {"scope": "order", "request_key": "a1"})
    assert not order.refunds.exists()
    admin_client.post(
        url, {"scope": "order", "request_key": "a2", "bank_reference": "FT26337000042"}
    )
    refund = order.refunds.get()
    assert refund.bank_reference == "FT26337000042" and refund.amount == order.total_incl_tax


# -- flagged money is never hidden from operators (review finding 3)


def _flagged(admin_client):
    html = admin_client.get(reverse("dashboard:payments-transfers")).content.decode()
    rows = admin_client.get(
        reverse("dashboard:payments-transfers"), {"status": "amount_mismatch"}
    ).content.decode()
    banner = re.search(r'data-testid="transfers-flagged">(\d+)', html)
    return (int(banner.group(1)) if banner else 0), rows.count('data-testid="transfer-row"')


def test_extra_money_on_a_paid_order_counts_as_flagged(
    admin_client, client, payos_client, payos_standin, hanoi_delivery
):
    attempt = _start(payos_client, hanoi_delivery)
    _pay(client, payos_standin, attempt)
    assert _flagged(admin_client) == (0, 0)
    # when the buyer sends 50.000 đ more
    _pay(client, payos_standin, attempt, amount=50000)
    # then the operators' banner and filter show it, with a refund form
    assert _flagged(admin_client) == (1, 1)
    url = reverse("dashboard:payments-transfer-refund", args=[attempt.pk])
    admin_client.post(url, {"bank_reference": "FTBACK50"})
    attempt = PaymentAttempt.objects.get(pk=attempt.pk)
    assert attempt.refund_bank_reference == "FTBACK50" and attempt.refunded_amount == 50000
    assert _flagged(admin_client) == (0, 0)


def test_money_after_a_recorded_refund_is_flagged_again_and_refunded_again(
    admin_client, client, payos_client, payos_standin, hanoi_delivery
):
    short = _start(payos_client, hanoi_delivery)
    _pay(client, payos_standin, short, amount=100000)
    url = reverse("dashboard:payments-transfer-refund", args=[short.pk])
    admin_client.post(url, {"bank_reference": "REFUND1"})
    assert _flagged(admin_client)[0] == 0
    # when the buyer sends the rest after the refund
    _pay(client, payos_standin, short, amount=230000, late=True)
    # then it is flagged again, its problem says what came in
    assert _flagged(admin_client)[0] == 1
    attempt = PaymentAttempt.objects.get(pk=short.pk)
    assert "230000" in attempt.problem and "330000" in attempt.problem
    # and a second refund is recorded, not answered with the first
    answer = admin_client.post(url, {"bank_reference": "REFUND2"}, follow=True)
    attempt = PaymentAttempt.objects.get(pk=short.pk)
    assert attempt.refund_bank_reference == "REFUND2" and attempt.refunded_amount == 330000
    assert [r["reference"] for r in attempt.refunds] == ["REFUND1", "REFUND2"]
    assert _flagged(admin_client)[0] == 0
    # a third, with nothing left to refund, says so
    answer = admin_client.post(url, {"bank_reference": "REFUND3"}, follow=True)
    assert "Không còn khoản tiền nào cần hoàn" in answer.content.decode()
    assert PaymentAttempt.objects.get(pk=short.pk).refund_bank_reference == "REFUND2"

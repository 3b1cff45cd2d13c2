"""Card and bank-transfer payments: start one, and turn a paid one into an
order exactly once.

The flow (design.md §3): `card_payment_start` freezes the basket and opens a
Stripe PaymentIntent, `bank_transfer_start` a payOS payment request (a
VietQR); the shopper pays; then `fulfil` runs from the signed webhooks and
from the return pages, in any order and any number of times, and places the
order once. `payment_failed`, `bank_transfer_cancel` and
`bank_transfers_expire` give the basket back to the shopper.

Every write here locks the basket row first and the attempt row second, the
same order `order_place` locks in, so a retry, a webhook and a return page
racing each other wait instead of deadlocking.
"""

import logging
from collections.abc import Mapping
from datetime import datetime, timedelta
from typing import Any

from django.conf import settings
from django.db import transaction
from django.db.models import Case, F, Q, Value, When
from django.utils import timezone
from django.utils.translation import gettext as _
from oscar.core.loading import get_class, get_model

from marketplace.order.exceptions import CheckoutRefused, TotalChanged
from marketplace.order.models import PaymentState
from marketplace.order.services import Delivery, checkout_quote, order_place
from marketplace.order.utils import InsufficientStock
from marketplace.payments.client import CURRENCY, PaymentsClient, whole_dong
from marketplace.payments.exceptions import RefundRefused
from marketplace.payments.models import PaymentAttempt, PaymentAttemptStatus, PaymentMethod
from marketplace.payments.payos_client import (
    PayosClient,
    PayosOrderCodeTaken,
    PayosUnavailable,
    Transfer,
)

logger = logging.getLogger(__name__)

Basket = get_model("basket", "Basket")
Order = get_model("order", "Order")
OrderNumberGenerator = get_class("order.utils", "OrderNumberGenerator")

Status = PaymentAttemptStatus


def card_payment_start(
    *,
    client: PaymentsClient,
    basket,
    delivery: Delivery,
    email: str,
    user=None,
    pickup_producer_ids=frozenset(),
    shown_total: int | None = None,
    request=None,
) -> PaymentAttempt:
    """Freeze the basket and open (or reopen) its PaymentIntent for the quote.

    With `shown_total` (what the checkout page last showed), a quote for
    anything else opens nothing and raises `TotalChanged`, as `order_place`
    does: the card is asked only for the total the shopper saw.

    The returned attempt carries `client_secret` for Stripe.js. It is set on
    the returned instance only and never stored (Stripe asks that it not be
    kept); calling this again for the same basket, e.g. after a reload or a
    declined card, returns it again for the same PaymentIntent.

    A basket has one PaymentIntent for life: a retry with the same total
    reuses it, a new total (other province, price moved) updates its amount.
    A second PaymentIntent would leave an old tab able to charge money that
    no attempt knows about.
    """
    with transaction.atomic():
        locked = Basket.objects.select_for_update().get(pk=basket.pk)
        attempt = (
            PaymentAttempt.objects.select_for_update()
            .filter(basket_id=basket.pk, method=PaymentMethod.CARD)
            .first()
        )
        if attempt is not None and (
            attempt.order_id or attempt.status in (Status.SUCCEEDED, Status.AMOUNT_MISMATCH)
        ):
            raise CheckoutRefused(_("Giỏ hàng này đã được thanh toán."))
        if locked.status not in (Basket.OPEN, Basket.FROZEN):
            raise CheckoutRefused(_("Giỏ hàng này không còn đặt được."))
        quote = checkout_quote(
            basket,
            delivery=delivery,
            pickup_producer_ids=pickup_producer_ids,
            user=user,
            request=request,
        )
        if shown_total is not None and quote.total.incl_tax != shown_total:
            raise TotalChanged(quote)
        if quote.total.currency.lower() != CURRENCY:
            raise CheckoutRefused(_("Thanh toán thẻ chỉ nhận đồng Việt Nam."))
        amount = whole_dong(quote.total.incl_tax)
        order_number = str(OrderNumberGenerator().order_number(basket))
        # Stripe is called while the basket row is locked: a double click
        # waits here and then finds the first click's attempt.
        if attempt is None:
            intent = client.payment_intent_create(
                amount=amount, order_number=order_number, email=email
            )
            attempt = PaymentAttempt(basket_id=basket.pk, payment_intent_id=intent.id)
        elif attempt.amount != amount:
            intent = client.payment_intent_amount_update(
                payment_intent_id=attempt.payment_intent_id, amount=amount
            )
        else:
            intent = client.payment_intent_retrieve(attempt.payment_intent_id)
        attempt.order_number = order_number
        attempt.amount = amount
        attempt.currency = CURRENCY
        attempt.status = Status.PENDING
        attempt.problem = ""
        attempt.delivery_name = delivery.name
        attempt.delivery_phone = delivery.phone
        attempt.delivery_province = delivery.province
        attempt.delivery_ward = delivery.ward
        attempt.delivery_street = delivery.street
        attempt.delivery_notes = delivery.notes
        attempt.email = email
        attempt.user = user if user is not None and user.is_authenticated else None
        attempt.pickup_producer_ids = sorted(pickup_producer_ids)
        attempt.save()
        if locked.status != Basket.FROZEN:
            locked.freeze()
        basket.status = Basket.FROZEN
    attempt.client_secret = intent.client_secret
    return attempt


class _TotalMoved(Exception):
    """The placed order's total is not what was paid; roll the order back."""


def fulfil(
    *, payment_intent: Mapping[str, Any] | Any = None, transfer: Transfer | None = None
) -> Order | None:
    """Place the order for a paid attempt, exactly once, whichever way it
    was paid: a succeeded Stripe PaymentIntent, or a bank transfer payOS
    reported (`transfer`, from its verified webhook or its record of the
    request).

    Called from the signed webhooks and from the return pages; whichever
    comes first places the order, the others get it back. Nothing is placed
    when the money is not what the basket costs now: the attempt is marked
    `amount_mismatch` for an operator instead. For a bank transfer that is
    also money for an expired or cancelled request, or for a basket ordered
    some other way meanwhile: an operator refunds it by hand. Returns the
    order, or None when there is none (not paid yet, unknown payment, or a
    problem recorded on the attempt).
    """
    if transfer is not None:
        return _transfer_fulfil(transfer)
    intent = _plain(payment_intent)
    found = _attempt_keys(intent)
    if found is None:
        return None
    return _paid_place(
        *found,
        succeeded=intent.get("status") == "succeeded",
        paid=intent.get("amount"),
        currency=str(intent.get("currency") or "").lower(),
    )


def _transfer_fulfil(transfer: Transfer) -> Order | None:
    found = (
        PaymentAttempt.objects.filter(method=PaymentMethod.VIETQR, order_code=transfer.order_code)
        .values_list("pk", "basket_id")
        .first()
    )
    if found is None:
        # payOS's own test webhook (confirm-webhook), or another shop on the
        # same payOS channel: acknowledged, never an order
        logger.warning("payOS transfer for orderCode %s matches no attempt", transfer.order_code)
        return None
    return _paid_place(*found, succeeded=True, transfer=transfer)


def _paid_place(
    attempt_pk: int,
    basket_pk: int,
    *,
    succeeded: bool,
    paid: int | None = None,
    currency: str = "",
    transfer: Transfer | None = None,
) -> Order | None:
    """The shared body of `fulfil`: basket row locked first, then the attempt."""
    with transaction.atomic():
        basket = Basket.objects.select_for_update().get(pk=basket_pk)
        attempt = PaymentAttempt.objects.select_for_update().get(pk=attempt_pk)
        if transfer is not None and succeeded:
            _transfer_record(attempt, transfer)
            paid, currency = attempt.amount_paid, transfer.currency.lower()
        if attempt.order_id:
            return attempt.order
        if not succeeded or attempt.status == Status.AMOUNT_MISMATCH:
            return None
        by_card = attempt.method == PaymentMethod.CARD
        if attempt.status in (Status.EXPIRED, Status.CANCELLED):
            return _mismatched(
                attempt,
                _("Tiền chuyển khoản đến sau khi yêu cầu thanh toán đã hết hạn hoặc bị huỷ."),
            )
        if basket.status == Basket.SUBMITTED:
            # ordered some other way (COD in another tab) while this payment
            # was under way: the money has to go back, not become an order
            problem = _("Giỏ hàng đã thành đơn khác trước khi thanh toán hoàn tất.")
            return _refused(attempt, problem) if by_card else _mismatched(attempt, problem)
        try:
            mismatch = _amount_mismatch(attempt, paid, currency, basket)
        except CheckoutRefused as refusal:
            return (
                _refused(attempt, str(refusal)) if by_card else _mismatched(attempt, str(refusal))
            )
        if mismatch:
            return _mismatched(attempt, mismatch)
        try:
            with transaction.atomic():
                order = order_place(
                    basket=basket,
                    delivery=attempt.delivery,
                    email=attempt.email,
                    user=attempt.user,
                    pickup_producer_ids=frozenset(attempt.pickup_producer_ids),
                    payment_method=attempt.method,
                    payment_state=PaymentState.PAID,
                )
                if whole_dong(order.total_incl_tax) != attempt.amount:
                    raise _TotalMoved(order.total_incl_tax)
        except _TotalMoved as moved:
            return _mismatched(
                attempt,
                _("Đã thu %(paid)s đ nhưng đơn hàng tính %(total)s đ.")
                % {"paid": attempt.amount, "total": whole_dong(moved.args[0])},
            )
        except (CheckoutRefused, InsufficientStock) as refusal:
            return (
                _refused(attempt, str(refusal)) if by_card else _mismatched(attempt, str(refusal))
            )
        attempt.order = order
        attempt.status = Status.SUCCEEDED
        attempt.problem = ""
        attempt.save(update_fields=["order", "status", "problem", "updated_at"])
    return order


def _transfer_record(attempt: PaymentAttempt, transfer: Transfer) -> None:
    """Count a bank transfer on its attempt once, by its bank reference (a
    webhook sent twice, or the webhook and the return page, count once)."""
    known = {item.get("reference") for item in attempt.transfers}
    if transfer.reference in known:
        return
    entry = {"reference": transfer.reference, "amount": transfer.amount}
    if transfer.raw_reference:
        # the bank's reference had to be cleaned to be kept (control
        # characters, too long): what it sent stays here for an operator
        entry["raw_reference"] = transfer.raw_reference
        logger.warning(
            "payOS transfer for orderCode %s: bank reference %r kept as %r",
            transfer.order_code,
            transfer.raw_reference,
            transfer.reference,
        )
    attempt.transfers = [*attempt.transfers, entry]
    attempt.amount_paid = sum(int(item["amount"]) for item in attempt.transfers)
    attempt.bank_reference = transfer.reference[:64]
    attempt.save(update_fields=["transfers", "amount_paid", "bank_reference", "updated_at"])
    if attempt.order_id:
        # money beyond an order already paid: for an operator to refund
        _mismatched(
            attempt,
            _("Nhận thêm %(amount)s đ (mã %(reference)s) cho đơn đã thanh toán.")
            % {"amount": transfer.amount, "reference": transfer.reference},
            keep_status=True,
        )
    elif attempt.status == Status.AMOUNT_MISMATCH:
        # more money on one already flagged (maybe already refunded): the
        # problem says what came in, so the operator reads today's sums
        _mismatched(
            attempt,
            _("Nhận thêm %(amount)s đ (mã %(reference)s); tổng đã nhận %(total)s đ.")
            % {
                "amount": transfer.amount,
                "reference": transfer.reference,
                "total": attempt.amount_paid,
            },
        )


def payment_failed(*, payment_intent: Mapping[str, Any] | Any) -> PaymentAttempt | None:
    """Mark the attempt failed and thaw the basket, so the shopper can try
    another card or pay cash on delivery.

    A failure that arrives after the same PaymentIntent was paid (Stripe
    sends events out of order) changes nothing.
    """
    intent = _plain(payment_intent)
    found = _attempt_keys(intent)
    if found is None:
        return None
    attempt_pk, basket_pk = found
    with transaction.atomic():
        basket = Basket.objects.select_for_update().get(pk=basket_pk)
        attempt = PaymentAttempt.objects.select_for_update().get(pk=attempt_pk)
        if attempt.order_id or attempt.status in (Status.SUCCEEDED, Status.AMOUNT_MISMATCH):
            return attempt
        error = intent.get("last_payment_error") or {}
        attempt.status = Status.FAILED
        attempt.problem = str(error.get("message") or "") if isinstance(error, Mapping) else ""
        attempt.save(update_fields=["status", "problem", "updated_at"])
        if basket.status == Basket.FROZEN:
            basket.thaw()
    return attempt


def _plain(payment_intent) -> dict:
    """A PaymentIntent as a plain dict: webhooks give dicts, the client
    gives `StripeObject`s, which are not mappings."""
    if hasattr(payment_intent, "to_dict"):
        return payment_intent.to_dict()
    return dict(payment_intent)


def _attempt_keys(intent: dict) -> tuple[int, int] | None:
    """The attempt and basket ids for a PaymentIntent, read without a lock
    so the basket can be locked before the attempt."""
    found = (
        PaymentAttempt.objects.filter(payment_intent_id=str(intent.get("id") or ""))
        .values_list("pk", "basket_id")
        .first()
    )
    if found is None:
        # another integration on the same Stripe account, or a PaymentIntent
        # whose attempt was never stored; acknowledged, never an order
        logger.warning("Stripe PaymentIntent %r matches no payment attempt", intent.get("id"))
    return found


def _amount_mismatch(attempt: PaymentAttempt, paid, currency: str, basket) -> str:
    """Why the paid amount is not what the basket costs, or "" when it is."""
    if currency != attempt.currency or paid != attempt.amount:
        if attempt.method == PaymentMethod.VIETQR:
            return _("Đã nhận %(paid)s đ qua chuyển khoản, yêu cầu thanh toán là %(amount)s đ.") % {
                "paid": paid,
                "amount": attempt.amount,
            }
        return _("Stripe thu %(paid)s %(currency)s, lần thanh toán ghi %(amount)s %(ours)s.") % {
            "paid": paid,
            "currency": currency,
            "amount": attempt.amount,
            "ours": attempt.currency,
        }
    quote = checkout_quote(
        basket,
        delivery=attempt.delivery,
        pickup_producer_ids=frozenset(attempt.pickup_producer_ids),
        user=attempt.user,
    )
    if quote.total.currency.lower() != currency or whole_dong(quote.total.incl_tax) != paid:
        return _("Đã thu %(paid)s đ, giỏ hàng hiện tính %(total)s đ.") % {
            "paid": paid,
            "total": whole_dong(quote.total.incl_tax),
        }
    return ""


def _mismatched(attempt: PaymentAttempt, problem: str, *, keep_status: bool = False) -> None:
    """Flag the attempt for an operator: money in, no order from it."""
    if not keep_status:
        attempt.status = Status.AMOUNT_MISMATCH
    attempt.problem = problem
    attempt.save(update_fields=["status", "problem", "updated_at"])
    logger.error(
        "payment %s for order %s not fulfilled, amount mismatch: %s",
        attempt.payment_intent_id or attempt.order_code,
        attempt.order_number,
        problem,
    )
    return None


def _refused(attempt: PaymentAttempt, problem: str) -> None:
    """Paid, but the order cannot be placed (out of stock, no longer
    listable, already ordered): keep the attempt pending with the reason,
    for an operator to refund."""
    attempt.problem = problem
    attempt.save(update_fields=["problem", "updated_at"])
    logger.error(
        "payment %s for order %s paid but not fulfilled: %s",
        attempt.payment_intent_id or attempt.order_code,
        attempt.order_number,
        problem,
    )
    return None


# -- bank transfer by VietQR, through payOS ------------------------------------

# The transfer content the shopper's bank app carries, and payOS matches the
# money by: the order reference, within payOS's 25 characters.
TRANSFER_CONTENT = "OCOP DH{number}"


def bank_transfer_start(
    *,
    client: PayosClient,
    basket,
    delivery: Delivery,
    email: str,
    return_url: str,
    cancel_url: str,
    user=None,
    pickup_producer_ids=frozenset(),
    shown_total: int | None = None,
    request=None,
    now: datetime | None = None,
) -> PaymentAttempt:
    """Freeze the basket and open a payOS payment request for the quote.

    As with a card, a quote other than `shown_total` opens nothing
    (`TotalChanged`). A still-live request for the same amount is reused
    (a reload shows the same QR); another amount cancels it at payOS first,
    then opens a new one under a new orderCode (order number × 100 + how
    many this basket has had), since payOS never reuses one. payOS is called
    while the basket row is locked, so a double click waits and then finds
    the first click's request. If payOS fails (`PayosUnavailable`),
    nothing is frozen or stored: the shopper can choose COD at once.
    """
    now = now or timezone.now()
    with transaction.atomic():
        locked = Basket.objects.select_for_update().get(pk=basket.pk)
        if locked.status not in (Basket.OPEN, Basket.FROZEN):
            raise CheckoutRefused(_("Giỏ hàng này không còn đặt được."))
        attempts = PaymentAttempt.objects.select_for_update().filter(basket_id=basket.pk)
        if attempts.filter(Q(order__isnull=False) | Q(status=Status.SUCCEEDED)).exists():
            raise CheckoutRefused(_("Giỏ hàng này đã được thanh toán."))
        quote = checkout_quote(
            basket,
            delivery=delivery,
            pickup_producer_ids=pickup_producer_ids,
            user=user,
            request=request,
        )
        if shown_total is not None and quote.total.incl_tax != shown_total:
            raise TotalChanged(quote)
        if quote.total.currency.lower() != CURRENCY:
            raise CheckoutRefused(_("Chuyển khoản chỉ nhận đồng Việt Nam."))
        amount = whole_dong(quote.total.incl_tax)
        order_number = str(OrderNumberGenerator().order_number(basket))
        live = attempts.filter(method=PaymentMethod.VIETQR, status=Status.PENDING).first()
        fresh = now + timedelta(minutes=1)
        if live is not None and live.amount == amount and live.expires_at > fresh:
            _delivery_store(live, delivery, email, user, pickup_producer_ids)
            live.save()
            return live
        if live is not None:
            # its QR must stop taking money before another is shown; money
            # payOS already has for it is counted first (`bank_transfer_end`)
            live = bank_transfer_end(client=client, attempt=live, expired=live.expires_at <= now)
            if live.order_id:
                raise CheckoutRefused(_("Giỏ hàng này đã được thanh toán."))
            if live.status == Status.PENDING:
                raise PayosUnavailable(f"payOS did not end request {live.order_code}")
        tries = attempts.filter(method=PaymentMethod.VIETQR).count() + 1
        expires_at = now + timedelta(minutes=settings.PAYOS_EXPIRY_MINUTES)
        content = TRANSFER_CONTENT.format(number=order_number)[:25]
        for _skip in range(3):
            if tries >= 100:
                raise CheckoutRefused(_("Giỏ hàng này đã tạo quá nhiều mã QR; hãy chọn COD."))
            order_code = int(order_number) * 100 + tries
            try:
                payment = client.payment_request_create(
                    order_code=order_code,
                    amount=amount,
                    description=content,
                    return_url=return_url,
                    cancel_url=cancel_url,
                    expires_at=expires_at,
                    buyer_name=delivery.name,
                    buyer_phone=delivery.phone,
                )
                break
            except PayosOrderCodeTaken:
                # opened at payOS by a try whose answer was lost (a
                # timeout): it has no attempt here, so it is never shown
                # and lapses at its expiry; this try takes the next code
                tries += 1
        else:
            raise PayosUnavailable(f"orderCodes up to {order_code} are taken at payOS")
        attempt = PaymentAttempt(
            basket_id=basket.pk,
            method=PaymentMethod.VIETQR,
            order_code=order_code,
            order_number=order_number,
            amount=amount,
            currency=CURRENCY,
            payment_link_id=payment.payment_link_id,
            checkout_url=payment.checkout_url[:500],
            qr_code=payment.qr_code,
            bank_bin=payment.bin[:8],
            account_number=payment.account_number[:32],
            account_name=payment.account_name[:255],
            transfer_content=payment.description[:25],
            expires_at=expires_at,
        )
        _delivery_store(attempt, delivery, email, user, pickup_producer_ids)
        attempt.save()
        if locked.status != Basket.FROZEN:
            locked.freeze()
        basket.status = Basket.FROZEN
    return attempt


def _delivery_store(attempt, delivery, email, user, pickup_producer_ids) -> None:
    attempt.delivery_name = delivery.name
    attempt.delivery_phone = delivery.phone
    attempt.delivery_province = delivery.province
    attempt.delivery_ward = delivery.ward
    attempt.delivery_street = delivery.street
    attempt.delivery_notes = delivery.notes
    attempt.email = email
    attempt.user = user if user is not None and user.is_authenticated else None
    attempt.pickup_producer_ids = sorted(pickup_producer_ids)


# payOS's statuses for a request that takes no more money through its QR
ENDED_AT_PAYOS = ("CANCELLED", "EXPIRED")


def bank_transfer_end(
    *,
    client: PayosClient | None,
    attempt: PaymentAttempt,
    expired: bool = False,
    cancel: bool = True,
) -> PaymentAttempt:
    """End a pending VietQR request and give the basket back (the shopper
    chose another way, or its time ran out: `expired`), never losing money
    payOS already received for it.

    payOS is asked first: each transaction it has for the request goes to
    `fulfil` while the attempt is still pending (money paid in time is an
    order, or flagged, never "late"). A request with no money is cancelled
    at payOS (`cancel`; without it, only a cancellation payOS itself reports
    is recorded: its cancelUrl), and ends here only once payOS says it is
    CANCELLED or EXPIRED with no transactions. If payOS refuses the cancel
    it is asked again (it refuses a request with transactions: those are
    fulfilled). If payOS cannot be reached the attempt stays pending with
    its basket frozen (a frozen basket holds no stock), and the next expiry
    run tries again. Without payOS keys (switched off) it ends here.
    """
    with transaction.atomic():
        basket = Basket.objects.select_for_update().get(pk=attempt.basket_id)
        attempt = PaymentAttempt.objects.select_for_update().get(pk=attempt.pk)
        if attempt.status != Status.PENDING or attempt.order_id or attempt.amount_paid:
            return attempt
        if client is not None:
            code = attempt.order_code
            reason = "Hết hạn" if expired else "Người mua chọn cách khác"
            try:
                state = client.payment_request_state(code)
                if cancel and not state.transfers and state.status in ("PENDING", "EXPIRED"):
                    try:
                        state = client.payment_request_cancel(code, reason)
                    except PayosUnavailable as error:
                        logger.warning("payOS did not cancel %s: %s", code, error)
                        state = client.payment_request_state(code)
            except PayosUnavailable as error:
                logger.warning("payOS could not be asked about %s, kept pending: %s", code, error)
                return attempt
            if state.transfers:
                for transfer in state.transfers:  # as their webhooks would, each once
                    fulfil(transfer=transfer)
                attempt.refresh_from_db()
                return attempt
            if state.status not in (ENDED_AT_PAYOS if cancel else ("CANCELLED",)):
                if state.status != "PENDING":
                    logger.error("payOS request %s is %s with no transactions", code, state.status)
                return attempt
        attempt.status = Status.EXPIRED if expired else Status.CANCELLED
        attempt.save(update_fields=["status", "updated_at"])
        if basket.status == Basket.FROZEN:
            basket.thaw()
    return attempt


def bank_transfer_cancel(
    *, client: PayosClient | None, attempt: PaymentAttempt, expired: bool = False
) -> PaymentAttempt:
    """`bank_transfer_end`, cancelling at payOS (the shopper's own cancel,
    the expiry run)."""
    return bank_transfer_end(client=client, attempt=attempt, expired=expired)


def bank_transfers_expire(*, client: PayosClient | None, now: datetime | None = None) -> int:
    """Expire every pending VietQR request past its time (the beat runs this
    each minute): cancelled at payOS, basket released, once payOS confirms
    it took no money (what it took is fulfilled instead; one payOS could not
    be asked about stays pending until a later run). Returns how many."""
    now = now or timezone.now()
    due = PaymentAttempt.objects.filter(
        method=PaymentMethod.VIETQR, status=Status.PENDING, expires_at__lte=now
    )
    count = 0
    for attempt in due.only("pk", "basket_id"):
        if bank_transfer_cancel(client=client, attempt=attempt, expired=True).status == (
            Status.EXPIRED
        ):
            count += 1
    return count


def transfers_flagged(attempts):
    """The VietQR attempts whose money is not settled: received, minus the
    order's amount once placed, minus what operators sent back, is not 0
    (late, short, over, extra on a paid order, money after a refund)."""
    return attempts.filter(method=PaymentMethod.VIETQR).exclude(
        amount_paid=(
            Case(When(order__isnull=False, then=F("amount")), default=Value(0))
            + F("refunded_amount")
        )
    )


def bank_transfer_refund_record(
    *, attempt: PaymentAttempt, bank_reference: str, when: datetime | None = None
) -> PaymentAttempt:
    """Record that an operator sent flagged money back by bank transfer
    (late, short, over, extra on a paid order, or for a basket already
    ordered): payOS does not refund, so this is the shop's only trace of it.
    Each refund sends back what is unsettled at that time; money arriving
    after one is flagged again and takes another. With nothing unsettled,
    it says so (`RefundRefused`)."""
    with transaction.atomic():
        attempt = PaymentAttempt.objects.select_for_update().get(pk=attempt.pk)
        if attempt.method != PaymentMethod.VIETQR or not attempt.amount_paid:
            raise RefundRefused(_("Lần thanh toán này chưa nhận tiền chuyển khoản."))
        outstanding = attempt.unsettled
        if outstanding <= 0 and not attempt.refunds and attempt.order_id:
            raise RefundRefused(_("Đơn đã thanh toán đủ: hoàn tiền ở trang hoàn tiền của đơn."))
        if outstanding <= 0:
            raise RefundRefused(
                _("Không còn khoản tiền nào cần hoàn: đã ghi hoàn %(amount)s đ (mã %(reference)s).")
                % {"amount": attempt.refunded_amount, "reference": attempt.refund_bank_reference}
            )
        when = when or timezone.now()
        attempt.refund_bank_reference = bank_reference[:64]
        attempt.refunded_at = when
        attempt.refunded_amount += outstanding
        attempt.refunds = [
            *attempt.refunds,
            {"reference": bank_reference[:64], "amount": outstanding, "at": when.isoformat()},
        ]
        attempt.save(
            update_fields=[
                "refund_bank_reference",
                "refunded_at",
                "refunded_amount",
                "refunds",
                "updated_at",
            ]
        )
    return attempt

"""Card payments: start one, and turn a paid one into an order exactly once.

The flow (design.md §3): `card_payment_start` freezes the basket and opens a
Stripe PaymentIntent; the shopper pays in the browser; then `fulfil` runs
from the signed webhook and from the return page, in any order and any
number of times, and places the order once. `payment_failed` gives the
basket back to the shopper.

Every write here locks the basket row first and the attempt row second, the
same order `order_place` locks in, so a retry, a webhook and a return page
racing each other wait instead of deadlocking.
"""

import logging
from collections.abc import Mapping
from typing import Any

from django.db import transaction
from django.utils.translation import gettext as _
from oscar.core.loading import get_class, get_model

from marketplace.order.services import (
    CheckoutRefused,
    Delivery,
    TotalChanged,
    checkout_quote,
    order_place,
)
from marketplace.order.utils import InsufficientStock
from marketplace.payments.client import CURRENCY, PaymentsClient, whole_dong
from marketplace.payments.models import PaymentAttempt, PaymentAttemptStatus

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
        attempt = PaymentAttempt.objects.select_for_update().filter(basket_id=basket.pk).first()
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


def fulfil(*, payment_intent: Mapping[str, Any] | Any) -> Order | None:
    """Place the order for a succeeded PaymentIntent, exactly once.

    Called with the signed webhook's PaymentIntent and with the one the
    return page retrieves from Stripe; whichever comes first places the
    order, the others get it back. Nothing is placed when Stripe took an
    amount other than what the basket costs now: the attempt is marked
    `amount_mismatch` for an operator instead. Returns the order, or None
    when there is none (not paid yet, unknown PaymentIntent, or a problem
    recorded on the attempt).
    """
    intent = _plain(payment_intent)
    found = _attempt_keys(intent)
    if found is None:
        return None
    attempt_pk, basket_pk = found
    with transaction.atomic():
        basket = Basket.objects.select_for_update().get(pk=basket_pk)
        attempt = PaymentAttempt.objects.select_for_update().get(pk=attempt_pk)
        if attempt.order_id:
            return attempt.order
        if intent.get("status") != "succeeded" or attempt.status == Status.AMOUNT_MISMATCH:
            return None
        if basket.status == Basket.SUBMITTED:
            # ordered some other way (COD in another tab) while the card was
            # being charged: the money has to go back, not become an order
            return _refused(
                attempt,
                _("Giỏ hàng đã thành đơn khác trước khi thanh toán thẻ hoàn tất."),
            )
        try:
            mismatch = _amount_mismatch(attempt, intent, basket)
        except CheckoutRefused as refusal:
            return _refused(attempt, str(refusal))
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
                    payment_method="card",
                    payment_state="paid",
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
            return _refused(attempt, str(refusal))
        attempt.order = order
        attempt.status = Status.SUCCEEDED
        attempt.problem = ""
        attempt.save(update_fields=["order", "status", "problem", "updated_at"])
    return order


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


def _amount_mismatch(attempt: PaymentAttempt, intent: dict, basket) -> str:
    """Why the paid amount is not what the basket costs, or "" when it is."""
    paid, currency = intent.get("amount"), str(intent.get("currency") or "").lower()
    if currency != attempt.currency or paid != attempt.amount:
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
        return _("Stripe thu %(paid)s đ, giỏ hàng hiện tính %(total)s đ.") % {
            "paid": paid,
            "total": whole_dong(quote.total.incl_tax),
        }
    return ""


def _mismatched(attempt: PaymentAttempt, problem: str) -> None:
    attempt.status = Status.AMOUNT_MISMATCH
    attempt.problem = problem
    attempt.save(update_fields=["status", "problem", "updated_at"])
    logger.error(
        "payment %s for order %s not fulfilled, amount mismatch: %s",
        attempt.payment_intent_id,
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
        attempt.payment_intent_id,
        attempt.order_number,
        problem,
    )
    return None

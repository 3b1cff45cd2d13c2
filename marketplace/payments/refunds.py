"""Refunds for a whole paid order or some of its lines: through Stripe for
a card, and recorded by hand for a VietQR bank transfer (payOS collects
money, it does not refund: the operator transfers it back from the bank and
records that transfer's reference here).

Amounts are whole đồng. A line refunds at what the buyer paid for it
(discounts included); a unit's share is rounded down, and the last units of
a line take the remainder, so refunding a line unit by unit sums exactly to
the line. The order row is locked while the amount is worked out, so two
operators cannot refund the same money twice.
"""

from decimal import ROUND_FLOOR, Decimal

from django.db import IntegrityError, transaction
from django.db.models import Sum
from django.utils.translation import gettext as _
from oscar.core.loading import get_model

from marketplace.order.models import PaymentMethod, PaymentState
from marketplace.payments.exceptions import RefundRefused
from marketplace.payments.models import PaymentAttempt, Refund

Order = get_model("order", "Order")


def refunded_units(order) -> dict[int, int]:
    """Units already refunded, per order line id."""
    done: dict[int, int] = {}
    for refund in order.refunds.all():
        for item in refund.lines:
            done[item["line"]] = done.get(item["line"], 0) + item["quantity"]
    return done


def line_refund_amount(line, quantity: int, already: int) -> int:
    """What `quantity` more units of `line` refund, after `already`."""
    paid = Decimal(line.line_price_incl_tax)
    unit = (paid / line.quantity).to_integral_value(rounding=ROUND_FLOOR)
    if already + quantity == line.quantity:  # the last units take the remainder
        return int(paid - unit * already)
    return int(unit * quantity)


def refund_issue(
    *,
    client,
    order,
    request_key: str,
    by=None,
    line_quantities=None,
    reason="",
    bank_reference: str = "",
):
    """Refund the whole order (`line_quantities=None`) or {line id: units}.
    Returns the Refund; the same `request_key` returns the same Refund.
    A VietQR order needs the `bank_reference` of the transfer the operator
    made, and `client` (Stripe's) is not called for it."""
    existing = Refund.objects.filter(request_key=request_key).first()
    if existing:
        return existing
    with transaction.atomic():
        order = Order.objects.select_for_update().get(pk=order.pk)
        if order.payment_method not in (PaymentMethod.CARD, PaymentMethod.VIETQR):
            raise RefundRefused(_("Đơn COD không hoàn tiền qua Stripe; hãy hoàn tiền mặt."))
        attempt = PaymentAttempt.objects.filter(order=order).first()
        if attempt is None:
            raise RefundRefused(_("Không tìm thấy giao dịch thẻ của đơn hàng này."))
        by_bank = order.payment_method == PaymentMethod.VIETQR
        if by_bank and not bank_reference:
            raise RefundRefused(_("Cần mã giao dịch ngân hàng của khoản chuyển hoàn tiền."))
        refunded = order.refunds.aggregate(total=Sum("amount"))["total"] or 0
        left = int(order.total_incl_tax) - refunded
        done = refunded_units(order)
        if line_quantities is None:
            amount, lines = left, []
        else:
            lines_by_id = {line.pk: line for line in order.lines.all()}
            amount, lines = 0, []
            for line_id, quantity in line_quantities.items():
                line = lines_by_id.get(int(line_id))
                if line is None or quantity <= 0:
                    raise RefundRefused(_("Dòng hàng không thuộc đơn này."))
                already = done.get(line.pk, 0)
                if already + quantity > line.quantity:
                    raise RefundRefused(
                        _("“%(title)s” chỉ còn %(n)s đơn vị chưa hoàn tiền.")
                        % {"title": line.title, "n": line.quantity - already}
                    )
                amount += line_refund_amount(line, quantity, already)
                lines.append({"line": line.pk, "quantity": quantity})
        if amount <= 0 or amount > left:
            raise RefundRefused(_("Không còn tiền để hoàn cho đơn hàng này."))
        stripe_refund_id = ""
        if not by_bank:
            stripe_refund_id = client.refund_create(
                payment_intent_id=attempt.payment_intent_id, amount=amount, key=request_key
            ).id
        try:
            with transaction.atomic():
                refund = Refund.objects.create(
                    order=order,
                    amount=amount,
                    lines=lines,
                    reason=reason[:255],
                    stripe_refund_id=stripe_refund_id,
                    bank_reference=bank_reference[:64],
                    request_key=request_key,
                    created_by=by,
                )
        except IntegrityError:  # the same form, submitted twice at once
            return Refund.objects.get(request_key=request_key)
        order.payment_state = (
            PaymentState.REFUNDED if amount == left else PaymentState.PARTLY_REFUNDED
        )
        order.save(update_fields=["payment_state"])
    return refund

"""Operators refund paid orders from the dashboard: the whole order or
chosen lines, through Stripe for a card and recorded by hand (with the bank
reference) for a VietQR transfer. They also see every VietQR attempt and
record the bank refund of flagged money. Staff only; every refund records
who did it."""

import uuid

from django.contrib import messages
from django.core.paginator import Paginator
from django.db.models import Q
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import reverse
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST
from oscar.core.loading import get_model
from oscar.templatetags.currency_filters import currency
from stripe import StripeError

from marketplace.core import request_params
from marketplace.dashboard.permissions import staff_required
from marketplace.order.models import PaymentMethod as OrderPaymentMethod
from marketplace.payments.client import PaymentsClient, StripeNotConfigured
from marketplace.payments.exceptions import RefundRefused
from marketplace.payments.models import PaymentAttempt, PaymentAttemptStatus, PaymentMethod
from marketplace.payments.refunds import refund_issue, refunded_units
from marketplace.payments.services import bank_transfer_refund_record, transfers_flagged

Order = get_model("order", "Order")


@staff_required
def order_refund(request, number: str):
    order = get_object_or_404(Order, number=number)
    back = reverse("dashboard:order-detail", kwargs={"number": order.number})
    if request.method == "POST":
        whole = request_params.choice(request.POST.get("scope"), ("order",)) is not None
        quantities = None
        if not whole:
            quantities = {}
            for line in order.lines.all():
                raw = (request.POST.get(f"line-{line.pk}") or "0").strip() or "0"
                quantity = request_params.integer(raw)
                if quantity is None:
                    messages.error(request, _("Số lượng hoàn phải là số nguyên."))
                    return redirect(request.path)
                if quantity:
                    quantities[line.pk] = quantity
            if not quantities:
                messages.error(request, _("Hãy chọn số lượng cần hoàn cho ít nhất một dòng."))
                return redirect(request.path)
        by_bank = order.payment_method == OrderPaymentMethod.VIETQR
        try:
            refund = refund_issue(
                client=None if by_bank else PaymentsClient.from_settings(),
                bank_reference=request_params.token(
                    (request.POST.get("bank_reference") or "").strip(), max_length=64
                )
                or "",
                order=order,
                request_key=request_params.token(request.POST.get("request_key"), max_length=64)
                or uuid.uuid4().hex,
                by=request.user,
                line_quantities=quantities,
                reason=request_params.text(request.POST.get("reason"), max_length=255, clip=True)
                or "",
            )
        except (RefundRefused, StripeNotConfigured) as refused:
            messages.error(request, str(refused))
            return redirect(request.path)
        except StripeError as exc:
            messages.error(
                request, _("Stripe từ chối hoàn tiền: %(e)s") % {"e": exc.user_message or exc}
            )
            return redirect(request.path)
        messages.success(
            request, _("Đã hoàn %(amount)s.") % {"amount": currency(refund.amount, order.currency)}
        )
        return redirect(back)
    done = refunded_units(order)
    lines = [
        {"line": line, "left": line.quantity - done.get(line.pk, 0)} for line in order.lines.all()
    ]
    return render(
        request,
        "oscar/dashboard/payments/order_refund.html",
        {
            "order": order,
            "lines": lines,
            "refunds": order.refunds.select_related("created_by"),
            "request_key": uuid.uuid4().hex,
            "back": back,
        },
    )


TRANSFERS_PER_PAGE = 50


@staff_required
def transfer_list(request):
    """Every VietQR attempt, newest first, by state: created (pending),
    paid, expired, cancelled, or mismatch (money in, no order from it:
    late, short, over, or for a basket ordered another way), with payOS's
    orderCode and link id and the bank reference of the money."""
    status = request_params.choice(request.GET.get("status"), PaymentAttemptStatus.values)
    attempts = PaymentAttempt.objects.filter(method=PaymentMethod.VIETQR).select_related("order")
    if status == PaymentAttemptStatus.AMOUNT_MISMATCH:
        # every attempt whose money an operator has to settle, whatever
        # its state (extra money on a paid order, money after a refund)
        attempts = attempts.filter(
            Q(status=status) | Q(pk__in=transfers_flagged(PaymentAttempt.objects).values("pk"))
        )
    elif status:
        attempts = attempts.filter(status=status)
    page = Paginator(attempts.order_by("-created_at"), TRANSFERS_PER_PAGE).get_page(
        request_params.page_number(request.GET.get("page"))
    )
    flagged = transfers_flagged(PaymentAttempt.objects).count()
    return render(
        request,
        "oscar/dashboard/payments/transfer_list.html",
        {
            "page": page,
            "status": status or "",
            "statuses": [
                (value, label)
                for value, label in PaymentAttemptStatus.choices
                if value != PaymentAttemptStatus.FAILED
            ],
            "flagged": flagged,
        },
    )


@staff_required
@require_POST
def transfer_refund(request, pk: int):
    """Record the bank transfer that sent flagged money back."""
    attempt = get_object_or_404(PaymentAttempt, pk=pk, method=PaymentMethod.VIETQR)
    reference = request_params.token(
        (request.POST.get("bank_reference") or "").strip(), max_length=64
    )
    if not reference:
        messages.error(request, _("Cần mã giao dịch ngân hàng của khoản chuyển hoàn tiền."))
    else:
        try:
            bank_transfer_refund_record(attempt=attempt, bank_reference=reference)
            messages.success(request, _("Đã ghi nhận hoàn tiền chuyển khoản."))
        except RefundRefused as refused:
            messages.error(request, str(refused))
    return redirect(reverse("dashboard:payments-transfers") + "?status=amount_mismatch")

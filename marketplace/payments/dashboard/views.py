"""Operators refund card orders from the dashboard: the whole order or
chosen lines, through Stripe. Staff only; every refund records who did it."""

import uuid

from django.contrib import messages
from django.contrib.admin.views.decorators import staff_member_required
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import reverse
from django.utils.translation import gettext as _
from oscar.core.loading import get_model
from oscar.templatetags.currency_filters import currency
from stripe import StripeError

from marketplace.core import request_params
from marketplace.order.services import CheckoutRefused
from marketplace.payments.client import PaymentsClient, StripeNotConfigured
from marketplace.payments.refunds import refund_issue, refunded_units

Order = get_model("order", "Order")

staff_required = staff_member_required(login_url="customer:login")


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
        try:
            refund = refund_issue(
                client=PaymentsClient.from_settings(),
                order=order,
                request_key=request_params.token(request.POST.get("request_key"), max_length=64)
                or uuid.uuid4().hex,
                by=request.user,
                line_quantities=quantities,
                reason=request_params.text(request.POST.get("reason"), max_length=255, clip=True)
                or "",
            )
        except (CheckoutRefused, StripeNotConfigured) as refused:
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
        "payments/dashboard/order_refund.html",
        {
            "order": order,
            "lines": lines,
            "refunds": order.refunds.select_related("created_by"),
            "request_key": uuid.uuid4().hex,
            "back": back,
        },
    )

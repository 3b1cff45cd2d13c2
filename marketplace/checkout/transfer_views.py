"""The VietQR page and payOS's return and cancel links.

The checkout opens a payOS request (`bank_transfer_start`) and sends the
shopper here: the QR, the account to pay into, the amount and the transfer
content, each with a copy button, and the time left. The page's script polls
`status` (the shop's own record, never payOS) and moves to the thank-you
page once `fulfil` has placed the order, from the webhook or from the return
link, whichever comes first. A page is the session's own attempt only.
"""

import logging

from django.contrib import messages
from django.http import Http404, JsonResponse
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils import timezone
from django.utils.cache import patch_cache_control
from django.utils.translation import gettext as _
from django.views import View

from marketplace.core import request_params
from marketplace.core.qr import qr_svg
from marketplace.order.links import order_email_remember
from marketplace.payments.models import PaymentAttempt, PaymentAttemptStatus, PaymentMethod
from marketplace.payments.payos_client import (
    PayosClient,
    PayosNotConfigured,
    PayosUnavailable,
)
from marketplace.payments.services import bank_transfer_end, fulfil

logger = logging.getLogger(__name__)

SESSION_TRANSFER = "checkout_transfer_attempt"
MAX_ORDER_CODE = 10**12 - 1  # request_params reads at most 12 digits
SESSION_ORDER = "checkout_order_number"

# NAPAS bank identification numbers (BIN) of the banks payOS links most
# often, so the page names the bank rather than a number.
BANKS_BY_BIN = {
    "970422": "MB Bank",
    "970436": "Vietcombank",
    "970415": "VietinBank",
    "970418": "BIDV",
    "970405": "Agribank",
    "970407": "Techcombank",
    "970423": "TPBank",
    "970432": "VPBank",
    "970416": "ACB",
    "970403": "Sacombank",
    "970448": "OCB",
    "970441": "VIB",
}


def session_transfer(request, order_code=None) -> PaymentAttempt | None:
    """This session's VietQR attempt (with `order_code`: only if it is that one)."""
    attempts = PaymentAttempt.objects.filter(
        pk=request.session.get(SESSION_TRANSFER), method=PaymentMethod.VIETQR
    )
    if order_code is not None:
        if not 0 < order_code <= MAX_ORDER_CODE:
            return None
        attempts = attempts.filter(order_code=order_code)
    return attempts.select_related("order").first()


def transfer_thank_you(request, order):
    request.session[SESSION_ORDER] = order.number
    order_email_remember(request, order)
    return redirect(reverse("checkout:thank-you"))


def _client() -> PayosClient | None:
    try:
        return PayosClient.from_settings()
    except PayosNotConfigured:
        return None


class BankTransferView(View):
    """The QR page for the session's pending request."""

    def get(self, request, order_code: int):
        attempt = session_transfer(request, order_code)
        if attempt is None:
            raise Http404
        if attempt.order_id:
            return transfer_thank_you(request, attempt.order)
        left = 0
        if attempt.expires_at:
            left = max(int((attempt.expires_at - timezone.now()).total_seconds()), 0)
        live = attempt.status == PaymentAttemptStatus.PENDING and left > 0
        response = render(
            request,
            "checkout/bank_transfer.html",
            {
                "attempt": attempt,
                "live": live,
                "seconds_left": left,
                "time_left": f"{left // 60:02d}:{left % 60:02d}",
                "qr": qr_svg(attempt.qr_code) if live and attempt.qr_code else "",
                "bank_name": BANKS_BY_BIN.get(attempt.bank_bin, attempt.bank_bin),
                "status_url": reverse("checkout:vietqr-status", args=[attempt.order_code]),
                "cancel_url": reverse("checkout:vietqr-cancel"),
            },
        )
        patch_cache_control(response, private=True, no_store=True)
        return response


class BankTransferStatusView(View):
    """What the QR page polls: `pending`, `paid` (with where to go),
    `expired`, `cancelled` or `amount_mismatch`, from the shop's database."""

    def get(self, request, order_code: int):
        attempt = session_transfer(request, order_code)
        if attempt is None:
            return JsonResponse({"status": "unknown"}, status=404)
        body = {"status": attempt.status}
        if attempt.order_id:
            request.session[SESSION_ORDER] = attempt.order.number
            order_email_remember(request, attempt.order)
            body = {"status": "paid", "redirect": reverse("checkout:thank-you")}
        elif (
            attempt.status == PaymentAttemptStatus.PENDING and attempt.expires_at <= timezone.now()
        ):
            body = {"status": "expired"}
        response = JsonResponse(body)
        patch_cache_control(response, private=True, no_store=True)
        return response


class BankTransferReturnView(View):
    """payOS's returnUrl. Its query string is not trusted: the shop asks
    payOS what it received for the request and hands that to `fulfil`, the
    same step the webhook takes, so the order is placed once."""

    def get(self, request):
        order_code = request_params.integer(request.GET.get("orderCode"), high=MAX_ORDER_CODE)
        attempt = session_transfer(request, order_code) if order_code else None
        if attempt is None:
            messages.error(request, _("Không tìm thấy giao dịch thanh toán này."))
            return redirect("basket:summary")
        order = attempt.order if attempt.order_id else None
        client = _client()
        if order is None and client is not None:
            try:
                transfers = client.payment_request_transfers(attempt.order_code)
            except PayosUnavailable as error:
                logger.warning("payOS could not be asked about %s: %s", order_code, error)
                transfers = []
            for transfer in transfers:  # as their webhooks would, each once
                order = fulfil(transfer=transfer) or order
        if order is not None:
            return transfer_thank_you(request, order)
        return redirect("checkout:vietqr", order_code=attempt.order_code)


class BankTransferCancelView(View):
    """The QR page's "pay another way" (POST, with its CSRF token): the
    request is cancelled at payOS, the basket comes back, and the checkout
    page offers COD again. payOS's cancelUrl (GET) cancels nothing itself:
    a link from anywhere can reach it, so it records only a cancellation
    payOS reports, and otherwise goes back to the QR. Either way money payOS
    already took for the request is counted first (`bank_transfer_end`)."""

    def get(self, request):
        return self.cancel(request, request.GET.get("orderCode"), confirm_only=True)

    def post(self, request):
        return self.cancel(request, request.POST.get("orderCode"), confirm_only=False)

    def cancel(self, request, raw, *, confirm_only: bool):
        order_code = request_params.integer(raw, high=MAX_ORDER_CODE)
        attempt = session_transfer(request, order_code) if order_code else None
        if attempt is None:
            return redirect("checkout:index")
        if attempt.order_id:
            return transfer_thank_you(request, attempt.order)
        attempt = bank_transfer_end(client=_client(), attempt=attempt, cancel=not confirm_only)
        if attempt.order_id:
            return transfer_thank_you(request, attempt.order)
        if attempt.status == PaymentAttemptStatus.CANCELLED:
            messages.info(
                request,
                _("Đã huỷ mã QR. Bạn có thể chọn thanh toán khi nhận hàng (COD) hoặc tạo mã mới."),
            )
            return redirect("checkout:index")
        if attempt.status == PaymentAttemptStatus.PENDING and not confirm_only:
            messages.warning(
                request,
                _("Chưa huỷ được mã QR vì payOS không phản hồi. Bạn hãy thử lại sau ít phút."),
            )
        if attempt.status in (PaymentAttemptStatus.PENDING, PaymentAttemptStatus.AMOUNT_MISMATCH):
            return redirect("checkout:vietqr", order_code=attempt.order_code)
        return redirect("checkout:index")

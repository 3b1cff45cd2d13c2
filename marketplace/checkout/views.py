"""The one-page checkout and its thank-you page."""

import logging

from django.conf import settings
from django.contrib import messages
from django.core import signing
from django.http import HttpResponse
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils import timezone
from django.utils.cache import patch_cache_control
from django.utils.translation import gettext as _
from django.views import View
from django.views.generic import FormView, TemplateView
from oscar.core.loading import get_model
from stripe import StripeError

from marketplace.checkout.forms import CheckoutForm
from marketplace.checkout.transfer_views import SESSION_TRANSFER, transfer_thank_you
from marketplace.core import request_params
from marketplace.order.exceptions import CheckoutRefused, PricesChanged, TotalChanged
from marketplace.order.links import order_email_remember, order_status_url
from marketplace.order.services import (
    Delivery,
    basket_purchasable_check,
    order_place,
    quote_for_province,
    quote_is_complete,
)
from marketplace.order.shipping import basket_needs_address, line_producer, shipping_rates
from marketplace.order.utils import InsufficientStock
from marketplace.payments.client import PaymentsClient
from marketplace.payments.models import PaymentAttempt, PaymentAttemptStatus, PaymentMethod
from marketplace.payments.payos_client import (
    PayosClient,
    PayosNotConfigured,
    PayosUnavailable,
    payos_configured,
)
from marketplace.payments.services import (
    bank_transfer_end,
    bank_transfer_start,
    card_payment_start,
    fulfil,
)
from marketplace.registry.addresses import PROVINCES_2025

logger = logging.getLogger(__name__)

Basket = get_model("basket", "Basket")
Order = get_model("order", "Order")

SESSION_ORDER = "checkout_order_number"
SESSION_ATTEMPT = "checkout_card_attempt"
# A confirmed total above this is not a total this shop shows.
MAX_TOTAL = 10**13
# The checkout form names the basket it places (signed), so that "Đặt hàng"
# sent again after that basket became an order finds the order.
PLACING_FIELD = "placing"
PLACING_SALT = "checkout.placing"
PLACING_MAX_AGE = 60 * 60 * 24


def card_payments_enabled() -> bool:
    return bool(settings.STRIPE_SECRET_KEY and settings.STRIPE_PUBLISHABLE_KEY)


def pending_transfer(request) -> PaymentAttempt | None:
    """This session's VietQR request still waiting for money, when its
    basket is the one the checkout would use (the session's is empty)."""
    if not request.basket.is_empty or not request.session.get(SESSION_TRANSFER):
        return None
    return PaymentAttempt.objects.filter(
        pk=request.session.get(SESSION_TRANSFER),
        method=PaymentMethod.VIETQR,
        order__isnull=True,
        status=PaymentAttemptStatus.PENDING,
    ).first()


def frozen_basket_restore(request):
    """A shopper who left the card or VietQR page comes back to their basket.

    Starting a payment freezes the basket (so its contents cannot change
    while paying), and Oscar's middleware then hands the session a new,
    empty one. Back on the checkout page, the basket of this session's
    unpaid attempt is used again: a pending card attempt's is thawed, and
    an expired or cancelled VietQR request's, already thawed, is picked up.
    A pending VietQR request is never ended here (`pending_transfer`: the
    checkout sends the shopper back to its QR). They may then pay again or
    choose COD."""
    if not request.basket.is_empty:
        return None
    card = PaymentAttempt.objects.filter(
        pk=request.session.get(SESSION_ATTEMPT),
        method=PaymentMethod.CARD,
        status=PaymentAttemptStatus.PENDING,
    )
    transfer = PaymentAttempt.objects.filter(
        pk=request.session.get(SESSION_TRANSFER),
        method=PaymentMethod.VIETQR,
        order__isnull=True,
        status__in=[PaymentAttemptStatus.EXPIRED, PaymentAttemptStatus.CANCELLED],
    )
    attempt = (card | transfer).select_related("basket").order_by("-updated_at").first()
    if attempt is None:
        return None
    basket = attempt.basket
    if basket.status == basket.FROZEN:
        basket.thaw()
    elif basket.status != basket.OPEN:
        return None
    basket.strategy = request.basket.strategy
    request.basket = basket
    return basket


def placing_token(basket) -> str:
    """What the checkout form carries to name the basket it places."""
    return signing.TimestampSigner(salt=PLACING_SALT).sign(str(basket.pk))


def order_already_placed(request):
    """The order a repeated "Đặt hàng" already placed, or None.

    The first press can place the order and lose its answer: the web
    process that placed it dies before replying, or a double click's second
    POST reaches another process after the first committed. The repeat then
    finds the session's basket empty (the placed one is submitted) and would
    say so, though the order exists. The form names the basket it placed
    (`placing_token`, signed, so only the page that showed it can), and a
    basket that became an order leads to that order's thank-you page, for
    the shopper who placed it: a signed-in shopper's order only to them."""
    if request.method != "POST":
        return None
    try:
        basket_id = signing.TimestampSigner(salt=PLACING_SALT).unsign(
            request.POST.get(PLACING_FIELD, ""), max_age=PLACING_MAX_AGE
        )
    except signing.BadSignature:
        return None
    order = Order.objects.filter(basket_id=basket_id, basket__status=Basket.SUBMITTED).first()
    if order is None or (order.user_id and order.user_id != request.user.pk):
        return None
    return order


def transfer_pending_answer(request):
    """Where the checkout sends a shopper whose VietQR request is pending.

    A live QR is never cancelled by opening the checkout (another tab, a
    prefetch): the shopper goes back to it, where a POST button cancels it.
    One past its time is ended as the expiry run would end it, asking payOS
    first; money payOS took for it becomes the order (or is flagged)."""
    attempt = pending_transfer(request)
    if attempt is None:
        return None
    if attempt.expires_at and attempt.expires_at > timezone.now():
        messages.info(
            request,
            _(
                "Bạn đang có một mã QR chuyển khoản chưa thanh toán. Hãy chuyển khoản, "
                "hoặc huỷ mã QR để chọn cách thanh toán khác."
            ),
        )
        return redirect("checkout:vietqr", order_code=attempt.order_code)
    try:
        client = PayosClient.from_settings()
    except PayosNotConfigured:
        client = None
    attempt = bank_transfer_end(client=client, attempt=attempt, expired=True)
    if attempt.order_id:
        return transfer_thank_you(request, attempt.order)
    if attempt.status == PaymentAttemptStatus.PENDING:
        messages.warning(
            request,
            _("Chưa xác nhận được với payOS rằng mã QR đã hết hạn. Bạn hãy thử lại sau ít phút."),
        )
    if attempt.status not in (PaymentAttemptStatus.EXPIRED, PaymentAttemptStatus.CANCELLED):
        return redirect("checkout:vietqr", order_code=attempt.order_code)
    return None


class CheckoutView(FormView):
    """Contact, address, payment and pickup on one page, with each
    producer's parcel and the totals beside them."""

    template_name = "checkout/checkout.html"
    form_class = CheckoutForm

    def dispatch(self, request, *args, **kwargs):
        answer = transfer_pending_answer(request)
        if answer is not None:
            return answer
        self.basket = frozen_basket_restore(request) or request.basket
        if self.basket.is_empty:
            placed = order_already_placed(request)
            if placed is not None:
                request.session[SESSION_ORDER] = placed.number
                order_email_remember(request, placed)
                return redirect(reverse("checkout:thank-you"))
            messages.info(request, _("Giỏ hàng đang trống."))
            return redirect("basket:summary")
        try:
            basket_purchasable_check(self.basket)
        except CheckoutRefused as refused:
            messages.warning(request, str(refused))
            return redirect("basket:summary")
        return super().dispatch(request, *args, **kwargs)

    def pickup_choices(self):
        seen = {}
        for line in self.basket.all_lines():
            producer = line_producer(line)
            if producer.allows_pickup and line.product.is_shipping_required:
                seen[producer.pk] = producer.name
        return list(seen.items())

    def get_form_kwargs(self):
        kwargs = super().get_form_kwargs()
        kwargs.update(
            needs_address=basket_needs_address(self.basket),
            needs_email=not self.request.user.is_authenticated,
            card=card_payments_enabled(),
            bank_transfer=payos_configured(),
            pickup_choices=self.pickup_choices(),
        )
        return kwargs

    def get_initial(self):
        user = self.request.user
        if user.is_authenticated:
            return {"name": user.get_full_name(), "email": user.email}
        return {}

    def get_context_data(self, **kwargs):
        context = super().get_context_data(**kwargs)
        form = context["form"]
        # the running totals follow what was posted, valid or not yet
        province, pickup = "", frozenset()
        if form.is_bound:
            province, pickup = _province_and_pickup(form.data)
        context.update(
            checkout_summary_context(self.request, self.basket, province=province, pickup=pickup)
        )
        context["placing"] = placing_token(self.basket)
        return context

    def form_valid(self, form):
        data = form.cleaned_data
        user = self.request.user if self.request.user.is_authenticated else None
        delivery = Delivery(
            name=data["name"],
            phone=data["phone"],
            province=data.get("province", ""),
            ward=data.get("ward", ""),
            street=data.get("street", ""),
            notes=data.get("notes", ""),
        )
        email = data.get("email") or (user.email if user else "")
        shown_total = request_params.integer(form.data.get("shown_total"), high=MAX_TOTAL)
        if shown_total is None:
            # no total was on the page (no province yet, or no script to
            # fetch one): show it, and place nothing until it is confirmed
            return self.total_confirm(form)
        if data["payment"] == PaymentMethod.CARD:
            return self.card_payment(
                form, delivery=delivery, email=email, user=user, shown_total=shown_total
            )
        if data["payment"] == PaymentMethod.VIETQR:
            return self.bank_transfer(
                form, delivery=delivery, email=email, user=user, shown_total=shown_total
            )
        try:
            order = order_place(
                basket=self.basket,
                delivery=delivery,
                email=email,
                user=user,
                pickup_producer_ids=form.pickup_ids(),
                expected_prices_seen=False,
                shown_total=shown_total,
                request=self.request,
            )
        except TotalChanged:
            return self.total_confirm(form)
        except PricesChanged as changed:
            for change in changed.changes:
                messages.warning(
                    self.request,
                    _("Giá “%(title)s” đã đổi từ %(old)s sang %(new)s.")
                    % {"title": change.title, "old": _dong(change.old), "new": _dong(change.new)},
                )
            form.add_error(None, str(changed))
            return self.form_invalid(form)
        except (InsufficientStock, CheckoutRefused) as refused:
            form.add_error(None, str(refused))
            return self.form_invalid(form)
        self.request.session[SESSION_ORDER] = order.number
        order_email_remember(self.request, order)
        return redirect(reverse("checkout:thank-you"))

    def total_confirm(self, form):
        """The page again, with the total as it is now, and nothing placed:
        the shopper is charged only a total they were shown."""
        context = self.get_context_data(form=form)
        if context["order_total"] is not None:
            form.add_error(
                None,
                _(
                    "Tổng cộng cần thanh toán là %(total)s (đã gồm phí vận chuyển). "
                    "Hãy kiểm tra rồi bấm “Đặt hàng” lần nữa."
                )
                % {"total": _dong(context["order_total"])},
            )
        return self.render_to_response(context)

    def card_payment(self, form, *, delivery, email, user, shown_total):
        """Open the basket's PaymentIntent and show Stripe's Payment Element;
        the order is placed by `fulfil` (webhook or return page)."""
        try:
            attempt = card_payment_start(
                client=PaymentsClient.from_settings(),
                basket=self.basket,
                delivery=delivery,
                email=email,
                user=user,
                pickup_producer_ids=form.pickup_ids(),
                shown_total=shown_total,
                request=self.request,
            )
        except TotalChanged:
            return self.total_confirm(form)
        except (InsufficientStock, CheckoutRefused) as refused:
            form.add_error(None, str(refused))
            return self.form_invalid(form)
        except StripeError:
            logger.exception("Stripe refused to open a PaymentIntent")
            form.add_error(None, _("Cổng thanh toán thẻ đang bận; hãy thử lại hoặc chọn COD."))
            return self.form_invalid(form)
        self.request.session[SESSION_ATTEMPT] = attempt.pk
        return render(
            self.request,
            "checkout/card_payment.html",
            {
                "attempt": attempt,
                "publishable_key": settings.STRIPE_PUBLISHABLE_KEY,
                "return_url": self.request.build_absolute_uri(reverse("checkout:card-return")),
            },
        )

    def bank_transfer(self, form, *, delivery, email, user, shown_total):
        """Open a payOS request and send the shopper to its QR page; the
        order is placed by `fulfil` (webhook or return link). If payOS is
        down or slow, nothing is frozen and the page says to try again or
        pay cash on delivery."""
        build = self.request.build_absolute_uri
        try:
            attempt = bank_transfer_start(
                client=PayosClient.from_settings(),
                basket=self.basket,
                delivery=delivery,
                email=email,
                user=user,
                pickup_producer_ids=form.pickup_ids(),
                shown_total=shown_total,
                return_url=build(reverse("checkout:vietqr-return")),
                cancel_url=build(reverse("checkout:vietqr-cancel")),
                request=self.request,
            )
        except TotalChanged:
            return self.total_confirm(form)
        except (InsufficientStock, CheckoutRefused) as refused:
            form.add_error(None, str(refused))
            return self.form_invalid(form)
        except (PayosUnavailable, PayosNotConfigured) as error:
            logger.warning("payOS did not open a payment request: %s", error)
            form.add_error(
                None,
                _(
                    "Chưa tạo được mã QR chuyển khoản vì cổng thanh toán payOS không phản hồi. "
                    "Bạn hãy thử lại sau ít phút, hoặc chọn thanh toán khi nhận hàng (COD)."
                ),
            )
            return self.form_invalid(form)
        self.request.session[SESSION_TRANSFER] = attempt.pk
        return redirect("checkout:vietqr", order_code=attempt.order_code)


class CheckoutSummaryView(View):
    """The checkout page's summary (parcels, shipping, total and the total
    the form will confirm) for a province and pickup choice: the page's
    script asks for it whenever the shopper changes either, so the total
    on screen is always the server's quote, the same one the order uses."""

    def get(self, request):
        basket = frozen_basket_restore(request) or request.basket
        if basket.is_empty:
            return HttpResponse(status=204)
        province, pickup = _province_and_pickup(request.GET)
        try:
            context = checkout_summary_context(request, basket, province=province, pickup=pickup)
        except CheckoutRefused:
            return HttpResponse(status=204)  # the page's own submit will say why
        response = render(request, "checkout/partials/summary.html", context)
        patch_cache_control(response, private=True, no_store=True)
        return response


def _province_and_pickup(data) -> tuple[str, frozenset[int]]:
    province = request_params.choice(data.get("province"), PROVINCES_2025) or ""
    pickup = frozenset(request_params.integers(data.getlist("pickup")))
    return province, pickup


def checkout_summary_context(request, basket, *, province: str, pickup: frozenset) -> dict:
    """What the summary shows, from the quote an order would be placed at.
    `order_total` is None until shipping is known (no province chosen)."""
    user = request.user if request.user.is_authenticated else None
    quote = quote_for_province(
        basket, province=province, pickup_producer_ids=pickup, user=user, request=request
    )
    complete = quote_is_complete(basket, province)
    return {
        "basket": basket,
        "parcels": quote.plans,
        "province_chosen": bool(province),
        "basket_total": quote.total.incl_tax - quote.shipping,
        "shipping_total": quote.shipping if complete else None,
        "order_total": quote.total.incl_tax if complete else None,
        # whole đồng, unlocalised: what "Đặt hàng" posts back as shown
        "shown_total": int(quote.total.incl_tax) if complete else None,
        "rates": shipping_rates(),
    }


class CardReturnView(View):
    """Where Stripe sends the shopper back after paying. It asks Stripe for
    the PaymentIntent and calls the same `fulfil` the webhook calls, so the
    order is placed by whichever comes first, once."""

    def get(self, request):
        intent_id = request_params.token(request.GET.get("payment_intent")) or ""
        attempt = PaymentAttempt.objects.filter(
            pk=request.session.get(SESSION_ATTEMPT), payment_intent_id=intent_id
        ).first()
        if attempt is None:
            messages.error(request, _("Không tìm thấy giao dịch thanh toán này."))
            return redirect("basket:summary")
        try:
            intent = PaymentsClient.from_settings().payment_intent_retrieve(intent_id)
            order = fulfil(payment_intent=intent)
        except StripeError:
            logger.exception("Stripe could not be asked about %s", intent_id)
            order = None
        if order is None:
            order = attempt.order if attempt.order_id else None
        if order is not None:
            request.session[SESSION_ORDER] = order.number
            order_email_remember(request, order)
            return redirect(reverse("checkout:thank-you"))
        return render(request, "checkout/card_pending.html", {"attempt": attempt}, status=202)


class ThankYouView(TemplateView):
    """The confirmation page, for the session that placed the order."""

    template_name = "checkout/thank_you.html"

    def get(self, request, *args, **kwargs):
        number = request.session.get(SESSION_ORDER)
        self.order = Order.objects.filter(number=number).first() if number else None
        if self.order is None:
            return redirect("/")
        return super().get(request, *args, **kwargs)

    def get_context_data(self, **kwargs):
        context = super().get_context_data(**kwargs)
        context["order"] = self.order
        context["parcels"] = self.order.parcels.select_related("producer").order_by("pk")
        context["status_url"] = order_status_url(self.order)
        return context


def _dong(amount) -> str:
    from oscar.templatetags.currency_filters import currency

    return currency(amount)

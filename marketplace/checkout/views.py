"""The one-page checkout and its thank-you page."""

import logging

from django.conf import settings
from django.contrib import messages
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils.translation import gettext as _
from django.views import View
from django.views.generic import FormView, TemplateView
from oscar.core.loading import get_model
from stripe import StripeError

from marketplace.checkout.forms import CheckoutForm
from marketplace.core import request_params
from marketplace.order.links import order_status_url
from marketplace.order.services import (
    CheckoutRefused,
    Delivery,
    PricesChanged,
    basket_purchasable_check,
    order_place,
)
from marketplace.order.shipping import basket_needs_address, line_producer, parcels_plan
from marketplace.order.utils import InsufficientStock
from marketplace.payments.client import PaymentsClient
from marketplace.payments.models import PaymentAttempt
from marketplace.payments.services import card_payment_start, fulfil
from marketplace.registry.addresses import PROVINCES_2025

logger = logging.getLogger(__name__)

Order = get_model("order", "Order")

SESSION_ORDER = "checkout_order_number"
SESSION_ATTEMPT = "checkout_card_attempt"


def card_payments_enabled() -> bool:
    return bool(settings.STRIPE_SECRET_KEY and settings.STRIPE_PUBLISHABLE_KEY)


def frozen_basket_restore(request):
    """A shopper who left the card page comes back to their basket.

    Starting a card payment freezes the basket (so its contents cannot
    change while paying), and Oscar's middleware then hands the session a new,
    empty one. Back on the checkout page, a still-pending attempt's basket is
    thawed and used again: they may pay by card again or choose COD."""
    attempt = (
        PaymentAttempt.objects.filter(pk=request.session.get(SESSION_ATTEMPT), status="pending")
        .select_related("basket")
        .first()
    )
    if attempt is None or attempt.basket.status != attempt.basket.FROZEN:
        return None
    if not request.basket.is_empty:
        return None
    basket = attempt.basket
    basket.thaw()
    basket.strategy = request.basket.strategy
    request.basket = basket
    return basket


class CheckoutView(FormView):
    """Contact, address, payment and pickup on one page, with each
    producer's parcel and the totals beside them."""

    template_name = "checkout/checkout.html"
    form_class = CheckoutForm

    def dispatch(self, request, *args, **kwargs):
        self.basket = frozen_basket_restore(request) or request.basket
        if self.basket.is_empty:
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
            province = request_params.choice(form.data.get("province"), PROVINCES_2025) or ""
            pickup = frozenset(request_params.integers(form.data.getlist("pickup")))
        plans = parcels_plan(self.basket, province=province, pickup_producer_ids=pickup)
        shipping = sum(plan.charge for plan in plans) if province else None
        context.update(
            basket=self.basket,
            parcels=plans,
            province_chosen=bool(province),
            shipping_total=shipping,
            order_total=(self.basket.total_incl_tax + shipping) if shipping is not None else None,
            rates={
                "hanoi": settings.SHIPPING_RATE_INNER_HANOI,
                "other": settings.SHIPPING_RATE_OTHER_PROVINCES,
            },
        )
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
        if data["payment"] == "card":
            return self.card_payment(form, delivery=delivery, email=email, user=user)
        try:
            order = order_place(
                basket=self.basket,
                delivery=delivery,
                email=email,
                user=user,
                pickup_producer_ids=form.pickup_ids(),
                expected_prices_seen=False,
                request=self.request,
            )
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
        return redirect(reverse("checkout:thank-you"))

    def card_payment(self, form, *, delivery, email, user):
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
                request=self.request,
            )
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

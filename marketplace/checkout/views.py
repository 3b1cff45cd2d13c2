"""The one-page checkout and its thank-you page."""

import logging

from django.conf import settings
from django.contrib import messages
from django.shortcuts import redirect
from django.urls import reverse
from django.utils.translation import gettext as _
from django.views.generic import FormView, TemplateView
from oscar.core.loading import get_model

from marketplace.checkout.forms import CheckoutForm
from marketplace.order.links import order_status_url
from marketplace.order.services import CheckoutRefused, Delivery, PricesChanged, order_place
from marketplace.order.shipping import basket_needs_address, parcels_plan
from marketplace.order.utils import InsufficientStock

logger = logging.getLogger(__name__)

Order = get_model("order", "Order")

SESSION_ORDER = "checkout_order_number"


def card_payments_enabled() -> bool:
    return bool(settings.STRIPE_SECRET_KEY and settings.STRIPE_PUBLISHABLE_KEY)


class CheckoutView(FormView):
    """Contact, address, payment and pickup on one page, with each
    producer's parcel and the totals beside them."""

    template_name = "checkout/checkout.html"
    form_class = CheckoutForm

    def dispatch(self, request, *args, **kwargs):
        self.basket = request.basket
        if self.basket.is_empty:
            messages.info(request, _("Giỏ hàng đang trống."))
            return redirect("basket:summary")
        return super().dispatch(request, *args, **kwargs)

    def pickup_choices(self):
        seen = {}
        for line in self.basket.all_lines():
            producer = line.stockrecord.partner.producer
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
        province = form.data.get("province", "") if form.is_bound else ""
        pickup = (
            frozenset(int(v) for v in form.data.getlist("pickup") if v.isdigit())
            if (form.is_bound)
            else frozenset()
        )
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
        if data["payment"] != "cod":
            form.add_error("payment", _("Thanh toán thẻ chưa sẵn sàng; hãy chọn COD."))
            return self.form_invalid(form)
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

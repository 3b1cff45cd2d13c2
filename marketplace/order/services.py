"""Placing orders (design.md §8: writes live in services).

`order_place` turns a basket into one order with a parcel per producer,
exactly once: the basket row is locked, and a basket that already became
an order returns that order (a double-clicked "Đặt hàng" places one). Stock
is checked and allocated under row locks (`marketplace.order.utils`).
`parcel_move` moves a parcel along its pipeline and the order with it.
"""

from dataclasses import dataclass
from decimal import Decimal

from django.db import transaction
from django.utils.translation import gettext as _
from oscar.core.loading import get_class, get_model
from oscar.core.prices import Price

from marketplace.order.exceptions import CheckoutRefused, PricesChanged, TotalChanged
from marketplace.order.models import (
    PARCEL_STEPS,
    OrderStatus,
    ParcelStatus,
    PaymentMethod,
    PaymentState,
)
from marketplace.order.shipping import basket_needs_address, parcels_plan
from marketplace.order.tasks import order_confirmation_mail_task
from marketplace.outbox.services import outbox_add

Basket = get_model("basket", "Basket")
Order = get_model("order", "Order")
ShippingAddress = get_model("order", "ShippingAddress")
Country = get_model("address", "Country")
OrderCreator = get_class("order.utils", "OrderCreator")
OrderNumberGenerator = get_class("order.utils", "OrderNumberGenerator")
Applicator = get_class("offer.applicator", "Applicator")
Selector = get_class("partner.strategy", "Selector")


@dataclass(frozen=True)
class Delivery:
    """Where the parcels go (a Vietnamese address: province, then ward)."""

    name: str
    phone: str
    province: str = ""
    ward: str = ""
    street: str = ""
    notes: str = ""


@dataclass(frozen=True)
class PriceChange:
    title: str
    old: Decimal
    new: Decimal


def basket_reprice(basket) -> list[PriceChange]:
    """Bring every line to its stock record's current price; return what
    changed, so the buyer sees it before paying."""
    changes = []
    for line in basket.all_lines():
        info = basket.strategy.fetch_for_line(line)
        current = info.price.incl_tax if info.price.exists else None
        if current is None:
            raise CheckoutRefused(
                _("“%(title)s” hiện không còn bán.") % {"title": line.product.get_title()}
            )
        if line.price_incl_tax != current:
            changes.append(PriceChange(line.product.get_title(), line.price_incl_tax, current))
            line.price_incl_tax = current
            line.price_excl_tax = info.price.excl_tax
            line.save(update_fields=["price_incl_tax", "price_excl_tax"])
    return changes


@dataclass(frozen=True)
class Quote:
    """What the buyer will pay: parcels, shipping and the total (whole đồng)."""

    plans: list
    shipping: Decimal
    total: Price


def strategy_ensure(basket, *, user=None, request=None):
    """Baskets loaded outside a request (the webhook, tests) have no pricing
    strategy yet; give them the marketplace's."""
    if not basket.has_strategy:
        basket.strategy = Selector().strategy(request=request, user=user)
    return basket


def basket_purchasable_check(basket) -> None:
    """Refuse a basket holding a line that may no longer be bought (the
    listing rule at the till: a certificate expired since the line was
    added, stock gone), with the strategy's reason."""
    for line in basket.all_lines():
        info = basket.strategy.fetch_for_line(line)
        permitted, reason = info.availability.is_purchase_permitted(line.quantity)
        if not permitted:
            raise CheckoutRefused(f"“{line.product.get_title()}”: {reason}")


def quote_for_province(
    basket, *, province: str, pickup_producer_ids=frozenset(), user=None, request=None
) -> Quote:
    """Offers applied, parcels planned for `province`, the total the buyer
    pays: what the checkout page shows as the shopper picks a province,
    before the rest of the address is typed. `checkout_quote` is this and
    the address check, so the page and the order count the same way.
    Raises CheckoutRefused for an empty or no longer purchasable basket."""
    if basket.is_empty:
        raise CheckoutRefused(_("Giỏ hàng đang trống."))
    strategy_ensure(basket, user=user, request=request)
    basket_purchasable_check(basket)
    Applicator().apply(basket, user, request)
    plans = parcels_plan(basket, province=province, pickup_producer_ids=pickup_producer_ids)
    shipping = sum((plan.charge for plan in plans), Decimal(0))
    total = Price(
        currency=basket.currency,
        excl_tax=basket.total_excl_tax + shipping,
        incl_tax=basket.total_incl_tax + shipping,
    )
    return Quote(plans, shipping, total)


def quote_is_complete(basket, province: str) -> bool:
    """Whether a quote's shipping is known: a province is chosen, or
    nothing in the basket ships."""
    return bool(province) or not basket_needs_address(basket)


def checkout_quote(basket, *, delivery, pickup_producer_ids=frozenset(), user=None, request=None):
    """The quote an order is placed at (and a card payment is for). Raises
    CheckoutRefused for an empty basket or a missing address."""
    if basket.is_empty:
        raise CheckoutRefused(_("Giỏ hàng đang trống."))
    if basket_needs_address(basket) and not (delivery.province and delivery.street):
        raise CheckoutRefused(_("Cần địa chỉ giao hàng: tỉnh/thành, xã/phường và số nhà."))
    return quote_for_province(
        basket,
        province=delivery.province,
        pickup_producer_ids=pickup_producer_ids,
        user=user,
        request=request,
    )


def _vietnam():
    country, _created = Country.objects.get_or_create(
        iso_3166_1_a2="VN",
        defaults={
            "iso_3166_1_a3": "VNM",
            "iso_3166_1_numeric": "704",
            "printable_name": "Việt Nam",
            "name": "Socialist Republic of Viet Nam",
            "is_shipping_country": True,
        },
    )
    return country


def order_place(
    *,
    basket,
    delivery: Delivery,
    email: str,
    user=None,
    pickup_producer_ids=frozenset(),
    payment_method: str = PaymentMethod.COD,
    payment_state: str = PaymentState.AWAITING_COD,
    expected_prices_seen: bool = True,
    shown_total: int | None = None,
    request=None,
):
    """Place `basket` as an order and return it; calling again for the
    same basket returns the same order.

    Lines are repriced under the basket's row lock. If a price moved and the
    buyer has not seen it (`expected_prices_seen=False`), the new prices are
    committed and `PricesChanged` is raised, so the next "Đặt hàng" places
    at the price shown. With `shown_total` (whole đồng: what the checkout
    page last showed), an order that would cost anything else is not
    placed: `TotalChanged` carries the quote to show instead."""
    with transaction.atomic():
        locked = Basket.objects.select_for_update().get(pk=basket.pk)
        if locked.status == Basket.SUBMITTED:
            return Order.objects.get(basket_id=basket.pk)
        changes = basket_reprice(strategy_ensure(basket, user=user, request=request))
        if not changes or expected_prices_seen:
            quote = checkout_quote(
                basket,
                delivery=delivery,
                pickup_producer_ids=pickup_producer_ids,
                user=user,
                request=request,
            )
            if shown_total is not None and quote.total.incl_tax != shown_total:
                raise TotalChanged(quote)
            order = _order_create(
                basket,
                quote,
                delivery=delivery,
                email=email,
                user=user,
                payment_method=payment_method,
                payment_state=payment_state,
                request=request,
            )
            locked.submit()
            basket.status = Basket.SUBMITTED
            # Recorded with the order, so the mail goes out (once) even if
            # the broker is down when this commits.
            outbox_add(task=order_confirmation_mail_task, order_id=order.pk)
            return order
    raise PricesChanged(changes)


def _order_create(
    basket,
    quote: Quote,
    *,
    delivery,
    email,
    user,
    payment_method,
    payment_state,
    request,
):
    """Oscar's order, with one parcel per producer, at `quote` (call under
    the basket's row lock)."""
    return OrderCreator().place_order(
        basket,
        quote.total,
        _ParcelShipping(quote.shipping),
        Price(currency=basket.currency, excl_tax=quote.shipping, incl_tax=quote.shipping),
        parcels={plan.producer: (plan.charge, plan.pickup) for plan in quote.plans},
        user=user,
        shipping_address=_address(delivery),
        order_number=OrderNumberGenerator().order_number(basket),
        guest_email="" if user and user.is_authenticated else email,
        payment_method=payment_method,
        payment_state=payment_state,
        request=request,
    )


def _address(delivery: Delivery):
    address = ShippingAddress(
        last_name=delivery.name,
        line1=delivery.street,
        line3=delivery.ward,
        line4=delivery.province,
        state=delivery.province,
        country=_vietnam(),
        phone_number=delivery.phone,
        notes=delivery.notes,
    )
    address.save()
    return address


class _ParcelShipping:
    """What Oscar records as the order's shipping method: per-producer parcels."""

    code = "parcels"
    name = _("Giao theo từng chủ thể")

    def __init__(self, charge: Decimal) -> None:
        self.charge = charge

    def discount(self, basket):
        return Decimal(0)


def parcel_move(*, parcel, status: str, tracking_number: str = "", carrier: str = ""):
    """Move a parcel along its pipeline (`Parcel.set_status`: placed →
    packed → shipped → delivered, or cancelled), with the carrier and
    tracking number the buyer follows it by, then bring the order along:
    an order is as far as its slowest live parcel, and a COD order is paid
    when every live parcel is delivered. Raises `ParcelMoveRefused`."""
    Parcel = type(parcel)
    with transaction.atomic():
        parcel = Parcel.objects.select_for_update().select_related("order").get(pk=parcel.pk)
        parcel.set_status(status, tracking_number=tracking_number, carrier=carrier)
        order = Order.objects.select_for_update().get(pk=parcel.order_id)
        _order_follow_parcels(order)
    return parcel


def _order_follow_parcels(order) -> None:
    """Set the (locked) order's status from its parcels, and mark a COD
    order paid once every live parcel is delivered."""
    live = [p.status for p in order.parcels.all() if p.status != ParcelStatus.CANCELLED]
    new_status = (
        OrderStatus.CANCELLED
        if not live
        else OrderStatus(PARCEL_STEPS[min(PARCEL_STEPS.index(s) for s in live)])
    )
    if new_status != order.status:
        order.set_status(new_status)
    if new_status == OrderStatus.DELIVERED and order.payment_state == PaymentState.AWAITING_COD:
        order.payment_state = PaymentState.PAID
        order.save(update_fields=["payment_state"])

"""Shipping charges: one parcel per producer, priced by destination.

A basket that mixes producers travels as several parcels, each paid for.
The rate table has two rows (`SHIPPING_RATE_INNER_HANOI`,
`SHIPPING_RATE_OTHER_PROVINCES`, whole đồng); a producer that allows pickup
can be collected from for free; a parcel of community-tourism services
(nothing to ship) costs nothing and needs no address.
"""

from dataclasses import dataclass
from decimal import Decimal

from django.conf import settings

HANOI = "Hà Nội"


@dataclass(frozen=True)
class ParcelPlan:
    producer: object
    lines: tuple
    charge: Decimal
    pickup: bool
    needs_shipping: bool


def rate_for(province: str) -> Decimal:
    """The charge for one parcel delivered to `province`."""
    if province == HANOI:
        return Decimal(settings.SHIPPING_RATE_INNER_HANOI)
    return Decimal(settings.SHIPPING_RATE_OTHER_PROVINCES)


def shipping_rates() -> dict[str, Decimal]:
    """The rate table, for pages that explain it (basket, checkout)."""
    return {"hanoi": rate_for(HANOI), "other": Decimal(settings.SHIPPING_RATE_OTHER_PROVINCES)}


def line_producer(line):
    return line.stockrecord.partner.producer


def parcels_plan(basket, *, province: str, pickup_producer_ids=frozenset()) -> list[ParcelPlan]:
    """The parcels `basket` ships as, in basket order of first appearance.

    Pickup is honoured only where the producer allows it."""
    grouped: dict[int, list] = {}
    producers = {}
    for line in basket.all_lines():
        producer = line_producer(line)
        producers[producer.pk] = producer
        grouped.setdefault(producer.pk, []).append(line)
    plans = []
    for producer_id, lines in grouped.items():
        producer = producers[producer_id]
        needs_shipping = any(line.product.is_shipping_required for line in lines)
        pickup = needs_shipping and producer.allows_pickup and producer_id in pickup_producer_ids
        charge = rate_for(province) if needs_shipping and not pickup else Decimal(0)
        plans.append(ParcelPlan(producer, tuple(lines), charge, pickup, needs_shipping))
    return plans


def basket_needs_address(basket) -> bool:
    """False for a basket of services only (e.g. a community-tourism visit)."""
    return any(line.product.is_shipping_required for line in basket.all_lines())

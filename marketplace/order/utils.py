"""Order placement: Oscar's `OrderCreator`, plus a stock check under row
locks and one parcel per producer.

Oscar's `StockRecord.allocate()` adds to `num_allocated` without looking at
what is left, so two shoppers can both buy the last unit. Here every stock
record in the basket is locked (`SELECT … FOR UPDATE`, in primary-key order
so concurrent checkouts cannot deadlock) and checked before the order is
written, in the same transaction that allocates.
"""

from collections import defaultdict
from decimal import Decimal

from django.db import transaction
from django.utils.translation import gettext as _
from oscar.apps.order.utils import OrderCreator as OscarOrderCreator
from oscar.core.loading import get_model

StockRecord = get_model("partner", "StockRecord")
Parcel = get_model("order", "Parcel")


class InsufficientStock(Exception):
    """Some products in the basket ran out while the shopper was checking out."""

    def __init__(self, titles: list[str]) -> None:
        self.titles = titles
        super().__init__(_("Không đủ hàng cho: %(titles)s") % {"titles": ", ".join(titles)})


def stock_reserve(basket) -> None:
    """Lock the basket's stock records and check each has enough left.
    Call inside the transaction that allocates."""
    wanted: dict[int, int] = defaultdict(int)
    titles: dict[int, str] = {}
    for line in basket.all_lines():
        if line.stockrecord_id and line.product.get_product_class().track_stock:
            wanted[line.stockrecord_id] += line.quantity
            titles[line.stockrecord_id] = line.product.get_title()
    locked = StockRecord.objects.select_for_update().filter(pk__in=wanted).order_by("pk")
    short = [
        titles[record.pk]
        for record in locked
        if (record.num_in_stock or 0) - (record.num_allocated or 0) < wanted[record.pk]
    ]
    if short:
        raise InsufficientStock(short)


class OrderCreator(OscarOrderCreator):
    """Place an order only if the stock is there, and split it into parcels.

    `parcels` maps each producer to (shipping charge, pickup?)."""

    def place_order(self, basket, total, shipping_method, shipping_charge, *, parcels, **kwargs):
        with transaction.atomic():
            stock_reserve(basket)
            order = super().place_order(basket, total, shipping_method, shipping_charge, **kwargs)
            Parcel.objects.bulk_create(
                [
                    Parcel(
                        order=order,
                        producer=producer,
                        shipping_charge=Decimal(charge),
                        pickup=pickup,
                    )
                    for producer, (charge, pickup) in parcels.items()
                ]
            )
        return order

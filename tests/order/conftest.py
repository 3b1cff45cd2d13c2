"""Baskets as a shopper builds them, priced by the marketplace strategy."""

import pytest
from oscar.core.loading import get_class, get_model

from marketplace.order.services import Delivery

Basket = get_model("basket", "Basket")
Selector = get_class("partner.strategy", "Selector")


def basket_with(*products_and_quantities):
    basket = Basket.objects.create()
    basket.strategy = Selector().strategy()
    for product, quantity in products_and_quantities:
        basket.add_product(product, quantity)
    return basket


@pytest.fixture
def hanoi_delivery():
    return Delivery(
        name="Nguyễn Thị Lan",
        phone="0912 345 678",
        province="Hà Nội",
        ward="Phường Tây Hồ",
        street="12 Quảng An",
    )

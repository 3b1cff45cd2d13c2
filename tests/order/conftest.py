"""Baskets as a shopper builds them, priced by the marketplace strategy."""

from oscar.core.loading import get_class, get_model

Basket = get_model("basket", "Basket")
Selector = get_class("partner.strategy", "Selector")


def basket_with(*products_and_quantities):
    basket = Basket.objects.create()
    basket.strategy = Selector().strategy()
    for product, quantity in products_and_quantities:
        basket.add_product(product, quantity)
    return basket

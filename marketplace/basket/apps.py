"""Oscar's basket, forked under the same label so line discounts stay in
whole đồng (and, in later issues, so baskets refuse non-listable products)."""

import oscar.apps.basket.apps as apps


class BasketConfig(apps.BasketConfig):
    name = "marketplace.basket"

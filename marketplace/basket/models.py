"""Basket models: Oscar's, with line discounts rounded to whole đồng.

Declared before the star import so Oscar uses our Line (design.md §8).
"""

from decimal import Decimal

from oscar.apps.basket.abstract_models import AbstractLine

from marketplace.core.money import round_offer_discount


class Line(AbstractLine):
    """A basket line whose discounts are whole đồng.

    Oscar's percentage benefit hands each line an unrounded share of the
    discount (`OSCAR_OFFER_ROUNDING_FUNCTION` only rounds the offer's total),
    which would leave fractions of a đồng on line and basket totals.
    """

    def discount(self, discount_value, affected_quantity, incl_tax=True, offer=None):
        whole = round_offer_discount(Decimal(discount_value))
        super().discount(whole, affected_quantity, incl_tax=incl_tax, offer=offer)


from oscar.apps.basket.models import *  # noqa: E402,F403

"""Availability policies: Oscar's, plus "not certified today"."""

from oscar.apps.partner.availability import *  # noqa: F403
from oscar.apps.partner.availability import Unavailable


class NotListable(Unavailable):
    """The listing rule says no: the product may not be sold today.

    Oscar shows `message` on the product page and returns the reason from
    `is_purchase_permitted` when a basket add or checkout is refused.
    """

    code = "not-listable"

    def __init__(self, reason: str) -> None:
        self.message = reason

    def is_purchase_permitted(self, quantity):
        return False, self.message

"""Availability policies: Oscar's, plus "not certified today" and stock
shown in bands."""

from django.utils.translation import gettext_lazy as _
from django.utils.translation import ngettext
from oscar.apps.partner.availability import *  # noqa: F403
from oscar.apps.partner.availability import StockRequired, Unavailable

from marketplace.pagecache.generation import LOW_STOCK_SHOWN


class StockShown(StockRequired):
    """Oscar's stock-required policy, saying "in stock" rather than the
    exact count until only a few are left.

    Oscar's "In stock (93 available)" changes with every order, and each
    change would invalidate every cached page that shows it. Above
    `LOW_STOCK_SHOWN` units the text no longer depends on the count, so
    only crossing into the low band, a change within it, or selling out
    changes a page (the stock trigger bumps the catalogue generation on
    exactly those, pagecache migration 0001). What may be bought is still
    the exact count (`is_purchase_permitted`).
    """

    @property
    def message(self) -> str:
        units = self.num_available
        if units <= 0:
            return str(_("Hết hàng"))
        if units > LOW_STOCK_SHOWN:
            return str(_("Còn hàng"))
        return ngettext("Chỉ còn %(count)d sản phẩm", "Chỉ còn %(count)d sản phẩm", units) % {
            "count": units
        }

    @property
    def short_message(self) -> str:
        return str(_("Còn hàng") if self.num_available > 0 else _("Hết hàng"))


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

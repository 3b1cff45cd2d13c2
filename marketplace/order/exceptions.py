"""Why an order or a parcel write was refused, one class per refusal, as
Oscar keeps its own in `oscar.apps.order.exceptions` (which `get_class`
still finds for the names not declared here).

Each carries a message in words for the person who asked, so a view shows
`str(refused)` as it is. Checkout's refusals stay apart from a parcel's:
a view that places orders catches the one, the producer workspace the
other, and neither swallows the other's by accident.
"""

from django.utils.translation import gettext as _


class CheckoutRefused(Exception):
    """The basket cannot be ordered as it is; the message says why."""


class PricesChanged(CheckoutRefused):
    """Prices moved since the lines entered the basket; show them first."""

    def __init__(self, changes) -> None:
        self.changes = changes
        super().__init__(_("Giá một số sản phẩm đã thay đổi; vui lòng xem lại trước khi đặt."))


class TotalChanged(Exception):
    """The order would cost other than the total the shopper was last shown
    (a province, a pickup or a price changed since). Nothing is placed; the
    page shows `quote` and the shopper confirms again."""

    def __init__(self, quote):
        super().__init__(quote.total.incl_tax)
        self.quote = quote


class ParcelMoveRefused(Exception):
    """A parcel cannot move to the asked status (not next in its pipeline,
    or shipped without a tracking number); the message says why."""

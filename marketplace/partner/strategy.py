"""The marketplace strategy: how Oscar prices and sells a product.

Every product is sold by its producer through one stock record. The
availability policy asks the listing rule first, so a product whose
certificate expired or was withdrawn cannot be added to a basket, and a
line added while it was valid is refused at checkout (design.md §2).
"""

from oscar.apps.partner.strategy import *  # noqa: F403
from oscar.apps.partner.strategy import NoTax, StockRequired, Structured, UseFirstStockRecord

from catalogue.listing import listing_status
from marketplace.partner.availability import Available, NotListable, StockShown, Unavailable


class ListingRuleAvailability(StockRequired):
    """Stock-required availability, gated by the one listing rule, with
    stock shown in bands (`StockShown`)."""

    def availability_policy(self, product, stockrecord):
        if not product.is_parent:
            status = listing_status(product)
            if not status.listable:
                return NotListable(status.reason)
        # Oscar's StockRequired, with our wording of the stock level
        if not stockrecord:
            return Unavailable()
        if not product.get_product_class().track_stock:
            return Available()
        return StockShown(stockrecord.net_stock_level)


class MarketplaceStrategy(UseFirstStockRecord, ListingRuleAvailability, NoTax, Structured):
    """One producer stock record per product, listing rule, prices in whole
    đồng with no separate tax line (prices are shown tax-inclusive)."""

    def __init__(self, request=None):
        # Oscar's reads request.user here, and Oscar's basket middleware makes
        # a strategy for every request: that loaded the session and the user
        # on every request of a signed-in visitor, even the health check.
        # Nothing here prices by user, so the user is read only when asked.
        self.request = request

    @property
    def user(self):
        request = self.request
        if request is not None and request.user.is_authenticated:
            return request.user
        return None


class Selector:
    """Oscar asks this for the strategy of each request and basket."""

    def strategy(self, request=None, user=None, **kwargs):
        return MarketplaceStrategy(request)

"""Visibility rules for products, as chainable QuerySet methods."""

from django.db.models import Exists, OuterRef
from oscar.apps.catalogue.managers import ProductQuerySet as OscarProductQuerySet
from oscar.core.loading import get_model


class ProductQuerySet(OscarProductQuerySet):
    """Oscar's product QuerySet plus the marketplace's visibility rules.

    The registry issue adds `listable(on=date)`, which narrows `shoppable()`
    to products whose OCOP certificate is valid on that date.
    """

    def shoppable(self):
        """Public, browsable products that have a stock record with a price."""
        StockRecord = get_model("partner", "StockRecord")
        priced = StockRecord.objects.filter(product=OuterRef("pk"), price__isnull=False)
        return self.browsable().filter(is_public=True).filter(Exists(priced))

"""Read-only catalogue queries the CMS pages use.

Kept in one place so the registry issue can swap in the listing rule
(`Product.objects.listable()`) for every page at once.
"""

from oscar.core.loading import get_model

Product = get_model("catalogue", "Product")


def featured_products(*, limit: int):
    """The newest public products with a stock record, for the home page."""
    return (
        Product.objects.browsable()
        .filter(is_public=True, stockrecords__isnull=False)
        .select_related("product_class")
        .prefetch_related("images", "stockrecords")
        .distinct()
        .order_by("-date_created")[:limit]
    )

"""Read-only catalogue queries the CMS pages use.

Every product a page shows comes through `Product.objects.listable()`, so a
product whose certificate expires drops off published pages by itself.
"""

from oscar.core.loading import get_model

Product = get_model("catalogue", "Product")


def featured_products(*, limit: int):
    """The newest listable products, for the home page."""
    return (
        Product.objects.listable()
        .base_queryset()
        .select_related("certificate")
        .prefetch_related("stockrecords__partner")
        .order_by("-date_created", "-pk")[:limit]
    )

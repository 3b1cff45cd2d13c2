"""Products in `/sitemap.xml`, next to Wagtail's pages.

Only what `Product.objects.listable()` allows today is listed, so a product
whose certificate expires leaves the sitemap the same day it leaves the shop.
"""

from django.contrib.sitemaps import Sitemap
from oscar.core.loading import get_model


class ProductSitemap(Sitemap):
    """Today's listable products, by the host the sitemap was fetched from."""

    changefreq = "weekly"
    limit = 5000

    def __init__(self, request=None):
        self.request = request

    def items(self):
        return get_model("catalogue", "Product").objects.listable().order_by("pk")

    def location(self, product) -> str:
        return product.get_absolute_url()

    def lastmod(self, product):
        return product.date_updated

    def get_domain(self, site=None) -> str:
        # the request's host, as Wagtail's page URLs use the live site's:
        # the contrib.sites record is often left at its placeholder domain
        if self.request is not None:
            return self.request.get_host()
        return super().get_domain(site)

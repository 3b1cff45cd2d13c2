"""Catalogue views: Oscar's, with the product page built on the listing rule.

A product that was never certified (no certificate, under 3★) answers 404.
A product that was certified but is not listable today (expired, withdrawn,
suspended, producer inactive) keeps its page, says why, and shows no buy
button; the strategy refuses it at the basket as well.
"""

from django.urls import reverse
from django.utils.http import urlencode
from oscar.apps.catalogue.views import *  # noqa: F403
from oscar.apps.catalogue.views import ProductDetailView as OscarProductDetailView

from catalogue.listing import listing_status
from catalogue.managers import MIN_CERTIFIED_STARS
from marketplace.registry.qr import qr_svg


class ProductDetailView(OscarProductDetailView):
    """The product page with its OCOP trust block and listing verdict."""

    def get_object(self, queryset=None):
        if hasattr(self, "object"):
            return self.object
        queryset = self.model.objects.select_related(
            "certificate", "certificate__producer", "product_class"
        )
        return super().get_object(queryset)

    def is_viewable(self, product, request):
        if request.user.is_staff:
            return True
        cert = product.certificate
        return bool(product.is_public and cert and cert.stars >= MIN_CERTIFIED_STARS)

    def get_context_data(self, **kwargs):
        context = super().get_context_data(**kwargs)
        product = self.object
        context["listing"] = listing_status(product)
        cert = product.certificate
        context["certificate"] = cert
        if cert is not None:
            lookup = reverse("certificate-lookup") + "?" + urlencode({"so": cert.number})
            context["certificate_lookup_url"] = lookup
            context["certificate_qr_svg"] = qr_svg(self.request.build_absolute_uri(lookup))
        return context

"""Catalogue views: Oscar's, with the product page built on the listing rule.

A product that was never certified (no certificate, under 3★) answers 404.
A product that was certified but is not listable today (expired, withdrawn,
suspended, producer inactive) keeps its page, says why, and shows no buy
button; the strategy refuses it at the basket as well.
"""

from django.db.models import Case, DateField, Exists, OuterRef, Value, When
from django.shortcuts import get_object_or_404, render
from django.urls import reverse
from django.utils.http import urlencode
from django.views.decorators.cache import never_cache
from django.views.decorators.http import require_safe
from oscar.apps.catalogue.signals import product_viewed
from oscar.apps.catalogue.views import *  # noqa: F403
from oscar.apps.catalogue.views import ProductDetailView as OscarProductDetailView
from oscar.core.loading import get_class, get_model

from catalogue.listing import listing_status
from catalogue.managers import MIN_CERTIFIED_STARS
from marketplace.core.qr import qr_svg
from marketplace.ocop import dates as ocop_dates

Product = get_model("catalogue", "Product")
CustomerHistoryManager = get_class("customer.history", "CustomerHistoryManager")


class ProductDetailView(OscarProductDetailView):
    """The product page with its OCOP trust block and listing verdict."""

    def get_object(self, queryset=None):
        """The product with what its page reads, in three queries:
        its class, certificate and producer; its stock records and images,
        which Oscar's page and the strategy asked for four times each;
        whether it has options; and whether it is listable today, as
        `listed_on`, which `product_is_listable` reads instead of asking."""
        if hasattr(self, "object"):
            return self.object
        today = ocop_dates.today_in_vietnam()
        listable = self.model.objects.listable(today).filter(pk=OuterRef("pk"))
        queryset = (
            self.model.objects.base_queryset()
            .select_related("certificate", "certificate__producer")
            .prefetch_related(None)
            .prefetch_related("stockrecords", "images")
            .annotate(
                listed_on=Case(
                    When(Exists(listable), then=Value(today)),
                    default=None,
                    output_field=DateField(),
                )
            )
        )
        return super().get_object(queryset)

    def send_signal(self, request, response, product):
        """Nothing: the page is shared between visitors and served from a
        cache that runs no view code, so the view is recorded by the
        visitor's browser calling `product_seen`, which sends Oscar's
        `product_viewed` (history cookie, view count) instead."""

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
            listable = self.model.objects.listable()
            context["from_producer"] = listable.beside(product)
            context["related"] = listable.related_to(product) if cert.sector else []
        return context


RECENTLY_VIEWED_SHOWN = 6  # what Oscar's recently viewed block shows


@never_cache
@require_safe
def product_seen(request, pk):
    """`/shop/da-xem/<pk>/`: the product page's "recently viewed" block for
    this visitor, fetched by js/recently-viewed.js after the shared page
    loads.

    Answers Oscar's block (HTML, empty when there is nothing to show) from
    the visitor's `oscar_history` cookie as it was before this view, then
    sends Oscar's `product_viewed` with the response, so Oscar's receiver
    adds this product to the cookie and ours counts the view
    (marketplace.analytics.services: Redis, flushed to the product records
    each minute; with Redis down the view is not counted, and the block
    still answers). Only listable products are shown, with their cards."""
    product = get_object_or_404(Product.objects.only("pk"), pk=pk, is_public=True)
    ids = [i for i in CustomerHistoryManager.extract(request) if i != product.pk]
    ids = [i for i in ids if isinstance(i, int)][-RECENTLY_VIEWED_SHOWN:]
    by_id = Product.objects.listable().filter(pk__in=ids).for_cards().in_bulk() if ids else {}
    products = [by_id[i] for i in reversed(ids) if i in by_id]
    response = render(
        request, "oscar/customer/history/recently_viewed_products.html", {"products": products}
    )
    product_viewed.send(
        sender=ProductDetailView,
        product=product,
        user=request.user,
        request=request,
        response=response,
    )
    return response

"""The basket's "add" step for shared pages.

Product cards and product pages are the same for every visitor without a
basket, so they are cached whole and can carry no CSRF token. Their add
forms are GETs to `BasketAddConfirmView`, this visitor's own page with a
real POST form to Oscar's `basket:add`; with JavaScript, js/basket-add.js
posts the same fields with the visitor's token straight to `basket:add`,
so Oscar's add, its messages and its redirect are unchanged either way.

`BasketView` adds the shipping rate table: the basket cannot price
shipping (it depends on the delivery province, chosen at checkout), so it
says how shipping is charged instead of Oscar's "free shipping, 0 ₫".
Oscar's other basket views are found in oscar.apps.basket.views
(`get_class` falls back to them).
"""

from django.shortcuts import get_object_or_404
from django.utils.decorators import method_decorator
from django.utils.http import url_has_allowed_host_and_scheme
from django.views.decorators.cache import never_cache
from django.views.generic import TemplateView
from oscar.apps.basket.views import BasketView as OscarBasketView
from oscar.core.loading import get_class, get_model

from marketplace.order.shipping import shipping_rates

AddToBasketForm = get_class("basket.forms", "AddToBasketForm")
Product = get_model("catalogue", "Product")


@method_decorator(never_cache, name="dispatch")
class BasketAddConfirmView(TemplateView):
    """`/shop/basket/add/<pk>/xac-nhan/?quantity=N`: the product, the
    quantity (and options) the shared page's form sent, and the POST form
    that adds them.

    The fields come back bound, so a bad quantity shows its error here and
    can be corrected before anything is posted. The form's `next` takes the
    visitor back where they pressed the button (Oscar redirects there)."""

    template_name = "basket/add_confirm.html"
    http_method_names = ["get", "head"]

    def get(self, request, *args, **kwargs):
        self.product = get_object_or_404(
            Product.objects.select_related("product_class"), pk=kwargs["pk"], is_public=True
        )
        return super().get(request, *args, **kwargs)

    def next_url(self) -> str:
        """Where Oscar sends the visitor after adding: `?next=`, else the
        page they came from, else the product's own page (never off-site)."""
        host = self.request.get_host()
        secure = self.request.is_secure()
        for candidate in (self.request.GET.get("next"), self.request.META.get("HTTP_REFERER")):
            if candidate and url_has_allowed_host_and_scheme(
                candidate, allowed_hosts={host}, require_https=secure
            ):
                return candidate
        return self.product.get_absolute_url()

    def get_context_data(self, **kwargs):
        context = super().get_context_data(**kwargs)
        params = self.request.GET.copy()
        params.pop("next", None)
        form = AddToBasketForm(self.request.basket, self.product, data=params or None)
        context.update(product=self.product, basket_form=form, next_url=self.next_url())
        return context


class BasketView(OscarBasketView):
    def get_context_data(self, **kwargs):
        context = super().get_context_data(**kwargs)
        context["shipping_rates"] = shipping_rates()
        return context

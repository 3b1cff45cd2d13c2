"""Stock alerts: Oscar's views, with the create view's GET as the step a
shared product page sends.

The product page is the same for every visitor without a basket (it is
cached whole), so its "email me when back in stock" form carries no CSRF
token: it is a GET here. Oscar's GET only redirects back to the product;
ours renders this visitor's own form, prefilled, that POSTs (with the token)
to the same URL, where Oscar's create view runs unchanged. With JavaScript
the visitor never sees it (js/basket-add.js posts directly). Oscar's other
alert views are found in oscar.apps.customer.alerts.views.
"""

from django.shortcuts import get_object_or_404
from django.utils.decorators import method_decorator
from django.views.decorators.cache import never_cache
from oscar.apps.customer.alerts.views import ProductAlertCreateView as OscarProductAlertCreateView
from oscar.core.loading import get_model

Product = get_model("catalogue", "Product")


@method_decorator(never_cache, name="dispatch")
class ProductAlertCreateView(OscarProductAlertCreateView):
    """GET: the alert form for this visitor; POST: Oscar's. A refused POST
    (a bad address, an alert that already exists) shows the same page with
    its errors, not the whole product page."""

    template_name = "customer/alert_confirm.html"

    def get(self, request, *args, **kwargs):
        self.product = get_object_or_404(Product, pk=kwargs["pk"], is_public=True)
        self.object = None
        return self.render_to_response(self.get_context_data())

    def get_initial(self):
        email = self.request.GET.get("email", "") if self.request.method == "GET" else ""
        return {"email": email[:254]} if email else {}

"""Oscar's account views, forked (design.md §8) so that:

- registering answers "check your mail" whether or not the address has an
  account, and the account works only once its owner opens the link;
- signing out takes a POST: a link or an image on another site cannot sign
  a shopper out.
"""

from django.conf import settings
from django.contrib import messages
from django.contrib.auth import login as auth_login
from django.contrib.auth import logout as auth_logout
from django.shortcuts import get_object_or_404, redirect, render
from django.utils.translation import gettext_lazy as _
from django.views import generic
from django.views.decorators.http import require_POST
from oscar.apps.customer import views as oscar_views
from oscar.apps.customer.signals import user_registered
from wagtail.admin.views.account import LogoutView as WagtailLogoutView

from marketplace.customer.forms import EmailUserCreationForm
from marketplace.customer.services import (
    account_activate,
    account_for_activation,
    account_register,
)
from marketplace.order.links import ORDER_EMAIL_SESSION_KEY


class AccountAuthView(oscar_views.AccountAuthView):
    """The sign-in page with its registration form."""

    registration_form_class = EmailUserCreationForm

    def validate_registration_form(self):
        form = self.get_registration_form(bind_data=True)
        if not form.is_valid():
            return self.render_to_response(self.get_context_data(registration_form=form))
        account_register(email=form.cleaned_data["email"], password=form.cleaned_data["password1"])
        return redirect("customer:register-sent")


class AccountRegistrationView(oscar_views.AccountRegistrationView):
    """The registration page on its own."""

    form_class = EmailUserCreationForm

    def form_valid(self, form):
        account_register(email=form.cleaned_data["email"], password=form.cleaned_data["password1"])
        return redirect("customer:register-sent")


class RegistrationSentView(generic.TemplateView):
    """The same answer for every registration: check your mail."""

    template_name = "customer/registration_sent.html"


class AccountActivationView(generic.TemplateView):
    """The link mailed to a new account. Opening it shows a button; the
    account is activated by the POST, so a mail scanner that follows links
    does not sign anyone in."""

    template_name = "customer/activate.html"

    def dispatch(self, request, *args, **kwargs):
        self.account = account_for_activation(uidb64=kwargs["uidb64"], token=kwargs["token"])
        return super().dispatch(request, *args, **kwargs)

    def get(self, request, *args, **kwargs):
        status = 200 if self.account else 400
        return self.render_to_response(
            self.get_context_data(valid=bool(self.account)), status=status
        )

    def post(self, request, *args, **kwargs):
        if self.account is None:
            return self.render_to_response(self.get_context_data(valid=False), status=400)
        account_activate(user=self.account)
        auth_login(request, self.account, backend="oscar.apps.customer.auth_backends.EmailBackend")
        user_registered.send_robust(sender=self, request=request, user=self.account)
        messages.success(request, _("Tài khoản của bạn đã được kích hoạt. Chào mừng bạn!"))
        return redirect("customer:summary")


class LogoutView(oscar_views.LogoutView):
    """Signs out on POST only. A GET (an old link, a bookmark) asks first."""

    http_method_names = ["get", "post", "options"]

    def get(self, request, *args, **kwargs):
        if not request.user.is_authenticated:
            return redirect(settings.OSCAR_HOMEPAGE)
        return render(request, "customer/logout_confirm.html")

    def post(self, request, *args, **kwargs):
        auth_logout(request)
        response = redirect(settings.OSCAR_HOMEPAGE)
        for cookie in settings.OSCAR_COOKIES_DELETE_ON_LOGOUT:
            response.delete_cookie(cookie)
        return response


# Wagtail's own sign-out answers a GET with 405 but still deletes the
# session cookie on the way out, which signs the browser out all the same.
# urls.py routes Wagtail's sign-out address here first.
wagtail_logout = require_POST(WagtailLogoutView.as_view())


class OrderLineView(oscar_views.OrderLineView):
    """Oscar's order-line view, which only answers the "reorder" POST.

    Oscar gives it no template, so a GET (or a POST without a known action,
    which falls back to GET) was a 500, and another order's line id raised
    DoesNotExist, another 500 (found by tests/core/test_fuzz_public_urls.py).
    Here a GET goes to the order's page and a line of another order is a 404.
    """

    def get_object(self, queryset=None):
        order = get_object_or_404(
            oscar_views.Order, user=self.request.user, number=self.kwargs["order_number"]
        )
        return get_object_or_404(order.lines, id=self.kwargs["line_id"])

    def get(self, request, *args, **kwargs):
        return redirect("customer:order", order_number=self.kwargs["order_number"])


class AnonymousOrderFormView(oscar_views.AnonymousOrderFormView):
    """The order link a guest's mail carries (order number and hash) asks
    for the order's email, in the shop's layout. The browser that placed
    the order already said it at checkout (the checkout keeps it in the
    session, as this form does), so there the link opens the order at once."""

    template_name = "oscar/customer/anon_order_form.html"

    def get(self, request, *args, **kwargs):
        if self.get_object() is not None:
            return redirect(self.get_success_url())
        return super().get(request, *args, **kwargs)

    def get_form(self, form_class=None):
        form = super().get_form(form_class)
        form.fields["email"].label = _("Email đã dùng khi đặt hàng")
        return form

    def form_valid(self, form):
        self.request.session[ORDER_EMAIL_SESSION_KEY] = form.cleaned_data["email"]
        if self.get_object() is None:
            form.add_error(None, _("Không có đơn hàng này với email đó."))
            return self.form_invalid(form)
        return redirect(self.get_success_url())

from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class PaymentsConfig(AppConfig):
    """Card payments through Stripe; the order itself is placed by `fulfil`."""

    name = "marketplace.payments"
    label = "payments"
    verbose_name = _("Thanh toán")
    default_auto_field = "django.db.models.BigAutoField"

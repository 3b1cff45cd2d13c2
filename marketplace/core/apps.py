from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class CoreConfig(AppConfig):
    """Cross-cutting glue: money rounding, context processors, error pages."""

    name = "marketplace.core"
    label = "core"
    verbose_name = _("Lõi hệ thống")

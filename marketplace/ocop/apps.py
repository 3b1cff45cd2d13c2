from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class OcopConfig(AppConfig):
    """The OCOP programme's own facts, beneath every integration and screen:
    producers, certificates, the rule that says when a certificate certifies
    its product, and how Vietnamese text is compared."""

    name = "marketplace.ocop"
    label = "ocop"
    verbose_name = _("Chương trình OCOP")
    default_auto_field = "django.db.models.BigAutoField"

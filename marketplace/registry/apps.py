from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class RegistryConfig(AppConfig):
    """The national OCOP registry: producers, certificates and their sync."""

    name = "marketplace.registry"
    label = "registry"
    verbose_name = _("Hệ thống OCOP quốc gia")
    default_auto_field = "django.db.models.BigAutoField"

    def ready(self):
        from django.db.backends.signals import connection_created

        # app loading: this module imports models, ready only once apps are
        from marketplace.registry.certificate_numbers import sqlite_function_register

        connection_created.connect(sqlite_function_register, dispatch_uid="ocop-number-key")

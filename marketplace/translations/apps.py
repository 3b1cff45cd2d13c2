from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class TranslationsConfig(AppConfig):
    """Keeps the two catalogues whole: `manage.py messages_update` and the
    rules the translation test checks (see `catalogues.py`)."""

    name = "marketplace.translations"
    label = "translations"
    verbose_name = _("Bản dịch")

from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class OutboxConfig(AppConfig):
    """Work that must follow a commit (mail, reindexing), recorded in the
    same transaction and finished by a sweep if its task never ran."""

    name = "marketplace.outbox"
    label = "outbox"
    verbose_name = _("Việc chờ chạy sau giao dịch")

from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class CmsConfig(AppConfig):
    """Wagtail pages: home, fairs, events and craft villages."""

    name = "cms"
    verbose_name = _("Trang nội dung")
    default_auto_field = "django.db.models.AutoField"

from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class PageCacheConfig(AppConfig):
    """Whole shopper pages and page fragments shared between visitors, keyed
    on what decides their content: the day in Vietnam and the catalogue
    generation that the database bumps with every change a page can show."""

    name = "marketplace.pagecache"
    label = "pagecache"
    verbose_name = _("Bộ nhớ đệm trang")

"""Template context shared by shop and CMS pages."""

from django.conf import settings
from oscar.apps.search.context_processors import search_form


def shop_search_form(request):
    """Oscar's header search form, except inside Wagtail's admin.

    Oscar's processor puts a `search_form` into every context, and Wagtail's
    admin header renders any `search_form` it finds (design.md §6).
    """
    if request.path.startswith(settings.WAGTAILADMIN_URL_PREFIX):
        return {}
    return search_form(request)

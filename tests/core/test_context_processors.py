"""Oscar's search form stays out of Wagtail's admin."""

from django.test import RequestFactory

from marketplace.core.context_processors import shop_search_form


def test_search_form_is_offered_on_shop_pages():
    request = RequestFactory().get("/shop/")
    assert "search_form" in shop_search_form(request)


def test_search_form_is_not_offered_inside_wagtail_admin():
    request = RequestFactory().get("/cms-admin/pages/")
    assert shop_search_form(request) == {}

"""Every dashboard list drawn as a django-tables2 table takes any `?sort=`
an operator (or a crafted link) sends: a column it cannot sort by is ignored,
never a 500; so is a page size or page number that makes no sense. The
walk finds the table views from the URLs, so a table added later is checked
the day it is added."""

import pytest
from django.urls import URLPattern, URLResolver, get_resolver, reverse
from django.urls.converters import IntConverter
from django_tables2 import Table
from django_tables2.views import SingleTableMixin

from tests.factories import certified_product_create

pytestmark = pytest.mark.django_db


def _routes(patterns, prefix="", namespace=""):
    for pattern in patterns:
        if isinstance(pattern, URLResolver):
            inner = f"{namespace}{pattern.namespace}:" if pattern.namespace else namespace
            yield from _routes(pattern.url_patterns, prefix + str(pattern.pattern), inner)
        elif isinstance(pattern, URLPattern):
            yield prefix + str(pattern.pattern), f"{namespace}{pattern.name}", pattern


def _table_views() -> list[tuple[str, dict]]:
    """(url name, the converters to fill) of every dashboard view that draws
    a django-tables2 table."""
    found = []
    for route, name, pattern in _routes(get_resolver().url_patterns):
        view = getattr(pattern.callback, "view_class", None)
        if route.startswith("dashboard/") and view and issubclass(view, SingleTableMixin):
            found.append((name, dict(pattern.pattern.converters)))
    return found


TABLE_VIEWS = _table_views()


def test_the_walk_finds_the_dashboard_tables():
    # what the dashboard draws as tables today; a new table only adds to it
    assert {
        "dashboard:catalogue-product-list",
        "dashboard:catalogue-category-list",
        "dashboard:catalogue-category-detail-list",
        "dashboard:users-index",
    } <= {name for name, _converters in TABLE_VIEWS}


def _url(name: str, converters: dict, category) -> str:
    kwargs = {}
    for key, converter in converters.items():
        assert isinstance(converter, IntConverter), f"{name}: no sample for <{key}>"
        kwargs[key] = category.pk
    return reverse(name, kwargs=kwargs)


def _table_of(response) -> Table:
    tables = [v for v in response.context_data.values() if isinstance(v, Table)]
    assert tables, "the view drew no table"
    return tables[0]


@pytest.mark.parametrize("name,converters", TABLE_VIEWS, ids=[name for name, _ in TABLE_VIEWS])
def test_every_column_and_an_unknown_one_are_safe_to_sort_by(
    admin_client, listed, name, converters
):
    url = _url(name, converters, listed)
    admin_client.raise_request_exception = False
    first = admin_client.get(url)
    assert first.status_code == 200, f"{url} answered {first.status_code}"
    table = _table_of(first)
    field = table.prefixed_order_by_field
    failed = []
    for column in [*table.base_columns, "khong-co-cot"]:
        for sort in (column, f"-{column}"):
            response = admin_client.get(url, {field: sort})
            if response.status_code != 200:
                failed.append(f"?{field}={sort} → {response.status_code}")
    assert not failed, f"{url}: " + ", ".join(failed)


@pytest.mark.parametrize("name,converters", TABLE_VIEWS, ids=[name for name, _ in TABLE_VIEWS])
def test_a_page_size_or_number_that_makes_no_sense_is_no_error(
    admin_client, listed, name, converters
):
    url = _url(name, converters, listed)
    admin_client.raise_request_exception = False
    table = _table_of(admin_client.get(url))
    failed = []
    for field, value in [
        (table.prefixed_per_page_field, "-1"),
        (table.prefixed_per_page_field, "0"),
        (table.prefixed_per_page_field, "abc"),
        (table.prefixed_page_field, "-1"),
        (table.prefixed_page_field, "999"),
        (table.prefixed_page_field, "abc"),
    ]:
        response = admin_client.get(url, {field: value})
        if response.status_code != 200:
            failed.append(f"?{field}={value} → {response.status_code}")
    assert not failed, f"{url}: " + ", ".join(failed)


def test_a_real_column_still_sorts_and_a_field_less_one_offers_no_sort(admin_client, listed):
    certified_product_create(title="Bánh chưng Tranh Khúc")
    url = reverse("dashboard:catalogue-product-list")

    by_title = _table_of(admin_client.get(url, {"sort": "-title"}))
    by_checkbox = _table_of(admin_client.get(url, {"sort": "checkbox"}))

    assert by_title.order_by == ("-title",)
    assert [row.record.title for row in by_title.rows] == [
        "Chè Shan tuyết",
        "Bánh chưng Tranh Khúc",
    ]
    assert not by_checkbox.columns["checkbox"].orderable
    assert by_checkbox.columns["title"].orderable

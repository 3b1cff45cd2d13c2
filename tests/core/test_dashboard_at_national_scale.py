"""The back office stays fast with thousands of producers, each an Oscar
partner (issue 15, finding 10: Oscar's partner list rendered all 7,327
with two queries each, 14,658 queries, 17 MB, 7.3 s; the product pages
offered every partner in two selects of 7,328 options, 1.3 MB)."""

import re

import pytest
from django.urls import reverse
from oscar.core.loading import get_model

from tests.bulk_catalogue import catalogue_bulk_create

Product = get_model("catalogue", "Product")
StockRecord = get_model("partner", "StockRecord")

pytestmark = pytest.mark.django_db

PRODUCERS = 3_400  # 34 provinces × 100: half the national count, twice the bound below
MAX_QUERIES = 40
MAX_BYTES = 200_000


@pytest.fixture
def national(db):
    producers = catalogue_bulk_create(products=PRODUCERS, provinces=34, producers_per_province=100)
    product = Product.objects.filter(certificate__producer=producers[7]).first()
    return producers, product


def _pages(product) -> dict[str, str]:
    return {
        "partner list": reverse("dashboard:partner-list"),
        "partner list, page 3": reverse("dashboard:partner-list") + "?page=3",
        "product edit": reverse("dashboard:catalogue-product", kwargs={"pk": product.pk}),
        "product create": reverse(
            "dashboard:catalogue-product-create",
            kwargs={"product_class_slug": product.get_product_class().slug},
        ),
        "dashboard home": reverse("dashboard:index"),
        "product list": reverse("dashboard:catalogue-product-list"),
        "producers": reverse("dashboard:producers-list"),
    }


def test_each_back_office_page_stays_under_its_query_and_size_bounds(
    admin_client, national, django_assert_max_num_queries
):
    _producers, product = national
    for name, url in _pages(product).items():
        with django_assert_max_num_queries(MAX_QUERIES):
            response = admin_client.get(url)
        assert response.status_code == 200, name
        assert len(response.content) < MAX_BYTES, (name, len(response.content))


def test_a_products_stock_record_shows_its_producers_partner_alone(admin_client, national):
    producers, product = national
    html = admin_client.get(
        reverse("dashboard:catalogue-product", kwargs={"pk": product.pk})
    ).content.decode()
    partner_select = re.search(r'<select name="stockrecords-0-partner".*?</select>', html, re.S)
    assert partner_select, "the stock record's partner field"
    options = re.findall(r"<option[^>]*>([^<]*)</option>", partner_select.group(0))
    assert [o for o in options if o.strip("-— ")] == [producers[7].partner.name]
    assert "disabled" in partner_select.group(0)


def test_the_menu_leads_operators_to_producers_not_oscars_partner_list(admin_client, national):
    html = admin_client.get(reverse("dashboard:index")).content.decode()
    assert reverse("dashboard:partner-list") not in html
    assert reverse("dashboard:producers-list") in html

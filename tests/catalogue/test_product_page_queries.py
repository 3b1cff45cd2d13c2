"""The product page's query ceiling (issue 14). Oscar's page asked for the
product's stock records and images four times each and whether it has
options once more; the view now reads them with the product, and the
listing verdict with it too (`listed_on`), so the page costs a fixed dozen
queries however the template and strategy ask."""

import pytest
from django.test import Client
from oscar.core.loading import get_model
from oscar.test.factories import CategoryFactory

from tests.factories import certified_product_create

pytestmark = pytest.mark.django_db

ProductCategory = get_model("catalogue", "ProductCategory")

# Measured 15 on a first visit (it was 24): the page cache's generation, a
# savepoint pair, the product (with class, certificate, producer, listing
# verdict and option flags), its stock records, its images, the site menu (3),
# categories (3: the menu's and the breadcrumb's), attributes, reviews and
# recommendations.
PRODUCT_PAGE_QUERIES = 16


@pytest.fixture
def product():
    product = certified_product_create(title="Chè Shan tuyết cổ thụ Suối Giàng")
    parent = CategoryFactory(name="Đồ uống")
    child = parent.add_child(name="Chè")
    ProductCategory.objects.create(product=product, category=child)
    return product


def test_the_product_page_stays_under_its_query_ceiling(product, django_assert_max_num_queries):
    with django_assert_max_num_queries(PRODUCT_PAGE_QUERIES):
        response = Client().get(product.get_absolute_url())
    html = response.content.decode()
    assert response.status_code == 200
    assert product.title in html and "Chè" in html
    assert 'data-testid="trust-block"' in html and "<svg" in html


def test_a_product_no_longer_listable_still_says_why_within_the_ceiling(
    product, django_assert_max_num_queries
):
    product.certificate.status = "withdrawn"
    product.certificate.save()
    with django_assert_max_num_queries(PRODUCT_PAGE_QUERIES + 1):
        html = Client().get(product.get_absolute_url()).content.decode()
    assert 'data-testid="not-listable"' in html and "thu hồi" in html

"""Query ceilings for the listing, search and suggest pages (issue 14).

Each page is rendered for an anonymous visitor (with whole-page sharing
off, so the page really renders) and for a visitor with a basket, with the
card fragments cold and warm. 30 listable products, more than a page of 24
cards, so one query per card (an N+1) breaks every ceiling. The ceilings
sit just above what the pages need today; warm pages read no product.
"""

import uuid
from decimal import Decimal

import pytest
from django.test import Client
from django.urls import reverse
from oscar.core.loading import get_model

from search.indexing import index_rebuild
from tests.factories import certified_product_create, producer_create

Category = get_model("catalogue", "Category")
ProductCategory = get_model("catalogue", "ProductCategory")

pytestmark = pytest.mark.django_db

# How a listing reads the products behind its hits (`pk__in`); Oscar's
# check of a basket line's product (`pk =`) is the visitor's, not the page's.
CARD_READ = '"catalogue_product"."id" IN ('

PAGES = {
    "shop": ("/shop/", {}),
    "category": (None, {}),
    "search": ("/shop/search/", {"q": "gom"}),
    "search_facets": ("/shop/search/", {"q": "gom", "stars": "4", "group": "keepsake"}),
    "suggest": ("/shop/search/suggest/", {"q": "gom"}),
}

# (page, visitor) -> (cold, warm), measured (savepoints count) plus one or
# two. Cold reads the page's products once in a fixed handful of queries;
# warm reads no product, only the catalogue version, the header's section
# links and, for a visitor with a basket, the basket (Oscar's, per visitor).
CEILINGS = {
    ("shop", "anonymous"): (18, 7),
    ("shop", "basket"): (27, 16),
    ("category", "anonymous"): (21, 9),
    ("category", "basket"): (29, 18),
    ("search", "anonymous"): (21, 9),
    ("search", "basket"): (29, 18),
    ("search_facets", "anonymous"): (18, 7),
    ("search_facets", "basket"): (27, 16),
    ("suggest", "anonymous"): (12, 5),
    ("suggest", "basket"): (11, 4),
}


@pytest.fixture
def catalogue(os_client):
    ceramics = Category.add_root(name="Gốm sứ")
    producers = [producer_create(f"HTX Gốm {n}") for n in range(5)]
    products = []
    for n in range(30):
        product = certified_product_create(
            title=f"Gốm sứ Bát Tràng mẫu {n}",
            price=Decimal(90000 + 1000 * n),
            stars=3 + n % 3,
            producer=producers[n % 5],
        )
        ProductCategory.objects.create(product=product, category=ceramics)
        products.append(product)
    index_rebuild(client=os_client)
    return {"products": products, "category": ceramics}


def visitor_make(kind: str, product, settings) -> Client:
    if kind == "anonymous":
        # no whole-page sharing: the page renders each time, as for anyone
        # the shared copy cannot serve
        settings.PAGE_CACHE_VIEWS = []
        return Client()
    visitor = Client()
    response = visitor.post(reverse("basket:add", kwargs={"pk": product.pk}), {"quantity": 1})
    assert response.status_code == 302
    return visitor


@pytest.mark.parametrize("page,kind", sorted(CEILINGS))
def test_listing_pages_stay_under_their_query_ceilings(
    page, kind, catalogue, settings, django_assert_max_num_queries
):
    # given a visitor and a page
    visitor = visitor_make(kind, catalogue["products"][0], settings)
    path, params = PAGES[page]
    path = path or catalogue["category"].get_absolute_url()
    cold, warm = CEILINGS[(page, kind)]
    # when it is rendered with no card cached (a fresh cache prefix)
    settings.PAGE_CACHE_PREFIX = f"pct-{uuid.uuid4().hex[:12]}"
    with django_assert_max_num_queries(cold):
        response = visitor.get(path, params)
    assert response.status_code == 200
    # then again with every card cached: fewer queries, no card's product read
    with django_assert_max_num_queries(warm) as queries:
        response = visitor.get(path, params)
    assert response.status_code == 200
    assert not [q for q in queries.captured_queries if CARD_READ in q["sql"]]

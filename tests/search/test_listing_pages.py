"""The catalogue, category and search pages, and the autocomplete endpoint,
all on the search backend (here the real OpenSearch)."""

from decimal import Decimal

import pytest
from oscar.core.loading import get_model
from wagtail.models import Page

from cms.services import home_page_ensure
from search.indexing import index_rebuild
from tests.factories import certified_product_create, producer_create

Product = get_model("catalogue", "Product")
Category = get_model("catalogue", "Category")
ProductCategory = get_model("catalogue", "ProductCategory")

pytestmark = pytest.mark.django_db


@pytest.fixture
def indexed(os_client):
    hue = producer_create("HTX Mè xửng Huế", province="Huế")
    products = {
        "gom": certified_product_create(title="Gốm sứ Bát Tràng men lam", price=Decimal("450000")),
        "chen": certified_product_create(title="Chén gốm Bát Tràng", price=Decimal("85000")),
        "me": certified_product_create(
            title="Mè xửng Huế", producer=hue, price=Decimal("60000"), product_type="food"
        ),
        "expired": certified_product_create(title="Gốm sứ cũ", status="withdrawn"),
    }
    ceramics = Category.add_root(name="Gốm sứ")
    bowls = ceramics.add_child(name="Chén bát")
    ProductCategory.objects.create(product=products["gom"], category=ceramics)
    ProductCategory.objects.create(product=products["chen"], category=bowls)
    index_rebuild(client=os_client)
    products["ceramics"] = ceramics
    return products


def _ids(response) -> set[int]:
    return {p.pk for p in response.context["products"]}


def test_catalogue_offers_every_facet_and_a_price_link_narrows_it(client, indexed):
    # given the shop root
    response = client.get("/shop/")
    html = response.content.decode()
    # then every facet group is in the sidebar, and the count is the listable count
    for facet in ("stars", "group", "province", "producer", "price", "in_stock"):
        assert f'data-facet="{facet}"' in html
    assert response.context["results_total"] == Product.objects.listable().count() == 3
    # and following "under 100.000 ₫" keeps only the two cheap products
    narrowed = client.get("/shop/", {"price": "0-100000"})
    assert _ids(narrowed) == {indexed["chen"].pk, indexed["me"].pk}
    assert 'data-testid="filters-clear"' in narrowed.content.decode()


def test_category_page_lists_the_category_and_its_subcategories(client, indexed):
    response = client.get(indexed["ceramics"].get_absolute_url())
    assert response.status_code == 200
    assert _ids(response) == {indexed["gom"].pk, indexed["chen"].pk}
    province = client.get(indexed["ceramics"].get_absolute_url(), {"province": "Huế"})
    assert _ids(province) == set()
    assert "Không có sản phẩm nào khớp với các bộ lọc đã chọn." in province.content.decode()


def test_search_page_sorts_by_price_and_offers_relevance(client, indexed):
    response = client.get("/shop/search/", {"q": "bat trang", "sort": "price_asc"})
    assert [p.pk for p in response.context["products"]] == [
        indexed["chen"].pk,
        indexed["gom"].pk,
    ]
    assert ("relevance", "Phù hợp nhất") in [
        (key, str(label)) for key, label in response.context["sort_options"]
    ]
    assert "relevance" not in [key for key, _l in client.get("/shop/").context["sort_options"]]


def test_a_page_past_the_end_redirects_to_the_first_keeping_filters(client, indexed):
    response = client.get("/shop/", {"province": "Huế", "page": "9"})
    assert response.status_code == 302
    assert response["Location"] == "/shop/?province=Hu%E1%BA%BF"


def test_malformed_facet_values_are_ignored_not_an_error(client, indexed):
    response = client.get("/shop/", {"stars": "x' OR 1=1", "price": "cheap", "in_stock": "yes"})
    assert response.status_code == 200
    assert response.context["results_total"] == 3


def test_suggest_endpoint_completes_unaccented_prefixes(client, indexed):
    response = client.get("/shop/search/suggest/", {"q": "chen gom b"})
    data = response.json()
    assert response.status_code == 200
    assert [p["title"] for p in data["products"]] == ["Chén gốm Bát Tràng"]
    assert data["products"][0]["url"] == indexed["chen"].get_absolute_url()
    assert data["products"][0]["price"] == "85.000\xa0₫"
    assert client.get("/shop/search/suggest/", {"q": "gom su c"}).json()["products"] == []
    assert client.get("/shop/search/suggest/", {"q": "g"}).json()["products"] == []


def test_one_box_lists_products_then_pages(client, indexed, pages_index):
    home = home_page_ensure()
    village = home.add_child(instance=Page(title="Làng gốm Bát Tràng", live=True))
    pages_index.refresh()
    html = client.get("/shop/search/", {"q": "bat trang"}).content.decode()
    assert html.index('data-testid="product-card"') < html.index('data-testid="page-results"')
    assert village.url in html


def test_header_box_is_wired_to_the_suggest_endpoint(client, indexed):
    html = client.get("/shop/").content.decode()
    assert 'data-suggest-url="/shop/search/suggest/"' in html
    assert "js/search-suggest.js" in html

"""The search page runs on the search backend, with shareable facet links."""

import pytest

from search.indexing import index_rebuild
from tests.factories import certified_product_create

pytestmark = pytest.mark.django_db


def test_search_page_uses_opensearch_with_facets(os_client, client):
    # given an indexed catalogue
    gom4 = certified_product_create(title="Gốm sứ Bát Tràng men lam", stars=4)
    gom3 = certified_product_create(title="Bình gốm Bát Tràng", stars=3)
    index_rebuild(client=os_client)
    shopper = client
    # when a shopper searches without accents
    response = shopper.get("/shop/search/", {"q": "gom bat trang"})
    html = response.content.decode()
    # then both ceramics are found and the sidebar offers star facets as links
    assert {p.pk for p in response.context["products"]} == {gom4.pk, gom3.pk}
    assert 'data-testid="facet-list"' in html
    assert "?q=gom+bat+trang&amp;stars=4" in html
    # and following the 4★ link narrows the results
    narrowed = shopper.get("/shop/search/", {"q": "gom bat trang", "stars": "4"})
    assert [p.pk for p in narrowed.context["products"]] == [gom4.pk]


def test_search_page_falls_back_to_the_database(client, settings):
    settings.OPENSEARCH_URL = "http://127.0.0.1:9"
    product = certified_product_create(title="Gạo hữu cơ Đồng Phú")
    response = client.get("/shop/search/", {"q": "dong phu"})
    assert response.status_code == 200
    assert [p.pk for p in response.context["products"]] == [product.pk]

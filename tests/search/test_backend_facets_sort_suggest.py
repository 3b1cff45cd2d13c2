"""The contract, continued, on both backends: every facet counts like the
database, a selection narrows the other facets but not its own, sorting
and pagination, categories, popularity and autocomplete."""

from datetime import date
from decimal import Decimal

import pytest
from oscar.core.loading import get_model

from search.backends.base import PRICE_RANGES, SearchRequest
from tests.factories import certified_product_create, producer_create

Product = get_model("catalogue", "Product")
Category = get_model("catalogue", "Category")
ProductCategory = get_model("catalogue", "ProductCategory")
ProductRecord = get_model("analytics", "ProductRecord")

pytestmark = pytest.mark.django_db


@pytest.fixture
def shop():
    hanoi = producer_create("HTX Gốm Bát Tràng", province="Hà Nội")
    hue = producer_create("HTX Mè xửng Huế", province="Huế")
    products = {
        "binh": certified_product_create(
            title="Bình gốm Bát Tràng", producer=hanoi, stars=5, price=Decimal("1250000")
        ),
        "chen": certified_product_create(
            title="Chén gốm Bát Tràng", producer=hanoi, stars=4, price=Decimal("90000")
        ),
        "dia": certified_product_create(
            title="Đĩa gốm men rạn",
            producer=hanoi,
            stars=3,
            price=Decimal("300000"),
            num_in_stock=0,
        ),
        "me": certified_product_create(
            title="Mè xửng Huế hộp 500 g",
            producer=hue,
            stars=4,
            price=Decimal("65000"),
            product_type="food",
            sector="food",
        ),
        "tra": certified_product_create(
            title="Trà cung đình Huế",
            producer=hue,
            stars=3,
            price=Decimal("180000"),
            product_type="drink",
            sector="beverage",
        ),
    }
    ceramics = Category.add_root(name="Gốm sứ")
    vases = ceramics.add_child(name="Bình hoa")
    ProductCategory.objects.create(product=products["binh"], category=vases)
    ProductCategory.objects.create(product=products["chen"], category=ceramics)
    ProductRecord.objects.create(product=products["tra"], num_views=40, num_purchases=9)
    products["categories"] = (ceramics, vases)
    return products


def _db_count(**filters) -> int:
    return Product.objects.listable().filter(**filters).count()


def test_every_facet_counts_like_the_database(backend, shop):
    backend.ready()
    facets = backend.search(SearchRequest(on=date.today())).facets
    assert dict(facets["group"]) == {"keepsake": 3, "food": 1, "drink": 1}
    assert dict(facets["province"]) == {
        "Hà Nội": _db_count(certificate__producer__province="Hà Nội"),
        "Huế": 2,
    }
    hanoi_id = str(shop["binh"].certificate.producer_id)
    assert dict(facets["producer"])[hanoi_id] == 3
    assert dict(facets["price"]) == {
        "0-100000": 2,  # 65,000 and 90,000
        "100000-300000": 1,  # 180,000
        "300000-1000000": 1,  # 300,000 belongs to the band it starts
        "1000000-": 1,
    }
    assert set(dict(facets["price"])) <= set(PRICE_RANGES)
    assert dict(facets["in_stock"]) == {"1": 4}


def test_a_selection_narrows_the_other_facets_but_not_its_own(backend, shop):
    backend.ready()
    result = backend.search(SearchRequest(on=date.today(), filters={"province": ["Huế"]}))
    assert set(result.ids) == {shop["me"].pk, shop["tra"].pk}
    assert dict(result.facets["province"]) == {"Hà Nội": 3, "Huế": 2}
    assert dict(result.facets["stars"]) == {"4": 1, "3": 1}
    assert dict(result.facets["group"]) == {"food": 1, "drink": 1}


def test_price_and_stock_selections(backend, shop):
    backend.ready()
    cheap = backend.search(SearchRequest(on=date.today(), filters={"price": ["0-100000"]}))
    assert set(cheap.ids) == {shop["me"].pk, shop["chen"].pk}
    two_bands = backend.search(
        SearchRequest(on=date.today(), filters={"price": ["0-100000", "1000000-"]})
    )
    assert set(two_bands.ids) == {shop["me"].pk, shop["chen"].pk, shop["binh"].pk}
    in_stock = backend.search(SearchRequest(on=date.today(), filters={"in_stock": ["1"]}))
    assert shop["dia"].pk not in in_stock.ids and in_stock.total == 4


@pytest.mark.parametrize(
    "sort, key, reverse",
    [
        ("price_asc", lambda p: p.stockrecords.first().price, False),
        ("price_desc", lambda p: p.stockrecords.first().price, True),
        ("stars", lambda p: p.certificate.stars, True),
        ("newest", lambda p: p.date_created, True),
    ],
)
def test_sorting(backend, shop, sort, key, reverse):
    backend.ready()
    result = backend.search(SearchRequest(on=date.today(), sort=sort))
    products = Product.objects.in_bulk(result.ids)
    values = [key(products[pk]) for pk in result.ids]
    assert len(values) == 5
    assert values == sorted(values, reverse=reverse)


def test_pages_are_disjoint_and_cover_the_results(backend, shop):
    backend.ready()
    pages = [
        backend.search(SearchRequest(on=date.today(), sort="price_asc", offset=o, limit=2))
        for o in (0, 2, 4)
    ]
    ids = [pk for page in pages for pk in page.ids]
    assert [len(page.ids) for page in pages] == [2, 2, 1]
    assert len(set(ids)) == 5 and all(page.total == 5 for page in pages)


def test_a_category_includes_its_subcategories(backend, shop):
    backend.ready()
    ceramics, vases = shop["categories"]
    whole = backend.search(SearchRequest(on=date.today(), category_ids=[ceramics.pk, vases.pk]))
    assert set(whole.ids) == {shop["binh"].pk, shop["chen"].pk}
    only_vases = backend.search(SearchRequest(on=date.today(), category_ids=[vases.pk]))
    assert only_vases.ids == [shop["binh"].pk]


def test_popular_sort_puts_the_viewed_and_bought_product_first(backend, shop):
    # the oldest product is the most popular, so newest-first ties cannot
    # pass for a popularity sort
    ProductRecord.objects.create(product=shop["binh"], num_views=90, num_purchases=20)
    backend.ready()
    result = backend.search(SearchRequest(on=date.today(), sort="popular"))
    assert result.ids[:2] == [shop["binh"].pk, shop["tra"].pk]


def test_suggest_completes_a_folded_prefix_with_listable_products_only(backend, shop):
    certified_product_create(title="Bình gốm Bát Tràng hai sao", stars=2)
    backend.ready()
    ids = backend.suggest(on=date.today(), text="binh gom bat", limit=8)
    assert ids == [shop["binh"].pk]
    assert backend.suggest(on=date.today(), text="xyzzy", limit=8) == []

"""The Oscar shop lives under /shop/ and shares the site's layout."""

from django.urls import reverse
from oscar.core.loading import get_model

Product = get_model("catalogue", "Product")
Category = get_model("catalogue", "Category")


def test_shop_root_is_the_paginated_catalogue_of_listable_products(client, demo_site):
    response = client.get("/shop/")
    html = response.content.decode()
    assert response.status_code == 200
    assert reverse("catalogue:index") == "/shop/"
    assert html.count('data-testid="product-card"') == 24
    listable = Product.objects.listable().count()
    assert f"{listable} sản phẩm" in html
    assert 'class="site-header"' in html


def test_category_page_lists_only_its_products(client, demo_site):
    drinks = Category.objects.get(name="Đồ uống")
    response = client.get(drinks.get_absolute_url(), {"sort": "title"})
    products = Product.objects.filter(pk__in=[card.pk for card in response.context["products"]])
    assert products and {p.certificate.sector for p in products} == {"beverage"}
    assert response.context["paginator"].count == (
        Product.objects.listable().filter(certificate__sector="beverage").count()
    )


def test_search_page_finds_by_every_word(client, demo_site):
    html = client.get("/shop/search/", {"q": "gạo hữu cơ đồng phú"}).content.decode()
    assert "Gạo hữu cơ Đồng Phú" in html
    assert "Tam Hưng" not in html


def test_search_with_no_match_explains_itself(client, demo_site):
    html = client.get("/shop/search/", {"q": "xyzzy"}).content.decode()
    assert "Không tìm thấy sản phẩm nào khớp với" in html


def test_sorting_by_price_puts_the_cheapest_first(client, demo_site):
    response = client.get("/shop/", {"sort": "price_asc"})
    by_pk = Product.objects.in_bulk([card.pk for card in response.context["products"]])
    prices = [by_pk[card.pk].stockrecords.all()[0].price for card in response.context["products"]]
    assert prices == sorted(prices)


def test_dashboard_is_at_its_own_path(admin_client):
    assert reverse("dashboard:index") == "/dashboard/"
    assert admin_client.get("/dashboard/").status_code == 200


def test_wagtail_admin_is_at_its_own_path(admin_client, demo_site):
    assert admin_client.get("/cms-admin/").status_code == 200

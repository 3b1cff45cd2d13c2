"""The Oscar shop lives under /shop/ and shares the site's layout."""

from django.urls import reverse


def test_shop_root_is_the_catalogue(client, demo_site):
    response = client.get("/shop/")
    html = response.content.decode()
    assert response.status_code == 200
    assert reverse("catalogue:index") == "/shop/"
    assert html.count('data-testid="product-card"') == 7
    assert 'class="site-header"' in html


def test_category_page_lists_only_its_products(client, demo_site):
    from oscar.core.loading import get_model

    category = get_model("catalogue", "Category").objects.get(name="Đồ uống")
    html = client.get(category.get_absolute_url()).content.decode()
    assert "Sữa tươi thanh trùng Phù Đổng" in html
    assert "Bình gốm men lam Bát Tràng" not in html


def test_search_page_finds_by_every_word(client, demo_site):
    html = client.get("/shop/search/", {"q": "gạo hữu cơ"}).content.decode()
    assert "Gạo hữu cơ Đồng Phú" in html
    assert "Gạo Bắc thơm số 7" not in html


def test_search_with_no_match_explains_itself(client, demo_site):
    html = client.get("/shop/search/", {"q": "xyzzy"}).content.decode()
    assert "Không tìm thấy sản phẩm nào khớp với" in html


def test_product_without_price_is_not_on_the_shop(client, demo_site):
    from oscar.core.loading import get_model

    StockRecord = get_model("partner", "StockRecord")
    record = StockRecord.objects.get(product__title="Hộp khảm trai Chuyên Mỹ")
    record.price = None
    record.save()
    html = client.get("/shop/").content.decode()
    assert "Hộp khảm trai Chuyên Mỹ" not in html


def test_dashboard_is_at_its_own_path(admin_client):
    assert reverse("dashboard:index") == "/dashboard/"
    assert admin_client.get("/dashboard/").status_code == 200


def test_wagtail_admin_is_at_its_own_path(admin_client, demo_site):
    assert admin_client.get("/cms-admin/").status_code == 200

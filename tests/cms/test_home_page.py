"""Wagtail serves `/` with the shared layout and the shop's products."""

from wagtail.models import Site

from cms.models import HomePage


def test_home_page_is_the_default_sites_root(demo_site):
    site = Site.objects.get(is_default_site=True)
    assert isinstance(site.root_page.specific, HomePage)


def test_home_page_renders_layout_and_products(client, demo_site):
    # when a visitor opens the site's root
    response = client.get("/")
    html = response.content.decode()
    # then Wagtail's HomePage renders inside the shared layout
    assert response.status_code == 200
    assert 'class="site-header"' in html and 'class="site-footer"' in html
    assert 'role="search"' in html and 'data-testid="basket-link"' in html
    assert 'name="language"' in html
    # and it shows demo products with prices in whole đồng
    assert "Gạo Bắc thơm số 7 Tam Hưng" in html
    assert "125.000\xa0₫" in html


def test_home_page_without_products_shows_an_empty_state(client, demo_site):
    from oscar.core.loading import get_model

    get_model("catalogue", "Product").objects.all().delete()
    html = client.get("/").content.decode()
    assert "Chưa có sản phẩm nào được niêm yết" in html

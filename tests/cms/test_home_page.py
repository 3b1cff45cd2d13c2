"""Wagtail serves `/` with the shared layout and listable products only."""

from oscar.core.loading import get_model
from wagtail.models import Site

from cms.models import HomePage

Product = get_model("catalogue", "Product")


def test_home_page_is_the_default_sites_root(demo_site):
    site = Site.objects.get(is_default_site=True)
    assert isinstance(site.root_page.specific, HomePage)


def test_home_page_renders_layout_and_listable_products(client, demo_site):
    # when a visitor opens the site's root
    response = client.get("/")
    html = response.content.decode()
    # then Wagtail's HomePage renders inside the shared layout
    assert response.status_code == 200
    assert 'class="site-header"' in html and 'class="site-footer"' in html
    assert 'role="search"' in html and 'data-testid="basket-link"' in html
    assert 'name="language"' in html
    # and its products are listable ones, with OCOP badges and whole-đồng prices
    cards = html.count('data-testid="product-card"')
    assert cards == 8
    newest = Product.objects.listable().order_by("-date_created", "-pk").first()
    assert newest.title in html
    price = newest.stockrecords.first().price
    assert f"{int(price):,}".replace(",", ".") + "\xa0₫" in html
    assert "ocop-badge" in html


def test_home_page_never_shows_unlistable_products(client, demo_site):
    html = client.get("/").content.decode()
    for product in Product.objects.exclude(pk__in=Product.objects.listable()):
        assert f'href="{product.get_absolute_url()}"' not in html


def test_home_page_without_products_shows_an_empty_state(client, demo_site):
    get_model("partner", "StockRecord").objects.update(price=None)
    html = client.get("/").content.decode()
    assert "Chưa có sản phẩm nào được niêm yết" in html

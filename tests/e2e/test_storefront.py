"""A shopper's first look, in a real browser."""

import os
from pathlib import Path

import pytest
from oscar.core.loading import get_model
from playwright.sync_api import expect

Product = get_model("catalogue", "Product")
StockRecord = get_model("partner", "StockRecord")

pytestmark = pytest.mark.e2e

VIEWPORTS = {"mobile": 390, "desktop": 1280}


def test_home_and_shop_pages_load_in_chromium(browser, live_demo):
    page = browser.new_page(viewport={"width": 1280, "height": 900})
    # the Wagtail home page
    page.goto(live_demo.url + "/")
    assert "Chợ OCOP" in page.title()
    assert page.get_by_test_id("hero-shop-link").is_visible()
    # follow the hero button to the Oscar catalogue
    page.get_by_test_id("hero-shop-link").click()
    page.wait_for_url("**/shop/")
    assert "Tất cả sản phẩm" in page.title()
    assert page.get_by_test_id("product-card").first.is_visible()
    assert page.get_by_test_id("product-card").count() == 24
    assert page.locator(".ocop-badge").first.is_visible()
    page.close()


def test_add_to_basket_updates_the_header(browser, live_demo):
    page = browser.new_page(viewport={"width": 1280, "height": 900})
    page.goto(live_demo.url + "/shop/?sort=price_asc")
    # the card's script fetches a CSRF token, then posts: the navigation
    # starts after the click returns (js/basket-add.js)
    with page.expect_navigation():
        page.get_by_test_id("product-card").first.get_by_role("button").click()
    page.wait_for_load_state()
    assert page.get_by_test_id("basket-link").locator(".basket-link__count").inner_text() == "1"
    cheapest = (
        StockRecord.objects.filter(product__in=Product.objects.listable())
        .order_by("price")
        .first()
        .price
    )
    assert f"{int(cheapest):,}".replace(",", ".") in page.get_by_test_id("basket-link").inner_text()
    page.close()


@pytest.mark.parametrize("name,width", VIEWPORTS.items())
@pytest.mark.parametrize("path,slug", [("/", "home"), ("/shop/", "catalogue")])
def test_screenshots_fit_the_viewport(browser, live_demo, tmp_path, name, width, path, slug):
    # given a phone-sized or desktop browser
    page = browser.new_page(viewport={"width": width, "height": 900})
    page.goto(live_demo.url + path)
    # lazy images below the fold would be blank in a full-page screenshot
    page.evaluate(
        "document.querySelectorAll('img[loading=lazy]').forEach(i => i.loading = 'eager')"
    )
    page.wait_for_load_state("networkidle")
    # then nothing forces sideways scrolling
    scroll_width = page.evaluate("document.documentElement.scrollWidth")
    assert scroll_width <= width, f"{path} is {scroll_width}px wide at {width}px"
    # and a screenshot is taken (into docs/ when `make screenshots` asks)
    out_dir = Path(os.environ.get("SCREENSHOTS_DIR") or tmp_path)
    out_dir.mkdir(parents=True, exist_ok=True)
    target = out_dir / f"{slug}-{width}.png"
    page.screenshot(path=str(target), full_page=True)
    assert target.stat().st_size > 10_000
    page.close()


def test_header_box_suggests_products_as_the_shopper_types(browser, live_demo):
    # given a shopper on the shop page of a phone
    page = browser.new_page(viewport={"width": 390, "height": 800})
    page.goto(live_demo.url + "/shop/")
    # when they type the start of a name without accents
    # (on a busy machine a pause between keys may show "gom b"'s answer
    # first: wait for the answer to the whole words, then for the list to
    # show it)
    with page.expect_response(lambda r: "/suggest/?q=gom%20bat" in r.url) as answer:
        page.locator("#site-search-q").press_sequentially("gom bat", delay=30)
    suggestions = page.get_by_test_id("search-suggestions")
    answered = [product["title"] for product in answer.value.json()["products"]]
    expect(suggestions.locator(".site-search__title")).to_have_text(answered)
    # then listable products matching both words (folded) are offered
    titles = suggestions.locator(".site-search__title").all_inner_texts()
    offered = Product.objects.listable().filter(title__in=titles)
    assert titles and {p.title for p in offered} == set(titles)
    assert all("gom" in p.search_text and "bat" in p.search_text for p in offered)
    # and choosing the first with the keyboard opens its page
    page.locator("#site-search-q").press("ArrowDown")
    page.locator("#site-search-q").press("Enter")
    page.wait_for_url("**/shop/**/")
    assert page.locator("h1").first.inner_text() == titles[0]
    page.close()

"""The per-visitor parts of shared pages, in a real browser: the product
page's add form posts with a token the script fetched, and its "recently
viewed" block is filled in after the page loads."""

import pytest
from oscar.core.loading import get_model

Product = get_model("catalogue", "Product")

pytestmark = pytest.mark.e2e


def test_the_product_page_adds_to_the_basket_and_shows_recently_viewed(browser, live_demo):
    first, second = Product.objects.listable().order_by("pk")[:2]
    context = browser.new_context(viewport={"width": 1280, "height": 900})
    page = context.new_page()
    # given a visitor who looked at one product, then opens another
    page.goto(live_demo.url + first.get_absolute_url())
    page.wait_for_load_state("networkidle")
    page.goto(live_demo.url + second.get_absolute_url())
    # then the second page lists the first under "recently viewed"
    block = page.get_by_test_id("recently-viewed")
    block.get_by_test_id("product-card").first.wait_for()
    assert first.title in block.inner_text()
    # when they add it from the product page's form (no token in the page)
    assert page.locator("#add_to_basket_form input[name=csrfmiddlewaretoken]").count() == 0
    with page.expect_navigation():
        page.locator("#add_to_basket_form button[type=submit]").click()
    page.wait_for_load_state()
    # then they are back on the product, with it in the basket
    assert page.url.endswith(second.get_absolute_url())
    assert page.get_by_test_id("basket-link").locator(".basket-link__count").inner_text() == "1"
    context.close()

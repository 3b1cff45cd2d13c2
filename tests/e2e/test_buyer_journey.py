"""A buyer's whole journey, in both languages, on a phone and a desktop
(issue 15): search, filter, product, basket, a checkout in which the
province changes twice, thank-you, and the order's status page.

At every step: no console error, nothing wider than the screen, and a
screenshot (into docs/screenshots/ when `make screenshots` asks). At the
end, the order costs exactly the total the page last showed.
"""

import os
from pathlib import Path

import pytest
from oscar.core.loading import get_model

Order = get_model("order", "Order")

pytestmark = pytest.mark.e2e

# What the page says the order status is, in each language.
PLACED = {"vi": "Đã đặt", "en": "Placed"}


def _dong(text: str) -> int:
    return int("".join(ch for ch in text if ch.isdigit()))


class Journey:
    """One browser page that checks and photographs each step."""

    def __init__(self, page, out_dir: Path, prefix: str, width: int):
        self.page, self.out_dir, self.prefix, self.width = page, out_dir, prefix, width
        self.errors: list[str] = []
        self.steps = 0
        page.on("console", lambda m: m.type == "error" and self.errors.append(m.text))
        page.on("pageerror", lambda e: self.errors.append(str(e)))

    def step(self, name: str) -> None:
        self.page.wait_for_load_state()
        self.steps += 1
        wide = self.page.evaluate("document.documentElement.scrollWidth")
        assert wide <= self.width, f"{name}: page is {wide} px wide on a {self.width} px screen"
        assert not self.errors, f"{name}: console errors {self.errors}"
        self.page.screenshot(
            path=str(self.out_dir / f"{self.prefix}-{self.steps:02d}-{name}.png"), full_page=True
        )


@pytest.mark.parametrize("width", [390, 1280])
@pytest.mark.parametrize("language", ["vi", "en"])
def test_journey_with_screenshots_charges_the_last_total_shown(
    browser, live_demo, tmp_path, language, width
):
    out_dir = Path(os.environ.get("SCREENSHOTS_DIR") or tmp_path)
    out_dir.mkdir(parents=True, exist_ok=True)
    context = browser.new_context(viewport={"width": width, "height": 900})
    context.add_cookies([{"name": "django_language", "value": language, "url": live_demo.url}])
    page = context.new_page()
    journey = Journey(page, out_dir, f"journey-{language}-{width}", width)

    # search, without accents
    page.goto(live_demo.url + "/")
    page.locator("#site-search-q").fill("lua van phuc")
    page.locator("#site-search-q").press("Enter")
    page.wait_for_url("**/shop/search/**")
    assert page.get_by_test_id("product-card").count() > 0
    journey.step("search")
    # filter: the first value of the stars filter, a plain shareable link
    star_filter = page.locator("[data-facet=stars] a").first
    page.goto(star_filter.evaluate("a => a.href"))  # on a phone the filters are folded away
    assert "stars=" in page.url and "/shop/search/" in page.url
    assert page.get_by_test_id("product-card").count() > 0
    journey.step("filter")
    # product
    page.get_by_test_id("product-card").first.locator("a").first.click()
    page.locator("#add_to_basket_form").wait_for()
    journey.step("product")
    # basket
    with page.expect_navigation():
        page.locator("#add_to_basket_form button[type=submit]").click()
    page.goto(live_demo.url + "/shop/basket/")
    journey.step("basket")
    # checkout: the province changes twice and the total follows each time
    page.goto(live_demo.url + "/shop/checkout/")
    page.locator("[name=name]").fill("Trần Văn Minh")
    page.locator("[name=phone]").fill("0987 654 321")
    page.locator("[name=email]").fill(f"minh-{language}-{width}@example.vn")
    page.locator("[name=ward]").fill("Phường Phú Hội")
    page.locator("[name=street]").fill("3 Lê Lợi")
    page.locator("[name=payment][value=cod]").check()
    total = page.get_by_test_id("order-total")
    shown = []
    for province in ("Hà Nội", "Huế", "Đà Nẵng"):
        # js/checkout-total.js asks the server for the summary on each change
        with page.expect_response(lambda r: "/checkout/tong-tien/" in r.url):
            page.locator("[name=province]").select_option(province)
        page.wait_for_function(
            "() => document.querySelector('[data-checkout-summary]')"
            ".getAttribute('aria-busy') !== 'true'"
        )
        shown.append(_dong(total.inner_text()))
    assert shown[0] != shown[1], "Hà Nội and Huế have different rates; the total must follow"
    journey.step("checkout")
    # thank-you
    page.get_by_test_id("place-order").click()
    page.wait_for_url("**/checkout/thank-you/")
    order = Order.objects.get(number=page.get_by_test_id("order-number").inner_text())
    assert order.total_incl_tax == shown[-1]
    assert _dong(page.get_by_test_id("order-summary-total").inner_text()) == shown[-1]
    journey.step("thank-you")
    # the order's status page, in the same browser
    page.get_by_test_id("order-status-link").click()
    page.get_by_test_id("order-summary").wait_for()
    assert PLACED[language] in page.get_by_test_id("parcel-status").inner_text()
    journey.step("order-status")
    context.close()

"""A shopper buys OCOP products cash on delivery, in a real browser."""

import pytest
from oscar.core.loading import get_model

Order = get_model("order", "Order")

pytestmark = pytest.mark.e2e


def _buy_first_result(page, base_url: str, query: str) -> str:
    """Search, open the first product, add it to the basket; its title."""
    page.goto(base_url + "/shop/")
    page.locator("#site-search-q").fill(query)
    page.locator("#site-search-q").press("Enter")
    page.wait_for_url("**/shop/search/**")
    page.get_by_test_id("product-card").first.locator("a").first.click()
    title = page.locator("h1").first.inner_text()
    # the page's script fetches a CSRF token, then posts (js/basket-add.js)
    with page.expect_navigation():
        page.get_by_role("button", name="Thêm vào giỏ").first.click()
    page.wait_for_load_state()
    return title


def _checkout_cod(page, base_url: str) -> str:
    page.goto(base_url + "/shop/checkout/")
    page.get_by_label("Họ và tên người nhận").fill("Nguyễn Thị Lan")
    page.get_by_label("Số điện thoại").fill("0912 345 678")
    page.get_by_label("Email (nhận xác nhận đơn hàng)").fill("lan@example.vn")
    page.get_by_label("Tỉnh/thành phố").select_option("Hà Nội")
    page.get_by_label("Xã/phường").fill("Phường Tây Hồ")
    page.get_by_label("Số nhà, tên đường").fill("12 Quảng An")
    page.get_by_label("Thanh toán khi nhận hàng (COD)").check()
    # the province's total, fetched by js/checkout-total.js, is on screen
    page.get_by_test_id("order-total").wait_for()
    page.get_by_test_id("place-order").click()
    page.wait_for_url("**/checkout/thank-you/")
    return page.get_by_test_id("order-number").inner_text()


def _dong(text: str) -> int:
    return int("".join(ch for ch in text if ch.isdigit()))


def test_search_to_cod_confirmation_with_one_then_two_producers(browser, live_demo):
    page = browser.new_page(viewport={"width": 390, "height": 844})
    # one producer: search → product → basket → COD → confirmation
    _buy_first_result(page, live_demo.url, "gom bat trang")
    number = _checkout_cod(page, live_demo.url)
    order = Order.objects.get(number=number)
    assert order.payment_state == "awaiting-cod" and order.parcels.count() == 1
    # two producers in one basket
    _buy_first_result(page, live_demo.url, "gom bat trang")
    _buy_first_result(page, live_demo.url, "lua van phuc")
    page.goto(live_demo.url + "/shop/checkout/")
    assert page.get_by_test_id("parcel").count() == 2
    number = _checkout_cod(page, live_demo.url)
    assert page.get_by_test_id("parcel").count() == 2
    second = Order.objects.get(number=number)
    assert second.parcels.count() == 2
    assert {p.producer_id for p in second.parcels.all()} == {
        line.partner.producer.pk for line in second.lines.all()
    }
    page.close()


@pytest.mark.parametrize("width", [390, 1280])
def test_the_total_charged_is_the_last_total_shown_after_two_province_changes(
    browser, live_demo, width
):
    page = browser.new_page(viewport={"width": width, "height": 900})
    _buy_first_result(page, live_demo.url, "lua van phuc")
    page.goto(live_demo.url + "/shop/checkout/")
    page.get_by_label("Họ và tên người nhận").fill("Trần Văn Minh")
    page.get_by_label("Số điện thoại").fill("0987 654 321")
    page.get_by_label("Email (nhận xác nhận đơn hàng)").fill(f"minh{width}@example.vn")
    page.get_by_label("Xã/phường").fill("Phường Phú Hội")
    page.get_by_label("Số nhà, tên đường").fill("3 Lê Lợi")
    total = page.get_by_test_id("order-total")
    # Hà Nội first, then Huế: the summary follows each choice
    page.get_by_label("Tỉnh/thành phố").select_option("Hà Nội")
    total.wait_for()
    in_hanoi = _dong(total.inner_text())
    page.get_by_label("Tỉnh/thành phố").select_option("Huế")
    page.wait_for_function(
        "n => { const el = document.querySelector('[data-testid=order-total]');"
        " return el && el.textContent.replace(/\\D/g, '') !== String(n); }",
        arg=in_hanoi,
    )
    last_shown = _dong(total.inner_text())
    assert last_shown - in_hanoi == 40000 - 25000  # one parcel, Huế's rate over Hà Nội's
    page.get_by_test_id("place-order").click()
    page.wait_for_url("**/checkout/thank-you/")
    order = Order.objects.get(number=page.get_by_test_id("order-number").inner_text())
    assert order.total_incl_tax == last_shown
    # and the thank-you page lists the order, no wider than the screen
    assert page.get_by_test_id("parcel").count() == 1
    assert page.evaluate("document.documentElement.scrollWidth") <= width
    # and the same browser follows the order without typing its email again
    page.get_by_test_id("order-status-link").click()
    page.get_by_test_id("order-summary").wait_for()
    assert "Đã đặt" in page.get_by_test_id("parcel-status").inner_text()
    assert page.evaluate("document.documentElement.scrollWidth") <= width
    page.close()

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
    page.get_by_test_id("place-order").click()
    page.wait_for_url("**/checkout/thank-you/")
    return page.get_by_test_id("order-number").inner_text()


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

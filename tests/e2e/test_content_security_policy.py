"""The Content-Security-Policy holds on every kind of page we serve, in a
real browser: the shop, Oscar's dashboard and Wagtail's admin.

Chromium reports each thing the policy blocks twice: as a
`securitypolicyviolation` event in the page (caught by a listener every
document gets before its own scripts run) and as a console error starting
"Refused to ...". Both are collected across navigations and frames; any one
fails the test. Inline event handlers are only reported when their event
fires, so the walk also uses the language switcher, the sort menu and the
order button.
"""

import re
from contextlib import contextmanager

import pytest
from django.contrib.auth import get_user_model
from oscar.core.loading import get_model

from cms.models import CraftVillagePage, FairPage
from marketplace.ocop.models import Certificate
from marketplace.order.services import order_place
from tests.order.conftest import basket_with

Product = get_model("catalogue", "Product")
Order = get_model("order", "Order")

pytestmark = pytest.mark.e2e

OPERATOR_PASSWORD = "test-operator-pass"  # what live_demo gives the demo operator

LISTENER = """
document.addEventListener("securitypolicyviolation", (event) => {
    window.reportCspViolation(
        `${event.effectiveDirective} blocked ${event.blockedURI || "inline"}`
        + ` in ${event.documentURI} (${event.sourceFile || "?"}:${event.lineNumber})`
    );
}, true);
"""
CONSOLE_VIOLATION = re.compile(r"Content Security Policy|Refused to", re.IGNORECASE)


class PolicyWatch:
    """A browser context recording every CSP violation of its pages."""

    def __init__(self, browser):
        self.violations: list[str] = []
        # script errors and console errors, by page: the back-office crawl
        # fails on these too (issue 15: Oscar's order page threw one)
        self.errors: list[str] = []
        self.visited: list[str] = []
        self.context = browser.new_context(viewport={"width": 1280, "height": 900})
        self.context.expose_binding(
            "reportCspViolation", lambda _source, text: self.violations.append(text)
        )
        self.context.add_init_script(LISTENER)
        self.context.on("console", self._console)
        self.page = self.context.new_page()
        self.page.on("pageerror", lambda error: self.errors.append(f"{self.page.url}: {error}"))

    def _console(self, message):
        if CONSOLE_VIOLATION.search(message.text):
            self.violations.append(f"console: {message.text}")
        elif message.type == "error":
            self.errors.append(f"{self.page.url}: console: {message.text}")

    def settle(self):
        """Let late resources and their violation events arrive."""
        self.page.wait_for_load_state("networkidle")
        self.page.wait_for_timeout(150)
        self.visited.append(self.page.url)

    def visit(self, url: str):
        response = self.page.goto(url)
        assert response is not None and response.status < 500, url
        self.settle()
        return response

    def close(self):
        self.context.close()

    def report(self) -> str:
        return "\n".join(dict.fromkeys(self.violations))

    @contextmanager
    def walk(self):
        """Fail on any violation seen during the block, also when a step of
        it breaks: a blocked script often shows up only as a page that never
        does what the next step waits for."""
        try:
            yield
        except Exception as error:
            if self.violations:
                raise AssertionError(self.report()) from error
            raise
        assert self.visited
        assert not self.violations, self.report()


@pytest.fixture
def watch(browser):
    watch = PolicyWatch(browser)
    yield watch
    watch.close()


def _checkout_form_fill(page):
    page.get_by_label("Họ và tên người nhận").fill("Nguyễn Thị Lan")
    page.get_by_label("Số điện thoại").fill("0912 345 678")
    page.get_by_label("Email (nhận xác nhận đơn hàng)").fill("lan@example.vn")
    page.get_by_label("Tỉnh/thành phố").select_option("Hà Nội")
    page.get_by_label("Xã/phường").fill("Phường Tây Hồ")
    page.get_by_label("Số nhà, tên đường").fill("12 Quảng An")
    # the province's total, fetched by js/checkout-total.js, is what the order confirms
    page.get_by_test_id("order-total").wait_for()


def _basket_add_first_product(watch, base):
    watch.visit(base + "/shop/")
    # the card's script fetches a CSRF token, then posts (js/basket-add.js)
    with watch.page.expect_navigation():
        watch.page.get_by_test_id("product-card").first.get_by_role("button").click()
    watch.settle()


def _shop_walk(watch, base):
    page = watch.page
    product = Product.objects.listable().order_by("pk").first()
    certificate = Certificate.objects.order_by("pk").first()

    # the home page, then the language switcher (an inline handler before)
    response = watch.visit(base + "/")
    assert "script-src" in response.headers["content-security-policy"]
    with page.expect_navigation():
        page.locator("#lang-select").select_option("en")
    watch.settle()
    with page.expect_navigation():
        page.locator("#lang-select").select_option("vi")
    watch.settle()

    # the shop listing and its sort menu, a product, search and suggestions
    watch.visit(base + "/shop/")
    with page.expect_navigation():
        page.locator("select[name=sort]").select_option("price_asc")
    watch.settle()
    watch.visit(base + product.get_absolute_url())
    watch.visit(base + "/shop/search/?q=gom+bat+trang")
    page.locator("#site-search-q").fill("")
    page.locator("#site-search-q").press_sequentially("lua van", delay=30)
    page.get_by_test_id("search-suggestions").locator("[role=option]").first.wait_for()
    watch.settle()

    # the public pages around the shop
    watch.visit(base + f"/chung-nhan/?so={certificate.number}")
    watch.visit(base + FairPage.objects.live().order_by("pk").first().url)
    watch.visit(base + CraftVillagePage.objects.live().order_by("pk").first().url)
    watch.visit(base + f"/chu-the/{product.certificate.producer_id}/")
    watch.visit(base + "/shop/accounts/login/")
    watch.visit(base + "/khong-co-trang-nay/")

    # a COD order, through the basket, the checkout and its order button
    _basket_add_first_product(watch, base)
    watch.visit(base + "/shop/basket/")
    watch.visit(base + "/shop/checkout/")
    _checkout_form_fill(page)
    page.get_by_label("Thanh toán khi nhận hàng (COD)").check()
    page.get_by_test_id("place-order").click()
    page.wait_for_url("**/checkout/thank-you/")
    watch.settle()
    assert Order.objects.count() == 1

    # the card payment page (Stripe.js itself cannot load offline; allowing
    # it is the policy's job, a network failure is not a violation)
    _basket_add_first_product(watch, base)
    watch.visit(base + "/shop/checkout/")
    _checkout_form_fill(page)
    page.get_by_label("Thẻ ngân hàng / thẻ quốc tế").check()
    page.get_by_test_id("place-order").click()
    page.get_by_test_id("card-payment").wait_for()
    watch.settle()

    # the VietQR page: its QR, copy buttons, countdown and status poll
    _basket_add_first_product(watch, base)
    watch.visit(base + "/shop/checkout/")
    _checkout_form_fill(page)
    page.get_by_label("Chuyển khoản ngân hàng (VietQR)").check()
    page.get_by_test_id("place-order").click()
    page.get_by_test_id("vietqr-code").wait_for()
    page.wait_for_timeout(2500)  # the first status poll
    watch.settle()


def test_shop_pages_raise_no_policy_violation(watch, live_demo, payos_standin):
    with watch.walk():
        _shop_walk(watch, live_demo.url)


def _operator_sign_in(watch, base):
    watch.visit(base + "/dashboard/login/")
    watch.visit(base + "/cms-admin/login/")
    watch.page.locator("#id_username").fill("operator")
    watch.page.locator("#id_password").fill(OPERATOR_PASSWORD)
    with watch.page.expect_navigation():
        watch.page.locator("form button[type=submit]").first.click()
    watch.settle()


def test_account_pages_and_oscar_dashboard_raise_no_policy_violation(
    watch, live_demo, hanoi_delivery
):
    base = live_demo.url
    product = Product.objects.listable().order_by("pk").first()
    operator = get_user_model().objects.get(username="operator")
    order = order_place(
        basket=basket_with((product, 1)),
        delivery=hanoi_delivery,
        email=operator.email,
        user=operator,
    )
    with watch.walk():
        _operator_sign_in(watch, base)
        for path in (
            # the shopper's account pages (Oscar's, some with our templates)
            "/shop/accounts/",
            "/shop/accounts/profile/edit/",
            "/shop/accounts/addresses/add/",
            "/shop/accounts/orders/",
            f"/shop/accounts/orders/{order.number}/",
            "/shop/accounts/wishlists/create/",
            "/shop/accounts/change-password/",
            # Oscar's dashboard and our pages in it
            "/dashboard/",
            "/dashboard/orders/",
            f"/dashboard/orders/{order.number}/",
            "/dashboard/catalogue/",
            f"/dashboard/catalogue/products/{product.pk}/",
            "/dashboard/registry/",
            "/dashboard/registry/rejected/",
            "/dashboard/producers/",
            "/dashboard/partners/create/",
            "/dashboard/users/",
            "/dashboard/offers/",
            "/dashboard/reports/",
            "/dashboard/refunds/chuyen-khoan/",
        ):
            watch.visit(base + path)
    assert not watch.errors, "\n".join(watch.errors)


def _wagtail_walk(watch, base):
    page = watch.page
    fair = FairPage.objects.live().order_by("pk").first()
    _operator_sign_in(watch, base)
    watch.visit(base + "/cms-admin/")
    watch.visit(base + f"/cms-admin/pages/{fair.get_parent().pk}/")
    watch.visit(base + "/cms-admin/images/")

    # the edit form, its live preview (our page, framed) and the image chooser
    watch.visit(base + f"/cms-admin/pages/{fair.pk}/edit/")
    page.locator("[data-side-panel-toggle='preview']").first.click()
    preview = page.frame_locator("iframe[data-w-preview-target='iframe']").first
    preview.locator("main#main").wait_for()
    watch.settle()
    # the tab that holds the sharing image (its id follows the heading's language)
    tab = page.locator("#id_og_image-chooser").evaluate("el => el.closest('[role=tabpanel]').id")
    page.locator(f"a[href='#{tab}']").click()
    page.locator("#id_og_image-chooser .chooser__choose-button").click()
    page.locator(".modal-dialog").wait_for()
    watch.settle()


def test_wagtail_admin_raises_no_policy_violation(watch, live_demo):
    with watch.walk():
        _wagtail_walk(watch, live_demo.url)
    assert not watch.errors, "\n".join(watch.errors)

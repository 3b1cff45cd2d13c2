"""A shopper's whole journey in a real browser while nginx sends every
request to the other web process than the one before: browse, add to
basket, sign in, check out cash on delivery, follow the order.

Each step's write happens in one process and is read by the other on the
very next request, so nothing the shopper relies on may live in a single
process: the session, the basket, the CSRF token, the flash messages. The
test asserts the alternation itself from nginx's log (every request went to
the other process than the one before), and at each step which process
served the write and which served the page after it.
"""

import time
from collections import Counter
from dataclasses import dataclass
from urllib.parse import urlsplit

import pytest

from tests.multiprocess.balancer import SERVED_BY

pytestmark = pytest.mark.e2e


@dataclass(frozen=True)
class Hit:
    method: str
    path: str
    status: int
    web: str
    page_cache: str


class Trail:
    """Every answer from the web processes the page receives, with the
    process that served it (static files left out).

    nginx logs every request it proxied, so the page must not abandon one:
    a script's fetch still in flight when the shopper moves on (the product
    page's recently viewed block) is served, logged, then aborted by the
    browser, which never sees its answer. `mark()` therefore waits for the
    page's requests to settle before the next step begins, and an aborted
    request is an error."""

    def __init__(self, page, site) -> None:
        self.page = page
        self.site = site
        self.hits: list[Hit] = []
        self.errors: list[str] = []
        self.pending: set = set()
        page.on("request", self._sent)
        page.on("requestfinished", lambda request: self.pending.discard(request))
        page.on("requestfailed", self._failed)
        page.on("response", self._seen)
        page.on("pageerror", lambda error: self.errors.append(str(error)))

    @staticmethod
    def _ours(url: str) -> bool:
        return not urlsplit(url).path.startswith(("/static/", "/media-store/"))

    def _sent(self, request) -> None:
        if self._ours(request.url):
            self.pending.add(request)

    def _failed(self, request) -> None:
        if request in self.pending:
            self.pending.discard(request)
            self.errors.append(f"{request.method} {request.url}: {request.failure}")

    def _seen(self, response) -> None:
        served = response.headers.get(SERVED_BY.lower())
        path = urlsplit(response.url).path
        if not served or not self._ours(response.url):
            return
        self.hits.append(
            Hit(
                response.request.method,
                path,
                response.status,
                self.site.web_of(served),
                response.headers.get("x-page-cache", ""),
            )
        )

    def settle(self, timeout: float = 30) -> None:
        """Wait until every request the page sent has been answered."""
        deadline = time.monotonic() + timeout
        while self.pending:
            assert time.monotonic() < deadline, f"never answered: {self.pending}"
            self.page.wait_for_timeout(50)

    def mark(self) -> int:
        self.settle()
        return len(self.hits)

    def since(self, mark: int) -> list[Hit]:
        return self.hits[mark:]

    def write_then_read(self, mark: int, method: str = "POST") -> tuple[Hit, Hit]:
        """The step's write (the first `method` answer since `mark`) and the
        page the shopper was sent to after it."""
        hits = self.since(mark)
        index = next(i for i, hit in enumerate(hits) if hit.method == method)
        write = hits[index]
        assert 300 <= write.status < 400, f"{write} did not redirect"
        read = hits[index + 1]
        return write, read


def _request_line(request: str) -> tuple[str, str]:
    """(method, path) from nginx's `$request`, "GET /shop/?q=1 HTTP/1.1"."""
    method, target = request.split(" ")[:2]
    return method, urlsplit(target).path


@pytest.mark.parametrize(
    "slow_web",
    [None, "web-b"],
    ids=["both-quick", "one-slow"],
)
def test_a_journey_alternating_between_two_processes(both, browser, product, people, slow_web):
    """With one process slow (150 ms on each of its database round trips, as
    on a loaded machine), its answers to the page's own fetches arrive after
    the shopper has moved on unless the trail waits for them: that is how
    this test once failed in CI with one request nginx logged and the
    browser never saw."""
    site = both

    def shoppers_orders() -> set[str]:
        rows = site.sql(
            "SELECT o.number FROM order_order o JOIN auth_user u ON u.id = o.user_id "
            "WHERE u.email = %s",
            (people.shopper_email,),
        )
        return {row[0] for row in rows}

    orders_before = shoppers_orders()
    if slow_web:
        site.web_fault_apply(slow_web, "postgres", "latency", latency=150)
    started = time.time()
    context = browser.new_context(viewport={"width": 1280, "height": 900})
    page = context.new_page()
    trail = Trail(page, site)
    steps: list[str] = []

    # browse: the home page, the shop, a product
    for path in ("/", "/shop/", product.path):
        page.goto(site.base_url + path)
        trail.settle()
    page.locator("#add_to_basket_form").wait_for()
    browsed = trail.since(0)
    assert {hit.web for hit in browsed} == set(site.WEBS), browsed
    steps.append("browse: " + ", ".join(f"{h.path} on {h.web}" for h in browsed))

    # add to basket: the script fetches a CSRF token from one process and
    # posts with it to the other; the flash message the POST left is shown
    # by the page after it, from the first process again
    mark = trail.mark()
    with page.expect_navigation():
        page.get_by_role("button", name="Thêm vào giỏ").first.click()
    page.wait_for_load_state()
    token = next(hit for hit in trail.since(mark) if hit.path == "/csrf-token/")
    added, shown = trail.write_then_read(mark)
    assert token.web != added.web, "the CSRF token and its POST came from one process"
    assert added.web != shown.web
    assert page.locator("#messages .alert-success").count() > 0, "no basket message"
    steps.append(
        f"add to basket: token from {token.web}, POST on {added.web}, message shown by {shown.web}"
    )
    mark = trail.mark()
    page.goto(site.base_url + "/shop/basket/")
    basket = trail.since(mark)[0]
    assert page.get_by_test_id("basket-subtotal").inner_text().strip()
    steps.append(f"basket page on {basket.web}")

    # sign in: the session the POST wrote is read by the other process
    mark = trail.mark()
    page.goto(site.base_url + "/shop/accounts/login/")
    page.locator("#id_login-username").fill(people.shopper_email)
    page.locator("#id_login-password").fill(people.password)
    with page.expect_navigation():
        page.locator("#login_form button[type=submit]").click()
    page.wait_for_load_state()
    form = trail.since(mark)[0]
    signed_in, landed = trail.write_then_read(mark)
    assert form.web != signed_in.web, "the login form and its POST came from one process"
    assert signed_in.web != landed.web
    assert page.get_by_test_id("logout").count() > 0, "not signed in"
    steps.append(
        f"sign in: form from {form.web}, POST on {signed_in.web}, signed in on {landed.web}"
    )

    # check out cash on delivery: the basket (merged into the account's at
    # sign-in) is placed by one process, the thank-you page read by the other
    mark = trail.mark()
    page.goto(site.base_url + "/shop/checkout/")
    page.get_by_label("Họ và tên người nhận").fill("Khách nhiều máy")
    page.get_by_label("Số điện thoại").fill("0912 345 678")
    page.get_by_label("Tỉnh/thành phố").select_option("Hà Nội")
    page.get_by_label("Xã/phường").fill("Phường Tây Hồ")
    page.get_by_label("Số nhà, tên đường").fill("12 Quảng An")
    page.get_by_label("Thanh toán khi nhận hàng (COD)").check()
    page.get_by_test_id("order-total").wait_for()
    page.wait_for_function(
        "() => document.querySelector('[data-checkout-summary]')"
        ".getAttribute('aria-busy') !== 'true'"
    )
    with page.expect_navigation(url="**/checkout/thank-you/"):
        page.get_by_test_id("place-order").click()
    checkout_form = trail.since(mark)[0]
    placed, thanked = trail.write_then_read(mark)
    assert placed.web != thanked.web
    number = page.get_by_test_id("order-number").inner_text().strip()
    assert number
    steps.append(
        f"checkout: form from {checkout_form.web}, order placed on {placed.web}, "
        f"thank-you on {thanked.web}"
    )

    # follow the order
    mark = trail.mark()
    page.get_by_test_id("order-status-link").click()
    page.get_by_test_id("order-summary").wait_for()
    assert "Đã đặt" in page.get_by_test_id("parcel-status").inner_text()
    status = trail.since(mark)[0]
    steps.append(f"order status on {status.web}")
    trail.settle()
    context.close()

    # one new order, the shopper's
    assert shoppers_orders() - orders_before == {number}
    assert not trail.errors, trail.errors

    # nginx's own account: every request went to the other process than the
    # one before it, and the browser saw the same
    served = site.wait_served(len(trail.hits), since=started)
    webs = [site.web_of(entry.upstream) for entry in served]
    repeats = [(served[i - 1], served[i]) for i in range(1, len(webs)) if webs[i] == webs[i - 1]]
    assert not repeats, f"consecutive requests on one process: {repeats}"
    seen = Counter((hit.method, hit.path, hit.web) for hit in trail.hits)
    keyed = [(_request_line(e.request) + (web,), e) for e, web in zip(served, webs, strict=True)]
    logged = Counter(key for key, _ in keyed)
    assert seen == logged, (
        f"only the browser saw {list((seen - logged).elements())}; "
        f"only nginx logged {[e for key, e in keyed if key in logged - seen]}"
    )
    print("\n".join(["", *steps, f"{len(webs)} requests, alternating: {' '.join(webs)}"]))

"""Two shoppers in two browsers: the one without a basket is served the
shared copy of each page, and neither ever sees the other's basket, name,
messages or CSRF token (issue 14). The page cache is on (real Redis)."""

from django.contrib.auth import get_user_model


def _basket_count(page) -> str:
    return page.get_by_test_id("basket-link").locator(".basket-link__count").inner_text()


def _csrf(context) -> str | None:
    return next((c["value"] for c in context.cookies() if c["name"] == "csrftoken"), None)


def test_two_shoppers_never_see_each_other(browser, live_demo):
    get_user_model().objects.create_user(
        "lan@example.vn", "lan@example.vn", "mat-khau-cua-Lan-2026", first_name="Lan"
    )
    alice, bob = browser.new_context(), browser.new_context()
    a, b = alice.new_page(), bob.new_page()

    # Bob, with no cookies, warms the shared copies
    for path in ("/", "/shop/"):
        assert b.goto(live_demo.url + path).ok

    # Alice signs in and puts a product in her basket
    a.goto(live_demo.url + "/shop/accounts/login/")
    a.fill("#id_login-username", "lan@example.vn")
    a.fill("#id_login-password", "mat-khau-cua-Lan-2026")
    a.locator("button[name=login_submit]").click()
    a.wait_for_load_state()
    a.goto(live_demo.url + "/shop/")
    with a.expect_navigation():
        a.get_by_test_id("product-card").first.get_by_role("button").click()
    assert _basket_count(a) == "1"

    # Bob's pages are the shared copies, with none of Alice in them
    for path in ("/", "/shop/"):
        response = b.goto(live_demo.url + path)
        # the shared copy, or the browser's own copy of it confirmed by a 304
        assert response.headers.get("x-page-cache") in ("hit", "revalidated"), path
        assert _basket_count(b) == "0"
        html = b.content()
        assert "Đăng xuất" not in html and "lan@example.vn" not in html
        assert "alert-success" not in html
        token = _csrf(alice)
        assert token is None or token not in html

    # Bob adds his own product: he sees his basket, Alice keeps hers
    # (Bob has no CSRF cookie yet: the page's script fetches his token first)
    with b.expect_navigation():
        b.get_by_test_id("product-card").nth(1).get_by_role("button").click()
    assert _basket_count(b) == "1"
    a.goto(live_demo.url + "/shop/")
    assert _basket_count(a) == "1"
    assert _csrf(alice) != _csrf(bob)
    # and Bob, now with a basket, is no longer served a shared page
    status = b.goto(live_demo.url + "/shop/").headers.get("x-page-cache")
    assert status not in ("hit", "revalidated")
    alice.close()
    bob.close()


def test_without_javascript_a_card_adds_through_a_confirm_step(browser, live_demo):
    context = browser.new_context(java_script_enabled=False)
    page = context.new_page()
    page.goto(live_demo.url + "/shop/")
    page.get_by_test_id("product-card").first.get_by_role("button").click()
    page.wait_for_load_state()
    # a per-visitor page with a real form
    page.locator("main form[method=post] button[type=submit]").first.click()
    page.wait_for_load_state()
    assert _basket_count(page) == "1"
    context.close()

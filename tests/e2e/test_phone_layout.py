"""The shop on a 390 px phone (issue 15, finding 8): card buttons cut off
("Thêm vào giỏ h…"), the OCOP badge clipped, and a menu that scrolled
sideways and hid its last links."""

import pytest

pytestmark = pytest.mark.e2e

CLIPPED = """() => {
    const out = [];
    const wider = el => el.scrollWidth > el.clientWidth + 1;
    document.querySelectorAll('.product-card').forEach((card, n) => {
        const box = card.getBoundingClientRect();
        card.querySelectorAll('.product-card__buy .btn').forEach(btn => {
            if (wider(btn)) out.push(`card ${n}: button "${btn.textContent.trim()}" cut off`);
        });
        card.querySelectorAll('.ocop-badge').forEach(badge => {
            const right = badge.getBoundingClientRect().right;
            if (right > box.right + 1) out.push(`card ${n}: badge clipped`);
        });
    });
    const nav = document.querySelector('.site-nav .container');
    if (nav && wider(nav)) out.push('menu scrolls sideways');
    nav && nav.querySelectorAll('a').forEach(a => {
        const r = a.getBoundingClientRect();
        const name = a.textContent.trim();
        if (r.right > window.innerWidth + 1) out.push(`menu link "${name}" off screen`);
    });
    const page = document.documentElement.scrollWidth;
    if (page > window.innerWidth) out.push('page wider than the screen');
    return out;
}"""


@pytest.mark.parametrize("path", ["/shop/", "/shop/search/?q=gom"])
def test_cards_and_menu_fit_a_phone(browser, live_demo, path):
    page = browser.new_page(viewport={"width": 390, "height": 844})
    page.goto(live_demo.url + path)
    page.get_by_test_id("product-card").first.wait_for()
    assert page.evaluate(CLIPPED) == []
    page.close()

"""The main pages in each language carry no words of the other (issue 15,
finding 3): "Page 1 of 12" and "Your basket total is now…" in Vietnamese
mode, untranslated filters, certificate panel and fair pages in English.

The page text is read as a visitor sees it (`innerText`), minus the
content people wrote (product and producer names, and everything an
organizer wrote, which the templates mark `lang="vi"`): that is data, shown
as written in both languages, not interface.
"""

import re

import pytest
from django.urls import reverse

pytestmark = pytest.mark.e2e

# Interface words that give English away on a Vietnamese page.
ENGLISH_ON_VIETNAMESE = re.compile(
    r"\b(Add to (basket|cart|wish ?list)|Basket|Page \d+ of|Your basket|Search|Sort by|"
    r"Price|Quantity|Reviews?|Checkout|Continue|Sign in|Log ?in|Register|Total|"
    r"In stock|Out of stock|Available|Products?|Home|Next|Previous|Description|"
    r"Shipping|Certificate|Producer|Delivery|Remove|Update|Order|Filter)\b"
)
# Interface words that give Vietnamese away on an English page.
VIETNAMESE_ON_ENGLISH = re.compile(
    r"(Giỏ hàng|Thêm vào giỏ|Tìm kiếm|Đăng nhập|Đăng ký|Sắp xếp|Thanh toán|"
    r"Phí vận chuyển|Trang chủ|Tất cả sản phẩm|Còn hàng|Hết hàng|Xem tất cả|"
    r"Chứng nhận OCOP|Hiệu lực|Mô tả|Đánh giá|Số lượng|Bộ lọc|Ngày cấp|Hạng sao|"
    r"Tiếp theo|Trang trước|Trang sau|Tổng cộng|Tạm tính|Địa chỉ|Sự kiện|Hội chợ|"
    r"Làng nghề|Xem thêm|Chủ thể|Tỉnh/thành|Mức giá|Nhóm sản phẩm|Ngành|"
    # the categories, named after the OCOP sectors
    r"Thực phẩm|Đồ uống|Thảo dược|Thủ công mỹ nghệ)",
    re.IGNORECASE,
)
# What people wrote, shown as they wrote it in every language.
DATA_SELECTORS = ", ".join(
    [
        ".product-card__title",
        ".product-card__producer",
        "body [lang]",
        "h1",
        "title",
        "[data-testid=product-title]",
        ".breadcrumb li:last-child",
        ".facet__value-label",
    ]
)
VISIBLE_TEXT = """(selectors) => {
    const clone = document.body.cloneNode(true);
    clone.querySelectorAll(selectors).forEach(el => el.remove());
    clone.querySelectorAll('script, style, noscript, [hidden]').forEach(el => el.remove());
    document.body.appendChild(clone);
    clone.style.position = 'absolute';
    const text = clone.innerText;
    clone.remove();
    return text;
}"""


def _pages(live_url):
    from oscar.core.loading import get_model

    from cms.pages.events import EventPage
    from cms.pages.fairs import FairPage
    from cms.pages.villages import CraftVillagePage

    Product = get_model("catalogue", "Product")
    Category = get_model("catalogue", "Category")
    product = Product.objects.listable().select_related("certificate").order_by("pk").first()
    paths = [
        "/",
        reverse("catalogue:index"),
        Category.objects.order_by("depth", "path").first().get_absolute_url(),
        product.get_absolute_url(),
        reverse("search:search") + "?q=gom",
        reverse("certificate-lookup") + "?so=" + product.certificate.number,
        reverse("customer:login"),
    ]
    for model in (FairPage, EventPage, CraftVillagePage):
        page = model.objects.live().first()
        if page is not None:
            paths.append(page.url)
    return [live_url + p for p in paths], product


def _offending(page, pattern):
    """Each offending word with the line it sits in, to find it fast."""
    text = page.evaluate(VISIBLE_TEXT, DATA_SELECTORS)
    found = set()
    for m in pattern.finditer(text):
        start = text.rfind("\n", 0, m.start()) + 1
        end = text.find("\n", m.end())
        found.add(f"{m.group(0)} in {text[start : end if end >= 0 else None][:80]!r}")
    return sorted(found)


@pytest.mark.parametrize(
    "language,pattern",
    [("vi", ENGLISH_ON_VIETNAMESE), ("en", VIETNAMESE_ON_ENGLISH)],
    ids=["vi", "en"],
)
def test_main_pages_speak_one_language(browser, live_demo, language, pattern):
    urls, product = _pages(live_demo.url)
    context = browser.new_context(viewport={"width": 1280, "height": 900})
    context.add_cookies([{"name": "django_language", "value": language, "url": live_demo.url}])
    page = context.new_page()
    found = {}
    for url in urls:
        page.goto(url)
        assert page.locator("html").get_attribute("lang") == language
        words = _offending(page, pattern)
        if words:
            found[url.removeprefix(live_demo.url)] = words
    # the basket and checkout, with something in the basket
    page.goto(live_demo.url + product.get_absolute_url())
    with page.expect_navigation():  # js/basket-add.js posts, Oscar says what it did
        page.locator("#add_to_basket_form button[type=submit]").first.click()
    page.wait_for_load_state()
    words = _offending(page, pattern)
    if words:
        found["after adding to the basket"] = words
    for path in (reverse("basket:summary"), reverse("checkout:index")):
        page.goto(live_demo.url + path)
        words = _offending(page, pattern)
        if words:
            found[path] = words
    context.close()
    assert not found, found

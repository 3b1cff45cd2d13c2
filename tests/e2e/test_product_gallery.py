"""The product page's gallery in a real browser with scripts off (issue 15,
finding 12): a thumbnail is a plain link that brings its photo into view, at
390 px and 1280 px, and the page stays within the screen."""

import io

import pytest
from django.core.files.base import ContentFile
from oscar.core.loading import get_model
from PIL import Image

from tests.factories import certified_product_create

ProductImage = get_model("catalogue", "ProductImage")

pytestmark = pytest.mark.e2e


def _jpeg(shade: int) -> bytes:
    out = io.BytesIO()
    Image.new("RGB", (480, 480), (180, 60 + 40 * shade, 40)).save(out, format="JPEG")
    return out.getvalue()


SHOWN = """() => {
    const strip = document.querySelector('.product-gallery__slides').getBoundingClientRect();
    return [...document.querySelectorAll('[data-testid="gallery-photo"]')].map(slide => {
        const box = slide.getBoundingClientRect();
        return Math.abs(box.left - strip.left) < 2;
    });
}"""


@pytest.fixture
def product(transactional_db):
    product = certified_product_create(title="Bộ ấm chén men lam Bát Tràng")
    for order in range(3):
        image = ProductImage(product=product, display_order=order)
        image.original.save(f"p{order}.jpg", ContentFile(_jpeg(order)))
    return product


@pytest.mark.parametrize("width", [390, 1280])
def test_thumbnails_switch_the_photo_without_scripts(browser, live_server, product, width):
    context = browser.new_context(
        viewport={"width": width, "height": 844}, java_script_enabled=False
    )
    page = context.new_page()
    page.goto(live_server.url + product.get_absolute_url())
    # given the first photo shown
    assert page.evaluate(SHOWN) == [True, False, False]
    # when the third thumbnail is tapped
    page.get_by_test_id("gallery-thumb").nth(2).click()
    # then the third photo is the one shown, in view below the sticky header
    for _ in range(50):  # the strip scrolls smoothly; scripts are off, so poll from here
        if page.evaluate(SHOWN) == [False, False, True]:
            break
        page.wait_for_timeout(100)
    assert page.evaluate(SHOWN) == [False, False, True]
    header = page.locator(".site-header").bounding_box()
    photo = page.get_by_test_id("gallery-photo").nth(2).bounding_box()
    assert photo["y"] >= header["y"] + header["height"] - 1
    assert page.evaluate("document.documentElement.scrollWidth <= window.innerWidth")
    context.close()

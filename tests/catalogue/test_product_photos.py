"""Product photos in the shop (issue 15, finding 12): a product without a
photo shows its sector's illustration, not Oscar's "image not found" tile
(nor a star on a gradient); the product page shows every photo, switched by
thumbnails that are plain links, with no script."""

import io
import re
import uuid

import pytest
from django.core.files.base import ContentFile
from oscar.core.loading import get_model
from PIL import Image

from marketplace.ocop.models import Certificate
from tests.factories import certified_product_create

ProductImage = get_model("catalogue", "ProductImage")

pytestmark = pytest.mark.django_db


def _jpeg(shade: int) -> bytes:
    out = io.BytesIO()
    Image.new("RGB", (480, 480), (180, 60 + 40 * shade, 40)).save(out, format="JPEG")
    return out.getvalue()


@pytest.fixture(autouse=True)
def _media(settings, tmp_path):
    settings.MEDIA_ROOT = str(tmp_path / "media")


def _photo_add(product, order: int) -> None:
    image = ProductImage(product=product, display_order=order)
    image.original.save(f"p{order}.jpg", ContentFile(_jpeg(order)))


def _card(html: str, product) -> str:
    start = html.rindex('data-testid="product-card"', 0, html.index(product.get_absolute_url()))
    return html[start : html.index("</article>", start)]


def test_a_card_without_a_photo_shows_its_sector_illustration(client):
    # given a certified food product without any photo, beside one with a photo
    plain = certified_product_create(title="Gạo tám thơm", product_type="food")
    Certificate.objects.filter(product=plain).update(sector="food")
    shot = certified_product_create(title="Bình gốm men lam")
    _photo_add(shot, 0)
    # when the catalogue lists them
    html = client.get("/shop/").content.decode()
    # then the plain one shows the food illustration, never Oscar's placeholder
    card = _card(html, plain)
    assert 'data-testid="sector-illustration"' in card and "img/sectors/food.svg" in card
    assert "image_not_found" not in html
    # and the other its photo's thumbnail
    shot_card = _card(html, shot)
    assert "sector-illustration" not in shot_card and "/media/cache/" in shot_card


def test_a_product_without_a_sector_gets_the_generic_illustration(client):
    plain = certified_product_create(title="Sản phẩm chưa rõ ngành")
    html = client.get(plain.get_absolute_url()).content.decode()
    gallery = html[html.index('data-testid="product-gallery"') :]
    assert "img/sectors/generic.svg" in gallery[: gallery.index("</div>")]
    assert "image_not_found" not in html


def test_the_product_page_gallery_shows_every_photo_and_links_that_switch_them(client):
    # given a product with three photos
    product = certified_product_create(title="Bộ ấm chén Bát Tràng")
    for order in range(3):
        _photo_add(product, order)
    # when its page is shown
    html = client.get(product.get_absolute_url()).content.decode()
    start = html.index('data-testid="product-gallery"')
    gallery = html[start : html.index("</ol>", start)]
    # then each photo is a slide with an anchor, and each thumbnail a plain
    # link to one, in order, with no carousel script hooks
    slides = re.findall(r'id="(anh-\d)" data-testid="gallery-photo"', gallery)
    thumbs = re.findall(r'<a href="#(anh-\d)" data-testid="gallery-thumb"', gallery)
    assert slides == thumbs == ["anh-1", "anh-2", "anh-3"]
    assert "data-slide" not in gallery and "carousel" not in gallery
    assert "sector-illustration" not in gallery


def test_a_single_photo_needs_no_thumbnails(client):
    product = certified_product_create(title="Lụa Vạn Phúc")
    _photo_add(product, 0)
    html = client.get(product.get_absolute_url()).content.decode()
    assert html.count('data-testid="gallery-photo"') == 1
    assert 'data-testid="gallery-thumb"' not in html


def _file_delete(image) -> None:
    image.original.storage.delete(image.original.name)


def _file_spoil(image) -> None:
    with open(image.original.path, "wb") as out:
        out.write(b"not an image")


@pytest.mark.parametrize("break_file", [_file_delete, _file_spoil], ids=["gone", "unreadable"])
def test_a_photo_whose_file_is_gone_or_unreadable_shows_the_sector_illustration(client, break_file):
    # given a food product whose photo row is there but whose file was
    # deleted from storage (or is not an image) before any thumbnail of it
    # was made
    product = certified_product_create(title="Chè Thái Nguyên", sector="food")
    image = ProductImage(product=product, display_order=0)
    image.original.save(f"p-{uuid.uuid4().hex}.jpg", ContentFile(_jpeg(0)))
    break_file(image)
    # when its page and the catalogue listing are asked for
    page = client.get(product.get_absolute_url())
    listing = client.get("/shop/")
    # then both render, showing the food illustration where the photo was
    assert page.status_code == listing.status_code == 200
    html = page.content.decode()
    gallery = html[html.index('data-testid="product-gallery"') :]
    gallery = gallery[: gallery.index("</div>")]
    assert "img/sectors/food.svg" in gallery and "/media/cache/" not in gallery
    card = _card(listing.content.decode(), product)
    assert "img/sectors/food.svg" in card and "/media/cache/" not in card

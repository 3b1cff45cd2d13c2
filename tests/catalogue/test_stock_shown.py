"""The product page says how much is left only when little is left, so an
order does not change (and un-cache) every page showing a well-stocked
product."""

import re

import pytest
from oscar.core.loading import get_class

from marketplace.pagecache.generation import LOW_STOCK_SHOWN
from tests.factories import certified_product_create

Selector = get_class("partner.strategy", "Selector")

pytestmark = pytest.mark.django_db


def _availability(units: int):
    product = certified_product_create(title="Miến dong Cự Đà", num_in_stock=units)
    strategy = Selector().strategy()
    return strategy.fetch_for_product(product).availability


@pytest.mark.parametrize(
    ("units", "message", "buyable"),
    [
        (LOW_STOCK_SHOWN + 83, "Còn hàng", True),
        (LOW_STOCK_SHOWN + 1, "Còn hàng", True),
        (LOW_STOCK_SHOWN, f"Chỉ còn {LOW_STOCK_SHOWN} sản phẩm", True),
        (1, "Chỉ còn 1 sản phẩm", True),
        (0, "Hết hàng", False),
    ],
)
def test_stock_is_shown_in_bands(units, message, buyable):
    availability = _availability(units)
    assert availability.message == message
    assert availability.is_available_to_buy is buyable


def test_what_may_be_bought_is_still_the_exact_stock():
    availability = _availability(LOW_STOCK_SHOWN + 5)
    assert availability.is_purchase_permitted(LOW_STOCK_SHOWN + 5) == (True, "")
    allowed, reason = availability.is_purchase_permitted(LOW_STOCK_SHOWN + 6)
    assert not allowed and reason


def test_the_product_page_shows_the_band_not_the_count(client):
    plenty = certified_product_create(title="Ô mai Hàng Đường", num_in_stock=93)
    few = certified_product_create(title="Bánh gai Ninh Giang", num_in_stock=4)
    html = client.get(plenty.get_absolute_url()).content.decode()
    # 93 as a number of its own, outside the JSON-LD: ids and SKUs may hold "93"
    page = re.sub(r"<script.*?</script>", " ", html, flags=re.S)
    assert "Còn hàng" in page and not re.search(r"(?<![\w.,/-])93(?![\w.,])", page)
    html = client.get(few.get_absolute_url()).content.decode()
    assert "Chỉ còn 4 sản phẩm" in html

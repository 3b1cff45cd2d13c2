"""What organizers meet in the page editor (issue 15, finding 9): the
product chooser tells same-named products apart, and a products block is
hand-picked or a query, never silently both."""

import pytest
from django.urls import reverse
from wagtail.blocks import StructBlockValidationError

from cms.blocks import ProductsBlock
from tests.cms.conftest import products_block
from tests.factories import certified_product_create, producer_create

pytestmark = pytest.mark.django_db


def test_the_product_chooser_shows_each_products_producer_and_stars(admin_client):
    certified_product_create(
        title="Chè búp Thái Nguyên", producer=producer_create("HTX Chè Tân Cương"), stars=5
    )
    certified_product_create(
        title="Chè búp Thái Nguyên", producer=producer_create("HTX Chè La Bằng"), stars=3
    )
    html = admin_client.get(
        reverse("product_chooser:choose_results"), {"q": "che bup"}
    ).content.decode()
    assert "HTX Chè Tân Cương" in html and "HTX Chè La Bằng" in html
    assert "5★" in html and "3★" in html


def test_a_products_block_is_hand_picked_or_a_query_never_both():
    product = certified_product_create(title="Gốm men lam")
    block = ProductsBlock()
    both = block.to_python(products_block(products=[product], min_stars="5")["value"])
    with pytest.raises(StructBlockValidationError) as refused:
        block.clean(both)
    assert "min_stars" in refused.value.block_errors
    # each on its own is fine
    block.clean(block.to_python(products_block(products=[product])["value"]))
    block.clean(block.to_python(products_block(min_stars="5")["value"]))

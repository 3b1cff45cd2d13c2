"""The product page of our own (issue 15, finding 5): no tax table (VND
prices include VAT), a quantity box, a wish list that tells guests why to
sign in, and more from the same producer and sector, through `listable()`."""

from datetime import date, timedelta
from decimal import Decimal

import pytest

from marketplace.ocop.models import Certificate
from tests.factories import certified_product_create, producer_create

pytestmark = pytest.mark.django_db


@pytest.fixture
def family():
    lang = producer_create("HTX Gốm Bát Tràng")
    other = producer_create("HTX Gốm Chu Đậu")
    main = certified_product_create(title="Bình hút lộc", producer=lang, price=Decimal("450000"))
    sibling = certified_product_create(title="Ấm chén men lam", producer=lang)
    expired = certified_product_create(title="Đĩa cổ hết hạn", producer=lang)
    Certificate.objects.filter(product=expired).update(
        issued_on=date.today() - timedelta(days=1200), expiry_date=date.today() - timedelta(days=1)
    )
    cousin = certified_product_create(title="Lọ hoa Chu Đậu", producer=other)
    Certificate.objects.filter(product__in=[main, sibling, expired, cousin]).update(
        sector="handicraft"
    )
    return main, sibling, expired, cousin


def test_the_product_page_shows_the_price_with_vat_and_no_tax_table(client, family):
    html = client.get(family[0].get_absolute_url()).content.decode()
    assert 'data-testid="product-facts"' in html and "đã gồm VAT" in html
    for tax_row in ("Price (excl. tax)", "chưa thuế", "Giá (chưa", ">Thuế<", "Tax<"):
        assert tax_row not in html, tax_row


def test_the_product_page_has_a_quantity_box(client, family):
    html = client.get(family[0].get_absolute_url()).content.decode()
    form = html[html.index('id="add_to_basket_form"') :]
    form = form[: form.index("</form>")]
    assert 'name="quantity"' in form and 'type="hidden" name="quantity"' not in form


def test_a_guest_is_told_why_and_how_to_use_the_wish_list(client, family):
    html = client.get(family[0].get_absolute_url()).content.decode()
    assert 'data-testid="wishlist-guest"' in html and "Đăng nhập" in html
    assert 'disabled="disabled" title="Please login' not in html


def test_more_from_the_producer_and_the_sector_shows_only_listable_products(client, family):
    main, sibling, expired, cousin = family
    html = client.get(main.get_absolute_url()).content.decode()
    start = html.index('data-testid="from-producer"')
    from_producer = html[start : html.index("</section>", start)]
    assert sibling.get_absolute_url() in from_producer
    assert expired.get_absolute_url() not in html
    assert main.get_absolute_url() not in from_producer
    start = html.index('data-testid="related-products"')
    related = html[start : html.index("</section>", start)]
    assert cousin.get_absolute_url() in related and sibling.get_absolute_url() not in related

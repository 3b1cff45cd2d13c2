"""Product blocks resolve through the listing rule each time a page renders:
a published page drops a product when its certificate lapses, with no edit."""

from datetime import timedelta

import pytest

from cms.models import FairPage
from marketplace.ocop import dates as ocop_dates
from marketplace.ocop.dates import today_in_vietnam
from marketplace.ocop.models import Sector
from tests.cms.conftest import fair_add, products_block, village_add
from tests.factories import certified_product_create, producer_create

pytestmark = pytest.mark.django_db


def test_a_published_block_drops_a_product_the_day_after_its_certificate_expires(
    client, fair_index, monkeypatch
):
    # given a published fair whose block chose a product expiring today and another
    today = today_in_vietnam()
    expiring = certified_product_create(title="Nước mắm Cát Hải", expiry_date=today)
    lasting = certified_product_create(title="Chè Shan tuyết Mộc Châu")
    fair = fair_add(
        fair_index, body=[products_block(heading="Gian hàng", products=[expiring, lasting])]
    )
    revision = fair.latest_revision_id
    # when a visitor opens it today, both are there
    html = client.get(fair.url).content.decode()
    assert 'data-testid="products-block"' in html
    assert "Nước mắm Cát Hải" in html and "Chè Shan tuyết Mộc Châu" in html
    # when the next day comes, and nobody edits the page
    monkeypatch.setattr(ocop_dates, "today_in_vietnam", lambda: today + timedelta(days=1))
    html = client.get(fair.url).content.decode()
    # then the expired product is gone and the other stays
    assert "Nước mắm Cát Hải" not in html
    assert "Chè Shan tuyết Mộc Châu" in html
    assert FairPage.objects.get(pk=fair.pk).latest_revision_id == revision


def test_a_block_whose_products_all_lapsed_renders_nothing(client, fair_index):
    gone = certified_product_create(title="Mật ong bạc hà", status="withdrawn")
    fair = fair_add(fair_index, body=[products_block(heading="Gian hàng", products=[gone])])
    html = client.get(fair.url).content.decode()
    assert 'data-testid="products-block"' not in html and "Gian hàng" not in html


def test_a_query_block_shows_only_listable_products_matching_sector_stars_and_village(
    client, fair_index, village_index
):
    # given a village with one producer, and products in and out of the query
    inside = producer_create("HTX Gốm Bát Tràng")
    outside = producer_create("HTX Gốm Phù Lãng", province="Bắc Ninh")
    village = village_add(
        village_index,
        title="Làng gốm Bát Tràng",
        craft="Gốm",
        province="Hà Nội",
        producers=[inside],
    )
    craft = {"sector": Sector.HANDICRAFT}
    certified_product_create(title="Bình hút lộc men lam", producer=inside, stars=5, **craft)
    certified_product_create(title="Ấm chén men rạn", producer=inside, stars=4, **craft)
    certified_product_create(title="Lọ hoa ba sao", producer=inside, stars=3, **craft)
    certified_product_create(title="Bánh gai làng", producer=inside, stars=5, sector=Sector.FOOD)
    certified_product_create(
        title="Đĩa sứ hết hạn",
        producer=inside,
        stars=5,
        expiry_date=today_in_vietnam() - timedelta(days=1),
        **craft,
    )
    certified_product_create(title="Chum sành Phù Lãng", producer=outside, stars=5, **craft)
    fair = fair_add(
        fair_index,
        body=[
            products_block(
                heading="Gốm làng", sector=Sector.HANDICRAFT, min_stars="4", village=village.pk
            )
        ],
    )
    # when the page renders
    html = client.get(fair.url).content.decode()
    # then only listable handicrafts of 4★+ from the village's producers show
    assert "Bình hút lộc men lam" in html and "Ấm chén men rạn" in html
    for title in ("Lọ hoa ba sao", "Bánh gai làng", "Đĩa sứ hết hạn", "Chum sành Phù Lãng"):
        assert title not in html
    # best-rated first
    assert html.index("Bình hút lộc men lam") < html.index("Ấm chén men rạn")

"""Query ceilings for the CMS shopper pages (issue 14), on enough data that a
query per product, producer or block would show: 30 products from three
producers, a fair with a query block, a chosen block and three exhibitors,
an event with a query block, a craft village of three producers, and the
home page over all of them.

Each page is measured as its first visitor sees it (nothing cached yet), on
the database search backend, which is what answers when OpenSearch is down
(OpenSearch itself costs no SQL). The ceilings sit just above what was
measured; a page that goes past one has grown a query per item, or a new
query worth a look."""

import json

import pytest
from django.test import Client

from marketplace.ocop.models import Sector
from tests.cms.conftest import event_add, fair_add, products_block, village_add
from tests.factories import certified_product_create, producer_create

pytestmark = pytest.mark.django_db

# measured: home 28, fair 36, event 25, village 27
CEILINGS = {"home": 29, "fair": 37, "event": 26, "village": 28}


@pytest.fixture
def pages(settings, home_page, fair_index, event_index, village_index):
    settings.OPENSEARCH_URL = ""
    producers = [producer_create(f"HTX làng nghề {n}") for n in range(3)]
    products = [
        certified_product_create(
            title=f"Sản phẩm làng {n}",
            producer=producers[n % 3],
            stars=3 + n % 3,
            sector=Sector.HANDICRAFT if n % 2 else Sector.FOOD,
        )
        for n in range(30)
    ]
    fair = fair_add(
        fair_index,
        body=[
            products_block(heading="Đặc sản Hà Nội", province="Hà Nội", limit=24),
            products_block(heading="Gian hàng chọn", products=products[:6]),
        ],
        exhibitors=json.dumps([{"type": "producer", "value": p.pk} for p in producers]),
    )
    event = event_add(
        event_index,
        body=[products_block(heading="Thủ công", sector=Sector.HANDICRAFT, min_stars="4")],
    )
    village = village_add(
        village_index, title="Làng nghề ba nhà", craft="Gốm", province="Hà Nội", producers=producers
    )
    return {"home": "/", "fair": fair.url, "event": event.url, "village": village.url}


@pytest.mark.parametrize("page", sorted(CEILINGS))
def test_a_cms_page_stays_under_its_query_ceiling(pages, page, django_assert_max_num_queries):
    with django_assert_max_num_queries(CEILINGS[page]):
        response = Client().get(pages[page])
    assert response.status_code == 200
    assert response.content.decode().count('data-testid="product-card"') >= 6

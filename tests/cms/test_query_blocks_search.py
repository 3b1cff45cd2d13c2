"""Query-mode product blocks and craft-village pages ask the search backend
(issue 14): the block's province and the village's producers become exact
filters on indexed fields, OpenSearch answers with the listing rule applied
for today, and the database answers the same when OpenSearch is down,
through indexes rather than by reading the whole catalogue."""

from datetime import timedelta

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext

import cms.selectors
from marketplace.ocop.dates import today_in_vietnam
from search.backends import search_backend as real_search_backend
from search.backends.resilient import breaker_trip
from search.indexing import index_rebuild
from tests.bulk_catalogue import (
    catalogue_bulk_create,
    indexes_used,
    query_plan,
    whole_table_reads,
)
from tests.cms.conftest import fair_add, products_block, village_add
from tests.factories import certified_product_create, producer_create

pytestmark = pytest.mark.django_db


@pytest.fixture
def asked(monkeypatch):
    """Every search request the CMS selectors send; the real backend answers."""
    requests = []

    class Spy:
        def __init__(self):
            self.backend = real_search_backend()

        def search(self, request):
            requests.append(request)
            return self.backend.search(request)

    monkeypatch.setattr(cms.selectors, "search_backend", Spy)
    return requests


@pytest.fixture(params=["opensearch", "database"])
def search_ready(request, settings):
    """Search on OpenSearch (call it once the data is in: it builds the
    index) or, with OpenSearch not configured, on the database."""
    if request.param == "opensearch":
        client = request.getfixturevalue("os_client")
        return lambda: index_rebuild(client=client)
    settings.OPENSEARCH_URL = ""
    return lambda: None


def _hanoi_and_bac_ninh():
    """Hà Nội products of 5★, 4★ and 3★, one expired, and a Bắc Ninh one."""
    gom = producer_create("HTX Gốm Bát Tràng")
    lua = producer_create("HTX Lụa Vạn Phúc")
    tranh = producer_create("HTX Đông Hồ", province="Bắc Ninh")
    certified_product_create(title="Bình gốm năm sao", producer=gom, stars=5)
    certified_product_create(title="Khăn lụa bốn sao", producer=lua, stars=4)
    certified_product_create(title="Ấm chén ba sao", producer=gom, stars=3)
    certified_product_create(
        title="Lụa hết hạn hôm qua",
        producer=lua,
        stars=5,
        expiry_date=today_in_vietnam() - timedelta(days=1),
    )
    certified_product_create(title="Tranh gà lợn", producer=tranh, stars=5)
    return gom, lua, tranh


def test_a_province_block_asks_the_search_backend_for_the_provinces_its_text_names(
    client, fair_index, asked, search_ready
):
    # given products in Hà Nội and Bắc Ninh, and a fair whose block asks for
    # 4★+ products of "hà nội" as an editor typed it
    _hanoi_and_bac_ninh()
    search_ready()
    fair = fair_add(
        fair_index,
        body=[products_block(heading="Đặc sản Thủ đô", province="hà nội", min_stars="4")],
    )
    # when a visitor opens the fair
    html = client.get(fair.url).content.decode()
    # then the block shows the listable 4★+ Hà Nội products, best-rated first
    assert "Bình gốm năm sao" in html and "Khăn lụa bốn sao" in html
    assert html.index("Bình gốm năm sao") < html.index("Khăn lụa bốn sao")
    for title in ("Ấm chén ba sao", "Lụa hết hạn hôm qua", "Tranh gà lợn"):
        assert title not in html
    # and it asked the search backend, for today, with exact indexed values
    assert [(r.on, r.filters) for r in asked] == [
        (today_in_vietnam(), {"province": ["Hà Nội"], "stars": ["4", "5"]})
    ]


def test_a_query_block_answers_the_same_when_opensearch_is_down(settings, os_client, asked):
    # given products in several provinces, indexed
    _hanoi_and_bac_ninh()
    thai_nguyen = producer_create("HTX Chè Tân Cương", province="Thái Nguyên")
    for n in range(6):
        certified_product_create(title=f"Trà Tân Cương {n}", producer=thai_nguyen, stars=3 + n % 3)
    index_rebuild(client=os_client)
    query = {"chosen_ids": [], "province": "Nội", "limit": 8}
    # when the block resolves with OpenSearch up, then (cache emptied) with it down
    up = [p.title for p in cms.selectors.block_products(**query)]
    settings.PAGE_CACHE_PREFIX += "-down"
    breaker_trip(60)
    down = [p.title for p in cms.selectors.block_products(**query)]
    # then the database gives the same products in the same order
    assert up == down
    assert up[:2] == ["Bình gốm năm sao", "Khăn lụa bốn sao"] and "Tranh gà lợn" not in up
    assert len(asked) == 2


def test_a_block_naming_no_known_province_shows_nothing_without_searching(
    client, fair_index, asked
):
    _hanoi_and_bac_ninh()
    fair = fair_add(fair_index, body=[products_block(heading="Đâu đó", province="Atlantis")])
    html = client.get(fair.url).content.decode()
    assert 'data-testid="products-block"' not in html
    assert asked == []


def test_a_village_page_lists_what_its_producers_sell_through_the_search_backend(
    client, village_index, asked, search_ready
):
    # given a village of two producers, and a producer of the same province outside it
    gom, lua, _tranh = _hanoi_and_bac_ninh()
    outsider = producer_create("HTX Mây tre Phú Vinh")
    certified_product_create(title="Giỏ mây Phú Vinh", producer=outsider, stars=5)
    search_ready()
    village = village_add(
        village_index,
        title="Làng nghề Bát Tràng - Vạn Phúc",
        craft="Gốm, lụa",
        province="Hà Nội",
        producers=[gom, lua],
    )
    # when a visitor opens the village's page
    html = client.get(village.url).content.decode()
    # then it lists what the village's producers may sell today
    for title in ("Bình gốm năm sao", "Khăn lụa bốn sao", "Ấm chén ba sao"):
        assert title in html
    for title in ("Lụa hết hạn hôm qua", "Giỏ mây Phú Vinh", "Tranh gà lợn"):
        assert title not in html
    # and the search backend was asked for the village's producers
    assert [r.filters for r in asked] == [
        {"producer": [str(pk) for pk in sorted([gom.pk, lua.pk])]}
    ]


def _product_selects(queries) -> list[str]:
    return [
        q["sql"]
        for q in queries
        if q["sql"].lstrip().upper().startswith("SELECT")
        and "catalogue_product" in q["sql"]
        and "registry_certificate" in q["sql"]
    ]


@pytest.mark.parametrize(
    "query",
    [
        {"province": "Hà Nội", "min_stars": 4},  # the demo fair's block
        {"province": "huế", "sector": "food"},
    ],
    ids=["province and stars", "province and sector"],
)
def test_a_province_blocks_database_fallback_can_answer_from_indexes(settings, query):
    # given 3,000 products of 1,500 producers in 30 provinces, analysed, and no OpenSearch
    catalogue_bulk_create(products=3000, provinces=30, producers_per_province=50)
    settings.OPENSEARCH_URL = ""
    # when a query block resolves on the database
    with CaptureQueriesContext(connection) as queries:
        products = cms.selectors.block_products(chosen_ids=[], limit=8, **query)
    assert len(products) == 8
    # then each of its queries has a plan through indexes that reads no whole
    # table of products or certificates (tables this small PostgreSQL would
    # rather read whole, so sequential scans are priced out for the EXPLAIN),
    # and the province is found through the producers' province index
    selects = _product_selects(queries.captured_queries)
    assert selects
    used = set()
    for sql in selects:
        plan = query_plan(sql, index_only=True)
        assert not whole_table_reads(plan), plan
        used |= indexes_used(plan)
    assert any(name.startswith("registry_producer_province") for name in used), used

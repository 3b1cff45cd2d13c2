"""The OpenSearch backend against the real OpenSearch `make test` starts:
Vietnamese folding, typos, the listing rule at query time, the alias swap."""

import threading
from datetime import date, timedelta

import pytest

from search.backends.opensearch import OpenSearchBackend, SearchRequest
from search.indexing import ALIAS, index_rebuild
from tests.factories import certified_product_create

pytestmark = pytest.mark.django_db


def _titles(result, products):
    by_id = {p.pk: p.title for p in products}
    return [by_id[i] for i in result.ids]


@pytest.fixture
def catalogue():
    return [
        certified_product_create(title="Gốm sứ Bát Tràng men lam"),
        certified_product_create(title="Gạo hữu cơ Đồng Phú túi 2 kg", product_type="food"),
        certified_product_create(title="Bàn gỗ sơn mài Hạ Thái"),
        certified_product_create(title="Lụa tơ tằm Vạn Phúc", product_type="cloth"),
    ]


def test_unaccented_query_finds_the_accented_title_first(os_client, catalogue):
    index_rebuild(client=os_client)
    result = OpenSearchBackend(os_client).search(
        SearchRequest(on=date.today(), text="gom su bat trang")
    )
    assert _titles(result, catalogue)[0] == "Gốm sứ Bát Tràng men lam"


def test_folding_maps_d_stroke(os_client, catalogue):
    index_rebuild(client=os_client)
    result = OpenSearchBackend(os_client).search(SearchRequest(on=date.today(), text="dong phu"))
    assert _titles(result, catalogue) == ["Gạo hữu cơ Đồng Phú túi 2 kg"]


def test_a_typo_still_finds_bat_trang(os_client, catalogue):
    index_rebuild(client=os_client)
    result = OpenSearchBackend(os_client).search(SearchRequest(on=date.today(), text="bat trag"))
    assert _titles(result, catalogue)[0] == "Gốm sứ Bát Tràng men lam"


def test_expiring_today_is_found_today_and_gone_tomorrow_without_reindex(os_client):
    # given a product whose certificate expires today, indexed once
    today = date.today()
    product = certified_product_create(
        title="Nấm kim châm Kinoco", issued_on=today - timedelta(days=1000), expiry_date=today
    )
    index_rebuild(client=os_client)
    backend = OpenSearchBackend(os_client)
    # when searched today, then tomorrow, with nothing reindexed in between
    found_today = backend.search(SearchRequest(on=today, text="nam kim cham"))
    found_tomorrow = backend.search(
        SearchRequest(on=today + timedelta(days=1), text="nam kim cham")
    )
    assert found_today.ids == [product.pk]
    assert found_tomorrow.ids == []


def test_unlistable_products_never_come_back(os_client):
    certified_product_create(title="Gạo hai sao", stars=2)
    certified_product_create(title="Gạo thu hồi", status="withdrawn")
    certified_product_create(title="Gạo chưa có giá", price=None)
    index_rebuild(client=os_client)
    result = OpenSearchBackend(os_client).search(SearchRequest(on=date.today(), text="gao"))
    assert result.ids == []


def test_facet_counts_equal_the_database_count_of_the_listable_set(os_client, catalogue):
    from oscar.core.loading import get_model

    certified_product_create(
        title="Gốm hết hạn",
        expiry_date=date.today() - timedelta(days=1),
        issued_on=date.today() - timedelta(days=900),
    )
    index_rebuild(client=os_client)
    result = OpenSearchBackend(os_client).search(SearchRequest(on=date.today()))
    Product = get_model("catalogue", "Product")
    listable = Product.objects.listable()
    for sector, count in result.facets["sector"]:
        assert count == listable.filter(certificate__sector=sector).count()
    assert result.total == listable.count()


def test_rebuild_swaps_the_alias_and_queries_keep_answering(os_client, catalogue):
    first = index_rebuild(client=os_client)
    backend = OpenSearchBackend(os_client)
    before = backend.search(SearchRequest(on=date.today(), text="lua van phuc"))
    second = index_rebuild(client=os_client)
    after = backend.search(SearchRequest(on=date.today(), text="lua van phuc"))
    assert first != second
    assert list(os_client.indices.get_alias(name=ALIAS)) == [second]
    assert not os_client.indices.exists(index=first)
    assert before.ids == after.ids and len(after.ids) == 1


def test_queries_made_during_a_rebuild_keep_answering(os_client, catalogue):
    # given a live index and a shopper searching in a loop on another thread
    index_rebuild(client=os_client)
    backend = OpenSearchBackend(os_client)
    answers, errors, during = [], [], []
    stop, answered = threading.Event(), threading.Event()

    def shopper():
        while not stop.is_set():
            try:
                answers.append(backend.search(SearchRequest(on=date.today(), text="lua van phuc")))
                answered.set()
            except Exception as exc:  # noqa: BLE001  (any failure is the finding)
                errors.append(exc)

    thread = threading.Thread(target=shopper)
    thread.start()

    def progress(done):
        # after each document the new index has received, wait until the
        # shopper has been answered again, so queries interleave the rebuild
        answered.clear()
        assert answered.wait(10), "no answer while the new index was being filled"
        during.append(len(answers))

    # when the index is rebuilt one document per bulk request
    try:
        index_rebuild(client=os_client, progress=progress, chunk_size=1)
    finally:
        stop.set()
        thread.join()
    # then every query, before, during and after the swap, found the silk
    assert not errors
    assert len(during) == len(catalogue) + 1  # one per document, one after the swap
    lua = next(p for p in catalogue if p.title.startswith("Lụa"))
    assert {tuple(answer.ids) for answer in answers} == {(lua.pk,)}


def test_search_index_command_rebuilds_and_reports(os_client, catalogue, capsys):
    from django.core.management import call_command

    call_command("search_index", "--rebuild")
    out = capsys.readouterr().out
    assert "Indexed 4 products" in out
    assert len(os_client.indices.get_alias(name=ALIAS)) == 1
    # at container start-up, an existing index is kept as it is
    built = list(os_client.indices.get_alias(name=ALIAS))
    call_command("search_index", "--rebuild", "--if-missing")
    assert "nothing to do" in capsys.readouterr().out
    assert list(os_client.indices.get_alias(name=ALIAS)) == built


def test_nightly_rebuild_task_carries_popularity_into_the_index(os_client, catalogue):
    from oscar.core.loading import get_model

    from search.tasks import index_rebuild_task

    ProductRecord = get_model("analytics", "ProductRecord")
    lua = next(p for p in catalogue if p.title.startswith("Lụa"))
    ProductRecord.objects.create(product=lua, num_views=10, num_basket_additions=2, num_purchases=1)
    name = index_rebuild_task()
    assert list(os_client.indices.get_alias(name=ALIAS)) == [name]
    assert os_client.get(index=ALIAS, id=lua.pk)["_source"]["popularity"] == 10 + 3 * 2 + 5 * 1


def test_facets_with_the_same_selections_share_one_aggregation_scope():
    """Seven facets, two chosen: three `filter` scopes, not seven. Each
    scope's filter is matched over every hit, so at 100,000 products seven
    copies cost a fifth of the query (tests/search/test_backend_contract.py
    checks the counts stay the same). A fourth, `matched`, counts what the
    words match before the selections, for the typo decision."""
    request = SearchRequest(
        on=date.today(), text="lụa", filters={"stars": ["4"], "group": ["cloth"]}
    )
    body = OpenSearchBackend(None).build(request).to_dict()
    assert sorted(body["aggs"]) == ["all", "all_but_group", "all_but_stars", "matched"]
    assert sorted(body["aggs"]["all"]["aggs"]) == [
        "in_stock",
        "price",
        "producer",
        "province",
        "sector",
    ]

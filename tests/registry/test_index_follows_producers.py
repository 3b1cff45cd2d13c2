"""The index follows every change that shows: a producer's new address is
under its new province's and ward's facets right after the sync."""

import pytest
from django.conf import settings
from oscar.core.loading import get_model

from marketplace.ocop.dates import today_in_vietnam
from marketplace.registry.services import certificate_sync
from search.backends.opensearch import OpenSearchBackend, SearchRequest
from search.indexing import index_rebuild
from tests.registry.records import registry_record

Product = get_model("catalogue", "Product")
StockRecord = get_model("partner", "StockRecord")

pytestmark = pytest.mark.django_db


def _records(address: str) -> list[dict]:
    records = [registry_record(i) for i in range(1, 4)]
    for record in records:
        record["manufacturer"] = {**record["manufacturer"], "name": "HTX Gốm Kim Lan"}
        record["manufacturer"]["address"] = address
    return records


def _facet(os_client, name: str) -> dict[str, int]:
    result = OpenSearchBackend(os_client).search(SearchRequest(on=today_in_vietnam()))
    return dict(result.facets[name])


def test_a_producer_address_change_moves_its_products_facets_at_once(
    os_client, standin, registry_client, django_capture_on_commit_callbacks
):
    # given three listable products of a producer in Bát Tràng, indexed
    standin.set_records(_records("Xã Bát Tràng, Thành phố Hà Nội"))
    certificate_sync(client=registry_client)
    StockRecord.objects.update(price=90000, num_in_stock=4)
    index_rebuild(client=os_client)
    assert _facet(os_client, "province") == {"Hà Nội": 3}
    # when the registry's next crawl gives the producer a new ward
    standin.set_records(_records("Phường Gia Lâm, Thành phố Hà Nội"))
    with django_capture_on_commit_callbacks(execute=True):
        certificate_sync(client=registry_client)
    # then the products are found under the new ward right after the sync
    os_client.indices.refresh()
    result = OpenSearchBackend(os_client).search(
        SearchRequest(on=today_in_vietnam(), filters={"province": ["Hà Nội"]})
    )
    assert result.total == 3
    docs = [
        os_client.get(index=settings.OPENSEARCH_PRODUCTS_ALIAS, id=pk)["_source"]
        for pk in result.ids
    ]
    assert {doc["ward"] for doc in docs} == {"Gia Lâm"}


def test_a_producer_moved_to_another_province_is_under_the_new_province_only(
    os_client, standin, registry_client, django_capture_on_commit_callbacks
):
    standin.set_records(_records("Xã Bát Tràng, Thành phố Hà Nội"))
    certificate_sync(client=registry_client)
    StockRecord.objects.update(price=90000, num_in_stock=4)
    index_rebuild(client=os_client)
    # when the registry now places the producer in Bắc Ninh
    standin.set_records(_records("Xã Phù Lãng, Tỉnh Bắc Ninh"))
    with django_capture_on_commit_callbacks(execute=True):
        certificate_sync(client=registry_client)
    os_client.indices.refresh()
    # then the province facet has moved with it
    assert _facet(os_client, "province") == {"Bắc Ninh": 3}


def test_a_sync_reindexes_each_touched_product_once(
    standin, registry_client, django_capture_on_commit_callbacks, reindex_requests
):
    # given three products
    standin.set_records(_records("Xã Bát Tràng, Thành phố Hà Nội"))
    certificate_sync(client=registry_client)
    # when a sync re-rates all three and moves their producer
    records = _records("Phường Gia Lâm, Thành phố Hà Nội")
    for record in records:
        record["ocop_star"] = 5
    standin.set_records(records)
    reindex_requests.clear()
    with django_capture_on_commit_callbacks(execute=True):
        certificate_sync(client=registry_client)
    # then one reindex request carries each product once
    assert len(reindex_requests) == 1
    assert sorted(reindex_requests[0]) == sorted(Product.objects.values_list("pk", flat=True))

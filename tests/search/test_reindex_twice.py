"""The reindex task delivered twice, in a row or at once: the document
holds the change, the product is in the index once, and its record is
cleared (a second delete of the same records is no error)."""

from decimal import Decimal

import pytest

from marketplace.outbox.models import ProductReindex
from search.indexing import ALIAS, index_rebuild
from search.tasks import reindex_products_task
from tests.factories import certified_product_create
from tests.twice import committed_db, deliver_at_once


@pytest.fixture
def changed_product(os_client, broker_down):
    """A product indexed at 100.000 ₫, then repriced with its reindex task
    lost (broker down): its record waits, the document is stale."""
    product = certified_product_create(price=Decimal("100000"))
    index_rebuild(client=os_client)
    ProductReindex.objects.all().delete()
    with broker_down():
        record = product.stockrecords.get()
        record.price = Decimal("120000")
        record.save()
    assert ProductReindex.objects.filter(product_id=product.pk).exists()
    return product


def _in_index(os_client, product) -> list[dict]:
    os_client.indices.refresh(index=ALIAS)
    hits = os_client.search(index=ALIAS, body={"query": {"ids": {"values": [str(product.pk)]}}})
    return [hit["_source"] for hit in hits["hits"]["hits"]]


@pytest.mark.django_db
def test_delivered_twice_in_a_row(os_client, changed_product):
    assert reindex_products_task([changed_product.pk]) == 1
    assert reindex_products_task([changed_product.pk]) == 1
    assert [doc["price"] for doc in _in_index(os_client, changed_product)] == [120000.0]
    assert not ProductReindex.objects.exists()


@committed_db
def test_delivered_twice_at_once(os_client, changed_product):
    results = deliver_at_once(lambda: reindex_products_task([changed_product.pk]))
    assert results == [1, 1]
    assert [doc["price"] for doc in _in_index(os_client, changed_product)] == [120000.0]
    assert not ProductReindex.objects.exists()

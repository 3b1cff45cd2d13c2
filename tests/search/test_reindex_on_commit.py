"""Changes reach the search index through Celery after commit."""

from decimal import Decimal

import pytest
from oscar.core.loading import get_model

from marketplace.registry.client import RegistryClient
from marketplace.registry.services import certificate_sync
from marketplace.registry.standin.server import StandinServer
from search.indexing import ALIAS, index_rebuild
from tests.factories import certified_product_create
from tests.registry.records import registry_record

Product = get_model("catalogue", "Product")

pytestmark = pytest.mark.django_db


def _doc(os_client, product_id):
    return os_client.get(index=ALIAS, id=product_id)["_source"]


def test_a_sync_reindexes_what_it_touched(os_client, django_capture_on_commit_callbacks):
    # given an (empty) index behind the alias
    index_rebuild(client=os_client)
    with StandinServer([registry_record(1), registry_record(2)]) as server:
        client = RegistryClient(base_url=server.url, page_size=10)
        # when a sync commits
        with django_capture_on_commit_callbacks(execute=True):
            certificate_sync(client=client)
        product = Product.objects.get(certificate__registry_id=1)
        assert _doc(os_client, product.pk)["title"] == "Sản phẩm thử 1"
        # and when the registry renames it and the next sync commits
        server.set_records([registry_record(1, name="Gốm mới"), registry_record(2)])
        with django_capture_on_commit_callbacks(execute=True):
            certificate_sync(client=client)
    # then the document follows
    assert _doc(os_client, product.pk)["title"] == "Gốm mới"


def test_a_price_change_is_reindexed_after_commit(os_client, django_capture_on_commit_callbacks):
    # given a product whose creation has committed (its own reindex done)
    with django_capture_on_commit_callbacks(execute=True):
        product = certified_product_create(price=Decimal("100000"))
    index_rebuild(client=os_client)
    record = product.stockrecords.get()
    with django_capture_on_commit_callbacks(execute=True):
        record.price = Decimal("120000")
        record.save()
    assert _doc(os_client, product.pk)["price"] == 120000.0


def test_without_an_index_nothing_is_written(os_client, django_capture_on_commit_callbacks):
    with django_capture_on_commit_callbacks(execute=True):
        certified_product_create()
    assert not os_client.indices.exists(index=ALIAS)


def test_writes_in_one_transaction_reindex_each_product_once(
    os_client, django_capture_on_commit_callbacks, reindex_requests
):
    # given a product, committed
    with django_capture_on_commit_callbacks(execute=True):
        product = certified_product_create(price=Decimal("100000"))
    # when one transaction saves its stock record twice and the product once
    record = product.stockrecords.get()
    reindex_requests.clear()
    with django_capture_on_commit_callbacks(execute=True):
        record.price = Decimal("120000")
        record.save()
        record.save()
        product.save()
    # then one reindex of that product is sent
    assert reindex_requests == [[product.pk]]

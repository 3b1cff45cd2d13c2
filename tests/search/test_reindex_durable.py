"""A committed change reaches the search index even if its reindex task was
never sent (broker down) or failed (OpenSearch down): the change records
its products, and the sweep reindexes what is left (issue 13, finding 2)."""

from datetime import timedelta
from decimal import Decimal

import pytest
from django.utils import timezone

from marketplace.outbox.models import ProductReindex
from search import tasks
from search.indexing import ALIAS, index_rebuild
from search.tasks import products_reindex, reindex_sweep_task
from tests.factories import certified_product_create

pytestmark = pytest.mark.django_db


def _price(os_client, product):
    return os_client.get(index=ALIAS, id=product.pk)["_source"]["price"]


@pytest.fixture
def indexed_product(os_client, django_capture_on_commit_callbacks):
    """A product at 100.000 ₫, committed and in the index."""
    with django_capture_on_commit_callbacks(execute=True):
        product = certified_product_create(price=Decimal("100000"))
    index_rebuild(client=os_client)
    return product


def _price_change(product, django_capture_on_commit_callbacks):
    record = product.stockrecords.get()
    with django_capture_on_commit_callbacks(execute=True):
        record.price = Decimal("120000")
        record.save()


def _minutes_pass(minutes=5):
    """The sweep's grace period is over for everything recorded so far."""
    ProductReindex.objects.update(requested_at=timezone.now() - timedelta(minutes=minutes))


def test_the_normal_path_reindexes_and_clears_the_record(
    os_client, indexed_product, django_capture_on_commit_callbacks
):
    # when a price change commits with the broker up
    _price_change(indexed_product, django_capture_on_commit_callbacks)
    # then the document follows and nothing is left for the sweep
    assert _price(os_client, indexed_product) == 120000.0
    assert not ProductReindex.objects.filter(product_id=indexed_product.pk).exists()


def test_a_change_committed_while_the_broker_is_down_is_reindexed_by_the_sweep(
    os_client, indexed_product, django_capture_on_commit_callbacks, broker_down
):
    # when a price change commits while the broker is down
    with broker_down():
        _price_change(indexed_product, django_capture_on_commit_callbacks)
    # then the commit stands, the document is stale, and the product is recorded
    assert indexed_product.stockrecords.get().price == Decimal("120000")
    assert _price(os_client, indexed_product) == 100000.0
    assert ProductReindex.objects.filter(product_id=indexed_product.pk).exists()
    # and a sweep within the grace period leaves it to the task on its way
    reindex_sweep_task()
    assert _price(os_client, indexed_product) == 100000.0
    # when the sweep runs after the grace period
    _minutes_pass()
    reindex_sweep_task()
    # then the document follows, and the record is gone
    assert _price(os_client, indexed_product) == 120000.0
    assert not ProductReindex.objects.exists()


def test_a_reindex_that_failed_on_opensearch_is_retried_by_the_sweep(
    os_client, indexed_product, django_capture_on_commit_callbacks, settings
):
    # given OpenSearch unreachable when the change commits (the task fails)
    url = settings.OPENSEARCH_URL
    settings.OPENSEARCH_URL = "http://127.0.0.1:9"
    _price_change(indexed_product, django_capture_on_commit_callbacks)
    assert ProductReindex.objects.filter(product_id=indexed_product.pk).exists()
    # when OpenSearch is back and the sweep runs
    settings.OPENSEARCH_URL = url
    _minutes_pass()
    reindex_sweep_task()
    # then the document follows
    assert _price(os_client, indexed_product) == 120000.0
    assert not ProductReindex.objects.exists()


def test_a_change_recorded_during_a_reindex_keeps_its_record(
    os_client, indexed_product, monkeypatch
):
    # given a product waiting for reindexing
    ProductReindex.objects.create(product_id=indexed_product.pk)
    index = tasks._index
    newer = []

    def index_while_another_change_commits(product_ids):
        # a change that commits after the reindex read its records, which
        # this run's read of the product may not see
        newer.append(ProductReindex.objects.create(product_id=indexed_product.pk))
        return index(product_ids)

    monkeypatch.setattr(tasks, "_index", index_while_another_change_commits)
    # when the reindex runs
    products_reindex(product_ids=[indexed_product.pk])
    # then only the record it read is cleared; the newer one waits
    assert list(ProductReindex.objects.values_list("pk", flat=True)) == [newer[0].pk]

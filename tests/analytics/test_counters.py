"""Analytics counters stay right, and requests keep working, when several
shoppers open a product for the first time at once (real PostgreSQL)."""

import threading
import time

import pytest
from django.contrib.auth.models import AnonymousUser
from django.db import connection, transaction
from django.http import HttpResponse
from django.test import RequestFactory
from oscar.apps.catalogue.signals import product_viewed
from oscar.core.loading import get_model

from marketplace.analytics.counters import counter_add
from marketplace.analytics.services import product_views_flush
from tests.factories import certified_product_create

ProductRecord = get_model("analytics", "ProductRecord")

SHOPPERS = 8


def _first_views_at_once(product, count_view) -> list[Exception]:
    """`SHOPPERS` threads, each in its own transaction as under
    ATOMIC_REQUESTS, count a view at the same moment and hold their
    transaction open a little, so the INSERTs collide."""
    barrier = threading.Barrier(SHOPPERS)
    errors = []

    def shopper():
        try:
            with transaction.atomic():
                barrier.wait()
                count_view(product)
                time.sleep(0.2)
                # the request goes on using the database after counting
                ProductRecord.objects.filter(product=product).exists()
        except Exception as exc:  # noqa: BLE001  (any failure is the finding)
            errors.append(exc)
        finally:
            connection.close()

    threads = [threading.Thread(target=shopper) for _ in range(SHOPPERS)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    return errors


@pytest.mark.django_db(transaction=True)
def test_concurrent_first_views_all_count_and_none_fails():
    product = certified_product_create(title="Mè xửng Huế")

    def view(p):
        request = RequestFactory().get(p.get_absolute_url())
        request.user = AnonymousUser()
        product_viewed.send(
            sender=None, product=p, user=None, request=request, response=HttpResponse()
        )

    errors = _first_views_at_once(product, view)
    assert errors == []
    # views are counted in Redis and reach the record with the flush task
    product_views_flush()
    assert ProductRecord.objects.get(product=product).num_views == SHOPPERS


@pytest.mark.django_db
def test_counter_add_creates_then_increments():
    product = certified_product_create(title="Trà cung đình Huế")
    counter_add(ProductRecord, "num_purchases", {"product": product}, 3)
    counter_add(ProductRecord, "num_purchases", {"product": product}, 2)
    assert ProductRecord.objects.get(product=product).num_purchases == 5

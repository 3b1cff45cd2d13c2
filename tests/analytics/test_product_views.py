"""Product views are counted off the (shared, cached) product page: the
browser's call to `catalogue:product-seen` adds one in Redis, and the beat
task moves the counts into ProductRecord, which search ranks by."""

import copy
import json

import pytest
from django.conf import settings
from django.core.cache import cache
from django.db import connection
from django.test import Client
from django.test.utils import CaptureQueriesContext
from django.urls import reverse
from oscar.core.loading import get_model

from marketplace.analytics.services import VIEWS_HASH, product_views_flush
from marketplace.analytics.tasks import product_views_flush_task
from search.popularity import product_popularity
from tests.factories import certified_product_create

ProductRecord = get_model("analytics", "ProductRecord")

pytestmark = pytest.mark.django_db


@pytest.fixture(autouse=True)
def _no_views_counted_before():
    """The Redis hash outlives test transactions: start and end empty."""
    assert "redis" in settings.CACHES["default"]["BACKEND"].lower(), "these tests need REDIS_URL"
    cache.client.get_client(write=True).delete(cache.make_key(VIEWS_HASH))
    yield
    cache.client.get_client(write=True).delete(cache.make_key(VIEWS_HASH))


def _views(product) -> int:
    record = ProductRecord.objects.filter(product=product).first()
    return record.num_views if record else 0


def test_the_product_page_writes_nothing_and_the_seen_call_counts_off_the_request():
    product = certified_product_create(title="Nem Phùng", num_in_stock=50)
    client = Client()
    # when a visitor opens the product page
    with CaptureQueriesContext(connection) as queries:
        assert client.get(product.get_absolute_url()).status_code == 200
    # then the page itself writes nothing. The one exception is sorl's
    # thumbnail store, filled once per image the first time any page shows it
    # (a fresh machine has no thumbnails yet); it is not a per-view write.
    writes = [q["sql"] for q in queries if not q["sql"].lstrip().upper().startswith("SELECT")]
    assert [
        sql for sql in writes if "SAVEPOINT" not in sql.upper() and '"thumbnail_kvstore"' not in sql
    ] == []
    # when their browser reports the view, twice
    seen = reverse("catalogue:product-seen", kwargs={"pk": product.pk})
    with CaptureQueriesContext(connection) as queries:
        assert client.get(seen).status_code == 200
    assert not [q for q in queries if "analytics_productrecord" in q["sql"]]
    client.get(seen)
    # then nothing is written in the request; the flush moves both views
    assert _views(product) == 0
    assert product_views_flush_task() == 2
    assert _views(product) == 2
    # and the next flush adds to the record, which search ranks by
    client.get(seen)
    product_views_flush()
    product.refresh_from_db()
    assert _views(product) == 3 and product_popularity(product) == 3


def test_the_seen_call_keeps_the_history_and_shows_the_recently_viewed_block():
    first = certified_product_create(title="Bánh chưng Tranh Khúc", num_in_stock=50)
    second = certified_product_create(title="Giò chả Ước Lễ", num_in_stock=50)
    client = Client()
    # the product page's slot names its own seen URL, and is empty
    page = client.get(second.get_absolute_url()).content.decode()
    seen_second = reverse("catalogue:product-seen", kwargs={"pk": second.pk})
    assert f'data-recently-viewed="{seen_second}"' in page and "js/recently-viewed.js" in page
    # the first view has nothing to show, and starts the history
    response = client.get(reverse("catalogue:product-seen", kwargs={"pk": first.pk}))
    assert response.content.decode().strip() == ""
    assert "no-store" in response["Cache-Control"]
    assert json.loads(response.cookies["oscar_history"].value) == [first.pk]
    # the second shows the first, as a card, and adds itself to the history
    response = client.get(seen_second)
    html = response.content.decode()
    assert first.title in html and 'data-testid="product-card"' in html
    assert second.title not in html
    assert json.loads(response.cookies["oscar_history"].value) == [first.pk, second.pk]


def test_with_redis_down_the_seen_call_answers_and_the_view_is_not_counted(settings):
    product = certified_product_create(title="Cốm làng Vòng", num_in_stock=50)
    client = Client()
    # given the cache's Redis is down
    configured = copy.deepcopy(settings.CACHES["default"])
    settings.CACHES = {"default": {**configured, "LOCATION": "redis://127.0.0.1:9/0"}}
    # when the browser reports a view
    response = client.get(reverse("catalogue:product-seen", kwargs={"pk": product.pk}))
    # then it answers, keeps the history, and counts nothing; the flush does nothing
    assert response.status_code == 200
    assert json.loads(response.cookies["oscar_history"].value) == [product.pk]
    assert product_views_flush() == 0
    settings.CACHES = {"default": configured}
    assert product_views_flush() == 0
    assert _views(product) == 0

"""The Redis cache is optional: with it dead or hanging, pages still answer
200 quickly (issue 13, finding 1: every page was a 500, because Wagtail's
`pageurl` reads the site root paths from the cache)."""

import copy
import logging
import time

import pytest
from django.core.cache import cache

from cms.services import home_page_ensure
from search.indexing import index_rebuild
from tests.factories import certified_product_create

pytestmark = pytest.mark.django_db


def _cache_at(settings, url: str) -> None:
    """Point the configured cache at `url`, keeping every other option of the
    settings under test (Django drops its cache connections on the change)."""
    configured = copy.deepcopy(settings.CACHES["default"])
    assert "redis" in configured["BACKEND"].lower(), "these tests need REDIS_URL"
    settings.CACHES = {"default": {**configured, "LOCATION": url}}


@pytest.fixture
def shop_pages(db, os_client):
    """Home, the catalogue, a product page and the certificate lookup, each
    rendered once with a working cache (templates compiled, index built)."""
    home_page_ensure()
    product = certified_product_create(title="Gốm sứ Bát Tràng men lam")
    index_rebuild(client=os_client)
    cert_number = product.certificate.number
    return ["/", "/shop/", product.get_absolute_url(), f"/chung-nhan/?so={cert_number}"]


@pytest.fixture(params=["dead", "hanging"])
def broken_cache_url(request):
    """Redis on a port where nothing listens, or one that never answers."""
    if request.param == "dead":
        return f"redis://127.0.0.1:{request.getfixturevalue('dead_port')}/0"
    return request.getfixturevalue("hanging_server").url("redis", "/0")


def test_pages_answer_quickly_without_redis(client, settings, shop_pages, broken_cache_url, caplog):
    # given the pages render with Redis up
    for url in shop_pages:
        assert client.get(url).status_code == 200, url
    # when the cache's Redis is dead or hangs
    _cache_at(settings, broken_cache_url)
    with caplog.at_level(logging.WARNING, logger="marketplace.core.cache"):
        for url in shop_pages:
            started = time.monotonic()
            response = client.get(url)
            elapsed = time.monotonic() - started
            # then each page still answers, well within two seconds
            assert response.status_code == 200, url
            assert elapsed < 2.0, (url, elapsed)
    # and the outage was met (and logged), not missed
    assert any("Redis cache unreachable" in r.getMessage() for r in caplog.records)


def test_a_hanging_redis_costs_one_timeout_per_cooldown_not_one_per_call(
    settings, hanging_server, caplog
):
    # given the cache on a Redis that never answers
    settings.REDIS_CACHE_COOLDOWN = 30
    _cache_at(settings, hanging_server.url("redis", "/0"))
    # when a page's worth of cache calls are made (a product grid's thumbnails)
    started = time.monotonic()
    with caplog.at_level(logging.ERROR, logger="django_redis.cache"):
        values = [cache.get(f"thumbnail-{n}") for n in range(24)]
        cache.set("site-root-paths", [1, 2, 3])
    # then each is a miss, and together they cost about one socket timeout
    assert values == [None] * 24
    assert time.monotonic() - started < 0.25 * 3
    # and the log carries the one real failure, not a traceback per call
    assert len([r for r in caplog.records if r.name == "django_redis.cache"]) == 1


def test_the_cache_is_used_again_once_redis_answers(settings, redis_proxy):
    # given the cache behind a proxy to the test Redis that hangs for now
    settings.REDIS_CACHE_COOLDOWN = 0.3
    _cache_at(settings, redis_proxy.url("redis", redis_proxy.db))
    cache.set("greeting", "xin chào")
    assert cache.get("greeting") is None
    # when Redis answers again and the cooldown has passed
    redis_proxy.hanging = False
    time.sleep(0.4)
    cache.set("greeting", "xin chào")
    # then the cache works again
    assert cache.get("greeting") == "xin chào"

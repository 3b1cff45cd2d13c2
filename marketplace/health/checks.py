"""Readiness checks, one per dependency, on django-health-check's dataclass
checks (`marketplace.health.views.ReadinessView` runs them).

Each check carries a wall-clock budget of one second (`timeout`; the library
waits one more second for the check's own client timeout to report), and
each client below has its own shorter timeout, so readiness answers within
about two seconds even when a part hangs. Messages are generic: readiness is
reachable from outside, and a driver's error text names hosts and ports
(django-health-check logs the full error).
"""

import dataclasses
import datetime
from functools import partial

from django.conf import settings
from health_check import checks
from health_check.base import HealthCheck
from health_check.contrib.redis import Redis
from health_check.exceptions import ServiceUnavailable
from redis.asyncio import Redis as AsyncRedis

from search.client import opensearch_client

BUDGET = datetime.timedelta(seconds=1)


class Database(checks.Database):
    """PostgreSQL answers `SELECT 1` on a fresh connection."""

    timeout = BUDGET

    def run(self):
        try:
            super().run()
        except ServiceUnavailable as exc:
            raise ServiceUnavailable("database unreachable") from exc


def _redis_client(url: str) -> AsyncRedis:
    """A client that gives up as fast as the cache does (settings.base)."""
    return AsyncRedis.from_url(
        url,
        socket_connect_timeout=settings.REDIS_SOCKET_CONNECT_TIMEOUT,
        socket_timeout=settings.REDIS_SOCKET_TIMEOUT,
    )


class RedisPing(Redis):
    """A Redis server answers PING (the cache's or the Celery broker's).

    Pinged directly, not through Django's cache, which answers a dead Redis
    with quiet misses and skips it for a while after a failure."""

    timeout = BUDGET


@dataclasses.dataclass
class OpenSearch(HealthCheck):
    """The OpenSearch cluster answers and is not red."""

    timeout = BUDGET

    def run(self):
        client = opensearch_client(timeout=BUDGET.total_seconds() * 0.8)
        try:
            health = client.cluster.health()
        except Exception as exc:  # connection refused, timeout, 5xx...
            raise ServiceUnavailable("OpenSearch unreachable") from exc
        finally:
            client.close()
        if health.get("status") == "red":
            raise ServiceUnavailable("OpenSearch cluster is red")


def readiness_checks() -> dict[str, tuple[HealthCheck, bool]]:
    """Each dependency this site is configured with: name -> (check,
    required). Only the database is required (see ReadinessView)."""
    found: dict[str, tuple[HealthCheck, bool]] = {"database": (Database(), True)}
    cache = settings.CACHES["default"]
    if cache["BACKEND"].startswith("django_redis."):
        found["cache"] = (
            RedisPing(client_factory=partial(_redis_client, cache["LOCATION"])),
            False,
        )
    else:
        found["cache"] = (checks.Cache(), False)
    broker = settings.CELERY_BROKER_URL
    if broker.startswith(("redis://", "rediss://")):
        found["broker"] = (RedisPing(client_factory=partial(_redis_client, broker)), False)
    if settings.OPENSEARCH_URL:
        found["search"] = (OpenSearch(), False)
    return found

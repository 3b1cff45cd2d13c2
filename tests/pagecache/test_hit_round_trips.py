"""A page-cache hit asks PostgreSQL once, health check included, and a
persistent connection that died while idle is replaced, not a 500.

Production keeps connections open (CONN_MAX_AGE) with CONN_HEALTH_CHECKS on:
at each request's first query Django would spend a round trip on `SELECT 1`
before the generation read, a third of a hit's round trips. The generation
read is the check instead (marketplace.pagecache.generation).

The test client never sends `request_started` to `close_old_connections`,
so each test calls it before the request, as a gunicorn worker does.
"""

from decimal import Decimal
from unittest import mock

import psycopg
import pytest
from django.db import close_old_connections, connection
from django.test import Client
from django.test.utils import CaptureQueriesContext

from tests.factories import certified_product_create

pytestmark = pytest.mark.django_db(transaction=True)


@pytest.fixture
def persistent_connection():
    """The connection as production configures it: kept open, checked."""
    saved = {k: connection.settings_dict[k] for k in ("CONN_MAX_AGE", "CONN_HEALTH_CHECKS")}
    connection.close()
    connection.settings_dict.update(CONN_MAX_AGE=600, CONN_HEALTH_CHECKS=True)
    connection.ensure_connection()
    yield connection
    connection.close()
    connection.settings_dict.update(saved)


@pytest.fixture
def stored_url(persistent_connection):
    product = certified_product_create(title="Mật ong hoa nhãn", price=Decimal("180000"))
    url = product.get_absolute_url()
    assert Client().get(url)["X-Page-Cache"] == "miss"
    return url


def _hit_counting(url):
    """Serve one request as a worker would; count its queries and checks."""
    close_old_connections()
    with (
        mock.patch.object(connection, "is_usable", wraps=connection.is_usable) as checks,
        CaptureQueriesContext(connection) as queries,
    ):
        response = Client().get(url)
    return response, len(queries), checks.call_count


def test_a_hit_asks_postgresql_once_health_check_included(stored_url):
    response, queries, checks = _hit_counting(stored_url)
    assert response["X-Page-Cache"] == "hit"
    assert (queries, checks) == (1, 0)


def test_a_connection_that_died_while_idle_is_replaced_and_the_hit_served(stored_url):
    dead_pid = connection.connection.info.backend_pid
    params = connection.get_connection_params()
    params.pop("cursor_factory", None)
    with psycopg.connect(**params, autocommit=True) as other:
        other.execute("SELECT pg_terminate_backend(%s)", (dead_pid,))
    response, queries, _ = _hit_counting(stored_url)
    assert (response.status_code, response["X-Page-Cache"]) == (200, "hit")
    assert connection.connection.info.backend_pid != dead_pid
    assert queries == 2  # the read on the dead connection, then on the new one

"""Shared fixtures. Tests talk to the real services `make test` starts."""

import contextlib
import os

import pytest
from django.core.management import call_command
from django.db import connection
from django.db.migrations.executor import MigrationExecutor
from modelsearch.index import get_indexed_models
from wagtail.models import Page
from wagtail.search.backends import get_search_backend

from marketplace.demo.services import demo_site_setup
from search.client import opensearch_client
from search.indexing import ALIAS


@pytest.fixture
def schema_back_to_latest(transactional_db):
    """For a test that migrates the database back to an old state: migrate it
    forward to the latest migrations afterwards, whatever the test's outcome.
    Otherwise every later test in the run (and the next `--reuse-db` run)
    meets tables that do not exist yet."""
    yield
    executor = MigrationExecutor(connection)
    executor.loader.build_graph()
    executor.migrate(executor.loader.graph.leaf_nodes())


@pytest.fixture
def demo_site(db):
    """The embedded default: home page, operator, and the bundled Hanoi
    snapshot synced through the stand-in registry and given demo prices."""
    return demo_site_setup(operator_password="test-operator-pass", with_images=False)


@pytest.fixture(autouse=True)
def _search_breaker_closed():
    """The search circuit breaker lives in the shared cache and in the
    process; start closed. So does the Redis cache's own breaker."""
    from marketplace.core.cache import cache_breaker_reset
    from search.backends.resilient import breaker_reset

    breaker_reset()
    cache_breaker_reset()
    yield
    breaker_reset()
    cache_breaker_reset()


@pytest.fixture(autouse=True)
def _page_cache_isolated(settings):
    """Each test caches pages and fragments under its own prefix: test
    transactions roll back, so two tests can reach the same generation with
    different data."""
    import uuid

    settings.PAGE_CACHE_PREFIX = f"pct-{uuid.uuid4().hex[:12]}"


_GENERATION_TRIGGERS: list[str] = []


@pytest.fixture(autouse=True)
def _generation_triggers_immediate(request):
    """In a `db` test the transaction never commits, so the deferred
    triggers that bump the catalogue generation at COMMIT would never fire
    and a cached page would outlive the test's own writes. Make them fire at
    each statement instead. Tests with `transactional_db` commit for real and
    see the deferred behaviour production has."""
    marker = request.node.get_closest_marker("django_db")
    transactional = "transactional_db" in request.fixturenames or "live_server" in (
        request.fixturenames
    )
    if marker is not None:
        transactional = transactional or marker.kwargs.get("transaction", False)
    if transactional or ("db" not in request.fixturenames and marker is None):
        return
    request.getfixturevalue("db")
    from django.db import connection

    if connection.vendor != "postgresql":
        return
    with connection.cursor() as cursor:
        if not _GENERATION_TRIGGERS:
            cursor.execute(
                "SELECT DISTINCT tgname FROM pg_trigger WHERE tgname LIKE 'ocop\\_gen\\_%'"
            )
            _GENERATION_TRIGGERS.extend(row[0] for row in cursor.fetchall())
        if _GENERATION_TRIGGERS:
            cursor.execute(f"SET CONSTRAINTS {', '.join(_GENERATION_TRIGGERS)} IMMEDIATE")


@pytest.fixture
def pages_index(settings):
    """The OpenSearch pages index, built the way a deployment builds it
    (`update_index`), and removed afterwards so no test sees stale pages."""
    if "database" not in settings.WAGTAILSEARCH_BACKENDS:
        pytest.fail("these tests need OPENSEARCH_URL (run them through `make test`)")
    # Creating indexes takes longer than a shopper's half-second budget on a
    # busy machine: build them with a patient client, then test with the
    # configured one.
    configured = settings.WAGTAILSEARCH_BACKENDS
    patient = {**configured, "default": {**configured["default"], "TIMEOUT": 30}}
    settings.WAGTAILSEARCH_BACKENDS = patient
    call_command("update_index", backend_name="default", schema_only=True, verbosity=0)
    settings.WAGTAILSEARCH_BACKENDS = configured
    backend = get_search_backend("default")
    yield backend.get_index_for_model(Page)
    # update_index built one aliased index per indexed model (pages, images,
    # documents); drop them all
    for model in get_indexed_models():
        alias = backend.get_index_for_model(model)
        if alias.is_alias():
            for built in alias.aliased_indices():
                built.delete()


@pytest.fixture
def hanoi_delivery():
    """A Hà Nội address, for order, checkout and payment tests."""
    from marketplace.order.services import Delivery

    return Delivery(
        name="Nguyễn Thị Lan",
        phone="0912 345 678",
        province="Hà Nội",
        ward="Phường Tây Hồ",
        street="12 Quảng An",
    )


@pytest.fixture
def os_client():
    """The real OpenSearch; the products alias and its indexes are removed after."""
    client = opensearch_client(timeout=30)
    yield client
    if client.indices.exists_alias(name=ALIAS):
        for index in client.indices.get_alias(name=ALIAS):
            client.indices.delete(index=index, ignore_unavailable=True)


@pytest.fixture
def reindex_requests(monkeypatch):
    """Every chunk of product ids sent to the reindex task; the task still
    runs (a spy, not a fake: the index is written as usual)."""
    from search import tasks

    sent: list[list[int]] = []
    deliver = tasks.reindex_products_task.delay

    def spy(product_ids):
        sent.append(list(product_ids))
        return deliver(product_ids)

    monkeypatch.setattr(tasks.reindex_products_task, "delay", spy)
    return sent


@pytest.fixture
def broker_down():
    """`with broker_down():` Celery's broker is on a dead port and tasks are
    sent, not run eagerly: what a request sees while Redis is down. The
    app's cached connection pools are dropped on the way in and out, so the
    dead URL (then the live one) is really used."""
    from marketplace.celery import app as celery_app

    def pools_drop():
        celery_app._pool = None
        celery_app.amqp._producer_pool = None

    @contextlib.contextmanager
    def down():
        saved = celery_app.conf.broker_url, celery_app.conf.task_always_eager
        pools_drop()
        celery_app.conf.broker_url = "redis://127.0.0.1:9/0"
        celery_app.conf.task_always_eager = False
        try:
            yield
        finally:
            celery_app.conf.broker_url, celery_app.conf.task_always_eager = saved
            pools_drop()

    return down


@pytest.fixture
def payos_standin(settings):
    """The stand-in payOS on a free loopback port, the shop's PAYOS_* keys
    pointed at it (the SDK talks to it over HTTP)."""
    from marketplace.payments.payos_standin import PayosStandin

    with PayosStandin(
        client_id="test-client", api_key="test-api-key", checksum_key="test-checksum"
    ) as standin:
        settings.PAYOS_CLIENT_ID = standin.client_id
        settings.PAYOS_API_KEY = standin.api_key
        settings.PAYOS_CHECKSUM_KEY = standin.checksum_key
        settings.PAYOS_BASE_URL = standin.url
        settings.PAYOS_TIMEOUT = 2.0
        yield standin


@pytest.fixture
def payos_client(payos_standin):
    from marketplace.payments.payos_client import PayosClient

    return PayosClient.from_settings()


@pytest.fixture(scope="session")
def browser():
    """One headless Chromium for the whole run. Playwright's sync API cannot
    start while another sync instance is open in the same thread, so every
    package that drives a browser (e2e, multiprocess) shares this one."""
    from playwright.sync_api import sync_playwright

    from tests.e2e.conftest import CHROMIUM_ARGS

    with sync_playwright() as playwright:
        browser = playwright.chromium.launch(
            executable_path=os.environ.get("CHROMIUM_PATH", "/usr/bin/chromium"),
            args=CHROMIUM_ARGS,
        )
        yield browser
        browser.close()

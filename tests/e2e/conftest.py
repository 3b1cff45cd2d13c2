"""Headless Chromium (Debian's) driven by Playwright against live_server."""

import os
import time

import pytest
from django.db import connection

CHROMIUM_ARGS = [
    "--no-sandbox",
    "--disable-gpu",
    "--disable-background-networking",
    "--disable-component-update",
    "--no-first-run",
]


@pytest.fixture(scope="session", autouse=True)
def allow_orm_beside_playwright():
    """Playwright's sync API runs an event loop in this thread; Django would
    otherwise refuse the ORM calls that fixtures make around it."""
    previous = os.environ.get("DJANGO_ALLOW_ASYNC_UNSAFE")
    os.environ["DJANGO_ALLOW_ASYNC_UNSAFE"] = "true"
    yield
    if previous is None:
        del os.environ["DJANGO_ALLOW_ASYNC_UNSAFE"]
    else:
        os.environ["DJANGO_ALLOW_ASYNC_UNSAFE"] = previous


@pytest.fixture
def live_demo(live_server, transactional_db):
    """A live server with the demo content, on the real PostgreSQL.

    Each transactional test ends with a flush that also removes the rows
    Wagtail's migrations made; the demo setup recreates what it needs.
    """
    from marketplace.demo.services import demo_site_setup

    demo_site_setup(operator_password="test-operator-pass")
    return live_server


@pytest.fixture(autouse=True)
def _browser_quiet_before_flush(request):
    """Close every browser context and let the live server's requests end
    before the test's closing flush.

    A transactional test ends with TRUNCATE on every table. A context still
    open at that moment (a fixture torn down after the flush, or a test that
    failed before its own `close()`) keeps requesting pages; a request
    holding a lock mid-transaction then deadlocks with the TRUNCATE and
    PostgreSQL kills the flush, failing the test after it passed (CI, stop
    26). Set up after the database fixtures, so torn down before them.
    """
    if "live_server" not in request.fixturenames:
        yield
        return
    request.getfixturevalue("transactional_db")
    live_server = request.getfixturevalue("live_server")
    browser = request.getfixturevalue("browser") if "browser" in request.fixturenames else None
    yield
    if browser is not None:
        for context in browser.contexts:
            context.close()
    _server_threads_finished(live_server, timeout=30)
    _requests_finished(timeout=10)


def _server_threads_finished(live_server, *, timeout: float):
    """Wait until the live server's request threads have all ended.

    The database check below cannot see a request that the server accepted
    but whose thread has not reached its first query yet. On a loaded
    machine that gap lets the flush begin; the request then takes a row
    lock mid-TRUNCATE and PostgreSQL breaks the deadlock by killing the
    flush (a clean-clone CI run of 2026-12-03, after the Wagtail walk).
    Django's server keeps its request threads in socketserver's `_threads`
    (block_on_close)."""
    threads = getattr(live_server.thread.httpd, "_threads", None)
    if threads is None:
        return
    deadline = time.monotonic() + timeout
    for thread in list(threads):
        thread.join(max(0.0, deadline - time.monotonic()))


def _requests_finished(*, timeout: float):
    """Wait until no other session on the test database is running a
    statement or sits in an open transaction."""
    if connection.vendor != "postgresql":
        return
    deadline = time.monotonic() + timeout
    with connection.cursor() as cursor:
        while time.monotonic() < deadline:
            cursor.execute(
                "SELECT count(*) FROM pg_stat_activity"
                " WHERE datname = current_database() AND pid <> pg_backend_pid()"
                " AND backend_type = 'client backend' AND state <> 'idle'"
            )
            if cursor.fetchone()[0] == 0:
                return
            time.sleep(0.05)

"""Headless Chromium (Debian's) driven by Playwright against live_server."""

import os

import pytest

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

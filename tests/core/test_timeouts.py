"""Web requests do not wait on a slow database until gunicorn kills the
worker (issue 13, finding 9): a statement over the web statement timeout
ends in our Vietnamese 500 page, and gunicorn's own timeout sits above the
database's."""

import runpy
import time
from pathlib import Path

import pytest
from django.db import connection
from django.test import Client

ROOT = Path(__file__).resolve().parents[2]


@pytest.fixture
def web_statement_timeout():
    """The test connection reopened with the option string production sets
    for web workers (settings/production.py), at 300 ms."""
    options = connection.settings_dict.setdefault("OPTIONS", {})
    before = dict(options)
    options["options"] = "-c statement_timeout=300"
    connection.close()
    yield
    options.clear()
    options.update(before)
    connection.close()


@pytest.mark.django_db(transaction=True)
@pytest.mark.urls("tests.core.urls_that_fail")
def test_a_query_over_the_statement_timeout_gets_our_500_page(web_statement_timeout):
    # given a page whose query takes 3 s, and a 300 ms statement timeout
    client = Client(raise_request_exception=False)
    # when it is requested
    started = time.monotonic()
    response = client.get("/slow-query/")
    elapsed = time.monotonic() - started
    # then PostgreSQL cancels the query and the shopper gets our page, quickly
    assert response.status_code == 500
    assert "Đã có lỗi xảy ra" in response.content.decode()
    assert elapsed < 2.0  # the bound; the machine is shared and noisy


def _gunicorn_config(monkeypatch, **env) -> dict:
    for name in ("DJANGO_DB_CONNECT_TIMEOUT", "WEB_DB_STATEMENT_TIMEOUT", "GUNICORN_TIMEOUT"):
        monkeypatch.delenv(name, raising=False)
    for name, value in env.items():
        monkeypatch.setenv(name, value)
    return runpy.run_path(str(ROOT / "gunicorn.conf.py"))


def test_gunicorn_outlasts_the_database_timeouts_and_sets_them_for_workers(monkeypatch):
    # given gunicorn's configuration with its defaults
    config = _gunicorn_config(monkeypatch)
    # then a worker outlives connect + statement timeout, so the database
    # error, not gunicorn's kill, ends a request on a hanging database
    assert (
        config["timeout"] > config["db_connect_timeout"] + config["db_statement_timeout_ms"] / 1000
    )
    # and its workers, only they, run statements under the web timeout
    assert "DJANGO_DB_STATEMENT_TIMEOUT=5000" in config["raw_env"]


def test_gunicorn_refuses_a_timeout_below_the_database_timeouts(monkeypatch):
    with pytest.raises(RuntimeError, match="GUNICORN_TIMEOUT"):
        _gunicorn_config(monkeypatch, GUNICORN_TIMEOUT="6", WEB_DB_STATEMENT_TIMEOUT="5000")

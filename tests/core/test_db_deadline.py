"""A database that goes quiet costs a web request at most its wait deadline
(issue 13): a connection already open, or a new one, to a PostgreSQL that
accepts but never answers ends in our Vietnamese 500 page within 2 s, not in
gunicorn killing the worker. What waits on something else is left alone.

The database "hangs" through a small proxy in this file that keeps accepting
and keeps its connections but stops forwarding bytes (Toxiproxy's `timeout`
toxic does the same in tests/faults/)."""

import os
import runpy
import select
import signal
import socket
import subprocess
import sys
import textwrap
import threading
import time
from pathlib import Path

import psycopg
import pytest
import requests
from django.db import connection

from marketplace.core import db_deadline

ROOT = Path(__file__).resolve().parents[2]
OUR_500 = "Đã có lỗi xảy ra"


class HangingProxy:
    """A TCP proxy to PostgreSQL that can be told to hang: from then on it
    accepts connections and holds every one, but forwards nothing."""

    def __init__(self, upstream: tuple[str, int]) -> None:
        self.upstream = upstream
        self.hanging = False
        self.closed = False
        self.listener = socket.create_server(("127.0.0.1", 0))
        self.port = self.listener.getsockname()[1]
        threading.Thread(target=self._accept, daemon=True).start()

    def _accept(self) -> None:
        while not self.closed:
            try:
                client, _ = self.listener.accept()
            except OSError:
                return
            threading.Thread(target=self._pump, args=(client,), daemon=True).start()

    def _pump(self, client: socket.socket) -> None:
        try:
            server = socket.create_connection(self.upstream)
        except OSError:
            client.close()
            return
        peers = {client: server, server: client}
        try:
            while not self.closed:
                if self.hanging:
                    time.sleep(0.02)
                    continue
                ready, _, _ = select.select(list(peers), [], [], 0.02)
                for sock in ready:
                    data = sock.recv(65536)
                    if not data:
                        return
                    peers[sock].sendall(data)
        except OSError:
            pass
        finally:
            client.close()
            server.close()

    def close(self) -> None:
        self.closed = True
        self.listener.close()


def _database() -> dict:
    """The test run's database settings (its NAME, once pytest-django set it
    up, the test database's)."""
    return connection.settings_dict


@pytest.fixture
def proxy():
    database = _database()
    proxy = HangingProxy((database["HOST"] or "127.0.0.1", int(database["PORT"] or 5432)))
    yield proxy
    proxy.close()


def _conninfo(proxy: HangingProxy, dbname: str = "postgres") -> str:
    database = _database()
    return psycopg.conninfo.make_conninfo(
        host="127.0.0.1",
        port=proxy.port,
        dbname=dbname,
        user=database["USER"],
        password=database["PASSWORD"],
        connect_timeout=2,  # production's (libpq's minimum)
    )


# In this process: the deadline at 0.5 s, with psycopg alone. pytest-timeout
# watches these through a thread, as the deadline takes SIGALRM.

DEADLINE = 0.5


@pytest.fixture
def deadline(monkeypatch):
    previous = signal.getsignal(signal.SIGALRM)
    monkeypatch.setattr(db_deadline, "_deadline", None)
    assert db_deadline.install(DEADLINE)
    yield
    db_deadline.disarm()
    signal.signal(signal.SIGALRM, previous)


@pytest.mark.timeout(60, method="thread")
def test_a_command_the_database_never_answers_fails_at_the_deadline(proxy, deadline):
    # given an open connection, and a database that then goes quiet
    conn = psycopg.connect(_conninfo(proxy), autocommit=True)
    conn.execute("SELECT 1")
    proxy.hanging = True
    # when a request sends a command
    db_deadline.arm()
    started = time.monotonic()
    with pytest.raises(psycopg.OperationalError):
        conn.execute("SELECT 1")
    elapsed = time.monotonic() - started
    db_deadline.disarm()
    # then it fails at the deadline, and the connection is known to be lost
    assert DEADLINE - 0.2 < elapsed < DEADLINE + 0.3
    assert conn.closed


@pytest.mark.timeout(60, method="thread")
def test_connecting_to_a_quiet_database_fails_at_the_deadline(proxy, deadline):
    # given a database that accepts connections but never answers
    proxy.hanging = True
    # when a request connects
    db_deadline.arm()
    started = time.monotonic()
    with pytest.raises(psycopg.OperationalError):
        psycopg.connect(_conninfo(proxy))
    elapsed = time.monotonic() - started
    db_deadline.disarm()
    # then it gives up at the deadline, not at libpq's 2 s minimum
    assert DEADLINE - 0.2 < elapsed < DEADLINE + 0.3


@pytest.mark.timeout(60, method="thread")
def test_after_one_cut_the_next_wait_of_the_request_is_cut_at_once(proxy, deadline):
    # given a request whose query was cut on a quiet database
    conn = psycopg.connect(_conninfo(proxy), autocommit=True)
    proxy.hanging = True
    db_deadline.arm()
    with pytest.raises(psycopg.OperationalError):
        conn.execute("SELECT 1")
    # when it connects again (as Django does on its way out of the atomic block)
    started = time.monotonic()
    with pytest.raises(psycopg.OperationalError):
        psycopg.connect(_conninfo(proxy))
    elapsed = time.monotonic() - started
    db_deadline.disarm()
    # then that wait is cut at the next tick, not after another deadline
    assert elapsed < 0.2


@pytest.mark.timeout(60, method="thread")
def test_a_slow_database_is_cut_when_the_requests_waits_add_up_to_the_deadline(proxy, deadline):
    # given a request on a slow database: each query takes 0.6 of the
    # deadline, so no single wait reaches it
    conn = psycopg.connect(_conninfo(proxy), autocommit=True)
    db_deadline.arm()
    started = time.monotonic()
    conn.execute("SELECT pg_sleep(%s)", (DEADLINE * 0.6,))
    # when it sends a second such query
    with pytest.raises(psycopg.OperationalError):
        conn.execute("SELECT pg_sleep(%s)", (DEADLINE * 0.6,))
    elapsed = time.monotonic() - started
    db_deadline.disarm()
    # then the second is cut once the two waits add up to the deadline
    assert DEADLINE - 0.2 < elapsed < DEADLINE + 0.3


@pytest.mark.timeout(60, method="thread")
def test_a_connection_idle_in_transaction_and_short_queries_are_left_alone(proxy, deadline):
    # given a request in a transaction
    conn = psycopg.connect(_conninfo(proxy))
    db_deadline.arm()
    pid = conn.execute("SELECT pg_backend_pid()").fetchone()[0]
    # when it works outside the database for longer than the deadline (a
    # template, OpenSearch), then runs a query a little under the deadline
    time.sleep(DEADLINE * 2.5)
    conn.execute("SELECT pg_sleep(%s)", (DEADLINE * 0.6,))
    still = conn.execute("SELECT pg_backend_pid()").fetchone()[0]
    db_deadline.disarm()
    # then its connection and transaction went on untouched
    assert still == pid
    assert conn.info.transaction_status == psycopg.pq.TransactionStatus.INTRANS
    conn.close()


@pytest.fixture
def look_at_ticks():
    """SIGALRM every 0.1 s, each time noting what the decision function
    makes of the interrupted code."""
    seen = []
    previous = signal.signal(
        signal.SIGALRM, lambda signum, frame: seen.append(db_deadline.database_wait(frame))
    )
    signal.setitimer(signal.ITIMER_REAL, 0.1, 0.15)
    yield seen
    signal.setitimer(signal.ITIMER_REAL, 0)
    signal.signal(signal.SIGALRM, previous)


@pytest.mark.timeout(60, method="thread")
def test_the_decision_sees_a_command_in_flight_not_a_connection_idle_in_transaction(
    proxy, look_at_ticks
):
    conn = psycopg.connect(_conninfo(proxy))
    # when the connection is mid-command
    look_at_ticks.clear()
    conn.execute("SELECT pg_sleep(0.6)")
    during_command = list(look_at_ticks)
    # and then idle in its transaction while the code does something else
    look_at_ticks.clear()
    time.sleep(0.6)
    while_idle = list(look_at_ticks)
    # then the command is a database wait, on the connection's socket, and
    # the idle transaction is not
    waits = [wait for wait in during_command if wait is not None]
    assert waits and all(wait.fileno == conn.pgconn.socket for wait in waits)
    assert while_idle and all(wait is None for wait in while_idle)
    assert conn.info.transaction_status == psycopg.pq.TransactionStatus.INTRANS
    conn.close()


@pytest.mark.timeout(60, method="thread")
def test_no_tick_outlives_the_request(deadline):
    # given a request whose deadline is armed
    db_deadline.arm()
    assert signal.getitimer(signal.ITIMER_REAL)[0] > 0
    # when the request ends, with a tick already on its way
    db_deadline.disarm()
    db_deadline._on_alarm(signal.SIGALRM, sys._getframe())
    # then no timer is left running
    assert signal.getitimer(signal.ITIMER_REAL) == (0.0, 0.0)


@pytest.mark.timeout(60, method="thread")
def test_nothing_is_armed_where_gunicorn_did_not_install_it(monkeypatch):
    # given a process that never installed the deadline (Celery, manage.py)
    monkeypatch.setattr(db_deadline, "_deadline", None)
    # when a request would arm it, then no timer runs
    db_deadline.arm()
    assert signal.getitimer(signal.ITIMER_REAL) == (0.0, 0.0)


def _gunicorn_config(monkeypatch, **env) -> dict:
    for name in ("DJANGO_DB_WAIT_DEADLINE", "GUNICORN_TIMEOUT"):
        monkeypatch.delenv(name, raising=False)
    for name, value in env.items():
        monkeypatch.setenv(name, value)
    return runpy.run_path(str(ROOT / "gunicorn.conf.py"))


def test_gunicorn_arms_the_deadline_around_each_request(monkeypatch):
    config = _gunicorn_config(monkeypatch)
    assert config["db_wait_deadline"] == 1.5
    assert {"post_worker_init", "pre_request", "post_request"} <= set(config)


def test_gunicorn_refuses_a_wait_deadline_it_would_kill_the_worker_before(monkeypatch):
    with pytest.raises(RuntimeError, match="DJANGO_DB_WAIT_DEADLINE"):
        _gunicorn_config(monkeypatch, DJANGO_DB_WAIT_DEADLINE="20")


# The real site: gunicorn with production settings and gunicorn.conf.py, one
# sync worker, PostgreSQL through the proxy. The settings only swap static
# storage (no collectstatic manifest here) and add three pages to the URLs.

SETTINGS = """
from marketplace.settings.production import *  # noqa: F403
from marketplace.settings.production import STORAGES

ROOT_URLCONF = "deadline_urls"
STORAGES = {
    **STORAGES,
    "staticfiles": {"BACKEND": "django.contrib.staticfiles.storage.StaticFilesStorage"},
}
"""

URLS = """
import time

from django.db import connection
from django.http import HttpResponse
from django.urls import path

from marketplace.urls import *  # noqa: F403  (the error handlers)
from marketplace.urls import urlpatterns as site


def _count():
    with connection.cursor() as cursor:
        cursor.execute("SELECT count(*) FROM django_migrations")
        return cursor.fetchone()[0]


def reads(request):
    return HttpResponse(f"{_count()} migrations")


def slow_query(request):
    with connection.cursor() as cursor:
        cursor.execute("SELECT pg_sleep(4)")
    return HttpResponse("slept")


def slow_elsewhere(request):
    first = _count()
    time.sleep(2.5)  # OpenSearch, a template... with the transaction open
    return HttpResponse(f"{first} then {_count()}")


urlpatterns = [
    path("deadline/reads/", reads),
    path("deadline/slow-query/", slow_query),
    path("deadline/slow-elsewhere/", slow_elsewhere),
    *site,
]
"""


def _free_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return sock.getsockname()[1]


@pytest.fixture(scope="module")
def site(django_db_setup, tmp_path_factory):
    """gunicorn on the test database, through a proxy that can hang."""
    database = _database()
    proxy = HangingProxy((database["HOST"] or "127.0.0.1", int(database["PORT"] or 5432)))
    work = tmp_path_factory.mktemp("deadline-site")
    (work / "deadline_settings.py").write_text(textwrap.dedent(SETTINGS))
    (work / "deadline_urls.py").write_text(textwrap.dedent(URLS))
    port = _free_port()
    base_url = f"http://127.0.0.1:{port}"
    env = {
        key: value
        for key, value in os.environ.items()
        if not key.startswith(("DJANGO_", "DATABASE_", "GUNICORN_", "WEB_DB_"))
    }
    env.update(
        DJANGO_SETTINGS_MODULE="deadline_settings",
        DJANGO_SECRET_KEY="deadline-test-not-secret",
        DJANGO_ALLOWED_HOSTS="127.0.0.1",
        DJANGO_SECURE_SSL_REDIRECT="False",
        DJANGO_LOG_LEVEL="WARNING",
        DATABASE_URL=(
            f"postgres://{database['USER']}:{database['PASSWORD']}@127.0.0.1:{proxy.port}/"
            f"{database['NAME']}"
        ),
        REDIS_URL=os.environ.get("REDIS_URL", "redis://127.0.0.1:6379/0"),
        OPENSEARCH_URL=os.environ.get("OPENSEARCH_URL", "http://127.0.0.1:9200"),
        WAGTAILADMIN_BASE_URL=base_url,
        GUNICORN_BIND=f"127.0.0.1:{port}",
        GUNICORN_WORKERS="1",
        PYTHONPATH=str(work),
    )
    log = open(work / "gunicorn.log", "wb")  # noqa: SIM115  (kept open for the process)
    process = subprocess.Popen(
        [str(ROOT / ".venv" / "bin" / "gunicorn"), "-c", "gunicorn.conf.py", "marketplace.wsgi"],
        cwd=ROOT,
        env=env,
        stdout=log,
        stderr=subprocess.STDOUT,
        start_new_session=True,
    )
    try:
        _wait_ready(process, base_url, work / "gunicorn.log")
        yield base_url, proxy
    finally:
        os.killpg(process.pid, signal.SIGTERM)
        try:
            process.wait(timeout=20)
        except subprocess.TimeoutExpired:
            os.killpg(process.pid, signal.SIGKILL)
            process.wait(timeout=10)
        log.close()
        proxy.close()


def _wait_ready(process: subprocess.Popen, base_url: str, log: Path) -> None:
    started = time.monotonic()
    while time.monotonic() - started < 120:
        if process.poll() is not None:
            raise RuntimeError(f"gunicorn exited:\n{log.read_text()[-3000:]}")
        try:
            if requests.get(base_url + "/deadline/reads/", timeout=5).status_code == 200:
                return
        except requests.RequestException:
            pass
        time.sleep(0.5)
    raise RuntimeError(f"gunicorn did not answer:\n{log.read_text()[-3000:]}")


def _get(url: str) -> tuple[requests.Response, float]:
    started = time.monotonic()
    response = requests.get(url, timeout=30)
    return response, time.monotonic() - started


@pytest.mark.django_db  # the site's tables, in the test database
def test_a_quiet_database_gets_our_500_page_within_two_seconds_and_the_worker_recovers(site):
    base_url, proxy = site
    # given a worker whose persistent connection is open
    response, _ = _get(base_url + "/deadline/reads/")
    assert response.status_code == 200
    try:
        # when the database goes quiet, then a page that reads it answers our
        # 500 page within 2 s (its open connection's health check hangs)
        proxy.hanging = True
        response, elapsed = _get(base_url + "/deadline/reads/")
        assert response.status_code == 500
        assert OUR_500 in response.text
        assert elapsed < 2.0
        # and liveness, which reads nothing, still answers at once
        response, elapsed = _get(base_url + "/healthz/live/")
        assert response.status_code == 200
        assert elapsed < 0.5
        # and the next read, which must connect anew, is as quick
        response, elapsed = _get(base_url + "/deadline/reads/")
        assert response.status_code == 500
        assert OUR_500 in response.text
        assert elapsed < 2.0
    finally:
        proxy.hanging = False
    # when the database answers again, then so does the page
    response, _ = _get(base_url + "/deadline/reads/")
    assert response.status_code == 200
    assert "migrations" in response.text


@pytest.mark.django_db  # the site's tables, in the test database
def test_a_query_longer_than_the_deadline_gets_our_500_page_within_two_seconds(site):
    base_url, _proxy = site
    response, elapsed = _get(base_url + "/deadline/slow-query/")
    assert response.status_code == 500
    assert OUR_500 in response.text
    assert elapsed < 2.0
    response, _ = _get(base_url + "/deadline/reads/")
    assert response.status_code == 200


@pytest.mark.django_db  # the site's tables, in the test database
def test_a_request_slow_outside_the_database_is_not_cut(site):
    base_url, _proxy = site
    # given a page that holds its transaction open while it works elsewhere
    # for longer than the deadline
    response, elapsed = _get(base_url + "/deadline/slow-elsewhere/")
    # then it answers normally
    assert response.status_code == 200
    assert elapsed > 2.5

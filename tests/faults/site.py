"""The real site, ready to break: gunicorn on `marketplace.settings.production`
and a Celery worker, each reaching PostgreSQL, Redis and OpenSearch through
Toxiproxy, and mailing through a loopback SMTP server that keeps every
message so tests can count them.

Shared by the fault suite (tests/faults/) and the Redis-cut benchmark
(tests/bench/locust_cut.py, `make bench`). Nothing here imports Django: the
site runs in its own processes, as in production, and the harness looks at
its database straight through psycopg.

Setup is slow on a fresh machine (migrating Oscar and Wagtail from nothing
takes minutes, collectstatic's manifest and compression as long), so the
site database and `var/static` are kept between runs and only brought up to
date: `migrate` applies new migrations, the demo seed runs when the catalogue
is empty, and collectstatic runs when a static source is newer than the
manifest.
"""

from __future__ import annotations

import email
import email.policy
import os
import re
import secrets
import signal
import socket
import socketserver
import subprocess
import sys
import threading
import time
from collections import Counter
from dataclasses import dataclass, field
from pathlib import Path
from urllib.parse import urlencode, urlsplit, urlunsplit

import psycopg
import redis
import requests
from celery import Celery

ROOT = Path(__file__).resolve().parents[2]
BIN = Path(sys.executable).parent
WEBHOOK_SECRET = "whsec_faults_site"
DEPENDENCIES = ("postgres", "redis", "opensearch")
FAULTS = ("down", "hanging", "latency", "reset_peer")


def free_port() -> int:
    """A loopback port nothing listens on right now."""
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return sock.getsockname()[1]


# --- Toxiproxy --------------------------------------------------------------


class Toxiproxy:
    """The handful of calls of Toxiproxy's HTTP API the fault tests use.

    One Toxiproxy serves every helper on the machine, so proxies carry their
    owner's prefix and nothing here calls the global `/reset`."""

    def __init__(self, url: str = "http://127.0.0.1:8474") -> None:
        self.url = url.rstrip("/")
        self.http = requests.Session()

    def _call(self, method: str, path: str, json=None, *, missing_ok=False):
        response = self.http.request(method, self.url + path, json=json, timeout=10)
        if missing_ok and response.status_code == 404:
            return None
        response.raise_for_status()
        return response.json() if response.content else None

    def answers(self) -> bool:
        try:
            return self.http.get(self.url + "/version", timeout=2).ok
        except requests.RequestException:
            return False

    def proxy_create(self, name: str, *, upstream: str) -> str:
        """(Re)create proxy `name` to `upstream` on a free loopback port;
        return the `host:port` it listens on."""
        self.proxy_delete(name)
        listen = f"127.0.0.1:{free_port()}"
        self._call(
            "POST",
            "/proxies",
            {"name": name, "listen": listen, "upstream": upstream, "enabled": True},
        )
        return listen

    def proxy_delete(self, name: str) -> None:
        self._call("DELETE", f"/proxies/{name}", missing_ok=True)

    def proxy_enable(self, name: str, enabled: bool) -> None:
        """Disabling closes every connection through the proxy and refuses
        new ones: the dependency is down."""
        self._call("POST", f"/proxies/{name}", {"enabled": enabled})

    def toxic_add(self, name: str, kind: str, *, stream: str = "downstream", **attributes):
        self._call(
            "POST",
            f"/proxies/{name}/toxics",
            {
                "name": f"{kind}_{stream}",
                "type": kind,
                "stream": stream,
                "toxicity": 1.0,
                "attributes": attributes,
            },
        )

    def toxics_clear(self, name: str) -> None:
        for toxic in self._call("GET", f"/proxies/{name}/toxics") or []:
            self._call("DELETE", f"/proxies/{name}/toxics/{toxic['name']}", missing_ok=True)

    def fault_apply(self, name: str, fault: str) -> None:
        """Break proxy `name` the way `fault` says:

        - down: the proxy refuses connections;
        - hanging: connections open, but nothing comes through either way
          (a `timeout` toxic with timeout 0 holds data until removed);
        - latency: every answer waits 1 s;
        - reset_peer: every connection is reset (TCP RST) on its next data.
        """
        if fault == "down":
            self.proxy_enable(name, False)
        elif fault == "hanging":
            for stream in ("upstream", "downstream"):
                self.toxic_add(name, "timeout", stream=stream, timeout=0)
        elif fault == "latency":
            self.toxic_add(name, "latency", latency=1000, jitter=0)
        elif fault == "reset_peer":
            self.toxic_add(name, "reset_peer", timeout=0)
        else:
            raise ValueError(f"unknown fault {fault!r}")

    def fault_clear(self, name: str) -> None:
        """Remove every toxic, and drop every connection that went through
        the fault: data a `timeout` toxic swallowed never arrives, so a
        connection caught in it would stay stuck after the fault is gone.

        A proxy with no fault is left alone. Dropping its connections would
        be a fault of its own: a worker cut off between sending an order's
        mail and committing that it did sends it again (the one repeat the
        outbox allows), which the recovery test once counted as a bug."""
        proxy = self._call("GET", f"/proxies/{name}")
        if proxy["enabled"] and not proxy.get("toxics"):
            return
        self.toxics_clear(name)
        self.proxy_enable(name, False)
        self.proxy_enable(name, True)


# --- mail -------------------------------------------------------------------


class MailSink(socketserver.ThreadingTCPServer):
    """An SMTP server on loopback that keeps every message it is handed.

    The site keeps production's SMTP backend (EMAIL_HOST/EMAIL_PORT point
    here), and mails sent by any of its processes, web or worker, can be
    counted per order number in the test."""

    allow_reuse_address = True
    daemon_threads = True

    def __init__(self) -> None:
        super().__init__(("127.0.0.1", 0), _SmtpHandler)
        self.messages: list[email.message.EmailMessage] = []
        self.lock = threading.Lock()
        self.thread = threading.Thread(target=self.serve_forever, daemon=True)

    @property
    def port(self) -> int:
        return self.server_address[1]

    def start(self) -> MailSink:
        self.thread.start()
        return self

    def stop(self) -> None:
        self.shutdown()
        self.server_close()

    def store(self, raw: bytes) -> None:
        message = email.message_from_bytes(raw, policy=email.policy.default)
        with self.lock:
            self.messages.append(message)

    def subjects(self) -> list[str]:
        with self.lock:
            return [str(message["Subject"]) for message in self.messages]

    def order_mails(self, numbers) -> Counter:
        """How many mails name each of these order numbers in their subject."""
        wanted = {str(n) for n in numbers}
        counts: Counter = Counter(dict.fromkeys(wanted, 0))
        for subject in self.subjects():
            for token in re.findall(r"\d+", subject):
                if token in wanted:
                    counts[token] += 1
        return counts


class _SmtpHandler(socketserver.StreamRequestHandler):
    """Just enough SMTP for smtplib: every command accepted, DATA kept."""

    def _reply(self, line: str) -> None:
        self.wfile.write(line.encode() + b"\r\n")

    def handle(self) -> None:
        self._reply("220 faults.local ESMTP sink")
        data: list[bytes] | None = None
        while line := self.rfile.readline():
            if data is not None:
                if line.rstrip(b"\r\n") == b".":
                    self.server.store(b"".join(data))
                    data = None
                    self._reply("250 kept")
                else:
                    data.append(line[1:] if line.startswith(b"..") else line)
                continue
            verb = line[:4].upper()
            if verb == b"EHLO":
                self.wfile.write(b"250-faults.local\r\n250 8BITMIME\r\n")
            elif verb == b"DATA":
                data = []
                self._reply("354 go ahead")
            elif verb == b"QUIT":
                self._reply("221 bye")
                return
            else:  # HELO, MAIL, RCPT, RSET, NOOP
                self._reply("250 ok")


# --- shoppers ---------------------------------------------------------------


def cookies_allow_secure_over_http(session: requests.Session) -> requests.Session:
    """Production marks the session, CSRF and basket cookies Secure; the site
    under test speaks plain HTTP on loopback, so let `session` send them.

    A cookie policy on `session.cookies` would not do: requests copies the
    cookies into a fresh jar with the default policy for every request.
    Works for locust's HttpSession too (a requests.Session)."""
    prepare = session.prepare_request

    def prepare_request(request):
        for cookie in session.cookies:
            cookie.secure = False
        return prepare(request)

    session.prepare_request = prepare_request
    return session


ORDER_NUMBER = re.compile(r'data-testid="order-number">\s*([^<\s]+)')
PRODUCT_LINK = re.compile(r'href="(/shop/[^"/?#]+_(\d+)/)"')
VIETNAMESE_ERROR_PAGE = "Đã có lỗi xảy ra"


CHECKOUT_PROVINCE = "Hà Nội"
# The checkout summary for that province, which the page's script fetches
# when the province is picked (js/checkout-total.js), and the total in it
# that "Đặt hàng" posts back: the order is placed only at that total.
CHECKOUT_SUMMARY_PATH = "/shop/checkout/tong-tien/?" + urlencode({"province": CHECKOUT_PROVINCE})
SHOWN_TOTAL = re.compile(r'name="shown_total" value="(\d*)"')


def shown_total(summary_html: str) -> str:
    found = SHOWN_TOTAL.search(summary_html or "")
    return found.group(1) if found else ""


def checkout_form(*, email_address: str, csrf: str, shown: str = "", payment: str = "cod") -> dict:
    """The one-page checkout as a shopper in Hà Nội fills it in, confirming
    the total `shown` (from the summary at CHECKOUT_SUMMARY_PATH)."""
    return {
        "shown_total": shown,
        "csrfmiddlewaretoken": csrf,
        "name": "Khách thử lỗi",
        "phone": "0912345678",
        "email": email_address,
        "province": CHECKOUT_PROVINCE,
        "ward": "Phường Tây Hồ",
        "street": "1 Quảng An",
        "payment": payment,
    }


# --- the site ----------------------------------------------------------------


def _with_address(url: str, address: str, *, path: str | None = None) -> str:
    parts = urlsplit(url)
    netloc = address
    if parts.username:
        credentials = parts.username + (f":{parts.password}" if parts.password else "")
        netloc = f"{credentials}@{address}"
    return urlunsplit((parts.scheme, netloc, parts.path if path is None else path, parts.query, ""))


@dataclass
class SiteConfig:
    """Where the site's own data lives; `name` prefixes its proxies and work
    directory so two runs on one machine keep apart."""

    name: str
    database_url: str
    redis_url: str
    opensearch_url: str
    products_alias: str
    pages_index: str
    toxiproxy_url: str = "http://127.0.0.1:8474"
    stripe_api_base: str = "http://127.0.0.1:12111"
    workers: int = 3
    worker_concurrency: int = 1
    # more of production's environment (the media store's, say)
    extra_env: dict[str, str] = field(default_factory=dict)

    @classmethod
    def from_test_env(cls, name: str, **overrides) -> SiteConfig:
        """Next to the test run's own services: the test database's name
        with `_site`, the test run's Redis database, and its index names
        with `-site`."""
        database_url = os.environ.get("DATABASE_URL", "postgres://ocop:ocop@127.0.0.1:5432/ocop")
        return cls(
            name=name,
            database_url=database_url.rstrip("/") + "_site",
            redis_url=os.environ.get("REDIS_URL", "redis://127.0.0.1:6379/0"),
            opensearch_url=os.environ.get("OPENSEARCH_URL", "http://127.0.0.1:9200"),
            products_alias=os.environ.get("OPENSEARCH_PRODUCTS_ALIAS", "ocop-products-test")
            + "-site",
            pages_index=os.environ.get("WAGTAIL_SEARCH_INDEX", "ocop-pages-test") + "-site",
            **overrides,
        )


class Site:
    """gunicorn + a Celery worker on production settings, behind Toxiproxy."""

    def __init__(self, config: SiteConfig) -> None:
        self.config = config
        self.toxiproxy = Toxiproxy(config.toxiproxy_url)
        self.workdir = ROOT / "var" / f"{config.name}-site"
        self.workdir.mkdir(parents=True, exist_ok=True)
        self.listen: dict[str, str] = {}
        self.mail = MailSink()
        self.port = free_port()
        self.base_url = f"http://127.0.0.1:{self.port}"
        self.secret_key = secrets.token_urlsafe(50)
        self.processes: dict[str, subprocess.Popen] = {}

    # names and addresses

    def proxy(self, dependency: str) -> str:
        return f"{self.config.name}-{dependency}"

    def _upstreams(self) -> dict[str, str]:
        return {
            "postgres": urlsplit(self.config.database_url).netloc.rsplit("@", 1)[-1],
            "redis": urlsplit(self.config.redis_url).netloc.rsplit("@", 1)[-1],
            "opensearch": urlsplit(self.config.opensearch_url).netloc,
        }

    @property
    def database_name(self) -> str:
        return urlsplit(self.config.database_url).path.lstrip("/")

    def env(self, *, proxied: bool = True, listen: dict[str, str] | None = None) -> dict[str, str]:
        """Production's environment for the site's processes: through the
        proxies (the site's own, or those in `listen`), or straight to the
        services for setup commands."""
        database, cache, search = (
            self.config.database_url,
            self.config.redis_url,
            self.config.opensearch_url,
        )
        if proxied:
            listen = listen or self.listen
            database = _with_address(database, listen["postgres"])
            cache = _with_address(cache, listen["redis"])
            search = _with_address(search, listen["opensearch"])
        # what the test process itself was given for its own services must
        # not leak into a production process
        base = {
            key: value
            for key, value in os.environ.items()
            if not key.startswith(
                (
                    "DJANGO_",
                    "DATABASE_",
                    "REDIS_",
                    "OPENSEARCH_",
                    "STRIPE_",
                    "CELERY_",
                    "EMAIL_",
                    "WAGTAIL",
                )
            )
        }
        return {
            **base,
            "DJANGO_SETTINGS_MODULE": "marketplace.settings.production",
            "DJANGO_SECRET_KEY": self.secret_key,
            "DJANGO_ALLOWED_HOSTS": "127.0.0.1,localhost",
            "DJANGO_SECURE_SSL_REDIRECT": "False",
            "DJANGO_LOG_LEVEL": "WARNING",
            "DJANGO_TRUSTED_PROXY_COUNT": "0",
            "DATABASE_URL": database,
            "REDIS_URL": cache,
            "OPENSEARCH_URL": search,
            "OPENSEARCH_PRODUCTS_ALIAS": self.config.products_alias,
            "WAGTAIL_SEARCH_INDEX": self.config.pages_index,
            "WAGTAILADMIN_BASE_URL": self.base_url,
            "STRIPE_API_BASE": self.config.stripe_api_base,
            "STRIPE_SECRET_KEY": "sk_test_123",
            "STRIPE_PUBLISHABLE_KEY": "pk_test_123",
            "STRIPE_WEBHOOK_SECRET": WEBHOOK_SECRET,
            "DJANGO_EMAIL_BACKEND": "django.core.mail.backends.smtp.EmailBackend",
            "EMAIL_HOST": "127.0.0.1",
            "EMAIL_PORT": str(self.mail.port),
            "PYTHONUNBUFFERED": "1",
            **self.config.extra_env,
        }

    # setup

    def manage(self, *args: str, timeout: float = 1200) -> str:
        """`manage.py <args>` on production settings, straight to the services
        (with a patient OpenSearch client: building an index on a busy
        machine takes longer than a shopper's half-second budget)."""
        result = subprocess.run(
            [sys.executable, "manage.py", *args],
            cwd=ROOT,
            env={**self.env(proxied=False), "OPENSEARCH_TIMEOUT": "60"},
            capture_output=True,
            text=True,
            timeout=timeout,
        )
        if result.returncode != 0:
            raise RuntimeError(
                f"manage.py {' '.join(args)} failed:\n{result.stdout[-3000:]}\n"
                f"{result.stderr[-3000:]}"
            )
        return result.stdout

    def sql(self, query: str, params=None) -> list[tuple]:
        """Run `query` on the site database (directly, not through the proxy)."""
        with psycopg.connect(self.config.database_url, autocommit=True) as conn:
            cursor = conn.execute(query, params)
            return cursor.fetchall() if cursor.description else []

    def database_prepare(self, *, fresh: bool = False) -> None:
        """Create the site database if missing (or `fresh`), migrate it, and
        seed the demo catalogue and pages when it has no products yet."""
        admin_url = self.config.database_url.rsplit("/", 1)[0] + "/postgres"
        with psycopg.connect(admin_url, autocommit=True) as conn:
            if fresh:
                conn.execute(f'DROP DATABASE IF EXISTS "{self.database_name}" WITH (FORCE)')
            exists = conn.execute(
                "SELECT 1 FROM pg_database WHERE datname = %s", (self.database_name,)
            ).fetchone()
            if not exists:
                conn.execute(f'CREATE DATABASE "{self.database_name}"')
        self.manage("migrate", "--noinput")
        if not self.sql("SELECT 1 FROM catalogue_product LIMIT 1"):
            self.manage(
                "shell",
                "-c",
                "from marketplace.demo.services import demo_site_setup; "
                "demo_site_setup(operator_password='faults-operator-pass', with_images=False)",
            )

    def static_prepare(self) -> None:
        """collectstatic for whitenoise's manifest storage, unless the
        manifest is newer than every static source and the pinned packages."""
        manifest = ROOT / "var" / "static" / "staticfiles.json"
        if manifest.exists():
            built = manifest.stat().st_mtime
            sources = [ROOT / "requirements.lock", *(ROOT / "static").rglob("*")]
            if all(path.stat().st_mtime < built for path in sources if path.is_file()):
                return
        self.manage("collectstatic", "--noinput")

    def index_build(self) -> None:
        """A fresh product index and the pages index, under the site's names."""
        self.manage("search_index", "--rebuild")
        self.manage("update_index", "--backend", "default")

    def indexes_drop(self) -> None:
        """The site's OpenSearch indexes, removed after the run."""
        for prefix in (self.config.products_alias, self.config.pages_index):
            listed = requests.get(
                f"{self.config.opensearch_url}/{prefix}*",
                params={"ignore_unavailable": "true", "allow_no_indices": "true"},
                timeout=30,
            )
            for index in listed.json() if listed.ok else []:
                requests.delete(f"{self.config.opensearch_url}/{index}", timeout=30)

    # processes

    def _spawn(self, name: str, command: list[str], *, env=None) -> subprocess.Popen:
        log = open(self.workdir / f"{name}.log", "ab")  # kept open for the process
        log.write(f"\n--- {time.strftime('%H:%M:%S')} {' '.join(command)}\n".encode())
        log.flush()
        process = subprocess.Popen(
            command,
            cwd=ROOT,
            env=env or self.env(),
            stdout=log,
            stderr=subprocess.STDOUT,
            start_new_session=True,  # its own group: stopped with its children
        )
        self.processes[name] = process
        return process

    def start(self, *, while_booting=None) -> Site:
        """Proxies, the mail sink, gunicorn and the worker; returns when the
        home page answers 200. `while_booting()` runs meanwhile (the index
        build: gunicorn's workers take a minute to boot on a busy machine)."""
        if not self.toxiproxy.answers():
            raise RuntimeError(
                f"Toxiproxy does not answer on {self.config.toxiproxy_url}: "
                "run `.ci/services.sh install && .ci/services.sh start`"
            )
        for dependency, upstream in self._upstreams().items():
            self.listen[dependency] = self.toxiproxy.proxy_create(
                self.proxy(dependency), upstream=upstream
            )
        self.mail.start()
        self.webs_spawn()
        self._spawn(
            "celery",
            [
                str(BIN / "celery"),
                "-A",
                "marketplace",
                "worker",
                f"--concurrency={self.config.worker_concurrency}",
                "--without-heartbeat",
                "--without-gossip",
                "--without-mingle",
                "-n",
                f"{self.config.name}@%h",
                "--loglevel=WARNING",
            ],
        )
        if while_booting is not None:
            while_booting()
        self.webs_wait()
        return self

    def webs_spawn(self) -> None:
        """The web side: one gunicorn on the site's address."""
        self.web_spawn("gunicorn", port=self.port)

    def webs_wait(self) -> None:
        self.wait_ready()

    def web_spawn(self, name: str, *, port: int, env=None) -> subprocess.Popen:
        """One gunicorn (master and `config.workers` workers) on `port`."""
        return self._spawn(
            name,
            [
                str(BIN / "gunicorn"),
                "marketplace.wsgi:application",
                "--bind",
                f"127.0.0.1:{port}",
                "--workers",
                str(self.config.workers),
                "--access-logfile",
                "-",
                "--access-logformat",
                '%(t)s "%(r)s" %(s)s %(b)s %(M)sms',
            ],
            env=env,
        )

    def log_lines(self, name: str, containing: str) -> list[str]:
        """The lines of process `name`'s log that mention `containing`."""
        path = self.workdir / f"{name}.log"
        if not path.exists():
            return []
        text = path.read_text(errors="replace")
        return [line for line in text.splitlines() if containing in line]

    def wait_ready(
        self, *, path: str = "/", deadline: float = 120, web: str = "gunicorn", url: str = ""
    ) -> None:
        """Wait until web process `web` answers 200 on `path` (at `url`,
        the site's address unless given)."""
        started = time.monotonic()
        last = None
        while time.monotonic() - started < deadline:
            if self.processes[web].poll() is not None:
                raise RuntimeError(f"{web} exited; see {self.workdir / f'{web}.log'}")
            try:
                last = requests.get((url or self.base_url) + path, timeout=5)
                if last.status_code == 200:
                    return
            except requests.RequestException as exc:
                last = exc
            time.sleep(0.5)
        raise RuntimeError(f"the site did not answer 200 on {path} in {deadline} s: {last}")

    def stop(self) -> None:
        for process in self.processes.values():
            if process.poll() is None:
                os.killpg(process.pid, signal.SIGTERM)
        for process in self.processes.values():
            try:
                process.wait(timeout=20)
            except subprocess.TimeoutExpired:
                os.killpg(process.pid, signal.SIGKILL)
                process.wait(timeout=10)
        self.processes.clear()
        for dependency in self.listen:
            self.toxiproxy.proxy_delete(self.proxy(dependency))
        self.mail.stop()

    # faults

    def fault_apply(self, dependency: str, fault: str) -> None:
        self.toxiproxy.fault_apply(self.proxy(dependency), fault)

    def fault_clear(self, dependency: str) -> None:
        """Remove `dependency`'s fault; only its own connections are dropped,
        so requests in flight to the others are left alone."""
        self.toxiproxy.fault_clear(self.proxy(dependency))

    def faults_clear(self) -> None:
        for dependency in self.listen:
            self.fault_clear(dependency)

    def worker_idle_wait(self, *, deadline: float = 60) -> None:
        """Return once the worker has nothing queued, reserved or running.

        The outbox sends an order's mail and then commits that it did; a
        database cut between the two sends it again (at least once: the
        outbox would rather repeat a mail than lose one). The next episode's
        fault must not land in that window, or the suite itself makes the
        repeat it then counts as a bug. Nothing else sends the worker tasks
        while the harness waits here, so an idle worker stays idle."""
        app, queue = (
            Celery(broker=self.config.redis_url),
            redis.Redis.from_url(self.config.redis_url),
        )
        ours = f"{self.config.name}@"
        started, busy = time.monotonic(), "no answer"
        try:
            while time.monotonic() - started < deadline:
                queued = queue.llen("celery")
                inspect = app.control.inspect(timeout=2)
                answers = [inspect.active() or {}, inspect.reserved() or {}]
                tasks = [
                    task
                    for answer in answers
                    for worker, listed in answer.items()
                    if worker.startswith(ours)
                    for task in listed
                ]
                if all(any(w.startswith(ours) for w in answer) for answer in answers):
                    if queued == 0 and not tasks:
                        return
                    busy = f"{queued} queued, {len(tasks)} reserved or running"
                time.sleep(0.5)
        finally:
            app.close()
            queue.close()
        raise RuntimeError(f"the worker was still busy after {deadline} s: {busy}")

    def redis_flush(self) -> None:
        """Start from an empty Redis database: no queued task from an earlier
        run may reach this run's worker."""
        redis.Redis.from_url(self.config.redis_url).flushdb()

    def outbox_sweep(self) -> int:
        """What beat's sweep does once its grace period has passed, now:
        run every recorded after-commit task that has not run."""
        out = self.manage(
            "shell",
            "-c",
            "from datetime import timedelta; "
            "from marketplace.outbox.worker import outbox_sweep; "
            "print('swept', outbox_sweep(grace=timedelta(0)))",
        )
        found = re.search(r"swept (\d+)", out)
        return int(found.group(1)) if found else 0

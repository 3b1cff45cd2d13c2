"""A stand-in for the national OCOP registry's public API, served from a snapshot.

The real registry cannot be reached from development machines or CI, so
this server is the project's only fake: it answers the same paginated
`/v1/public/product-info/` API from a JSON snapshot and can misbehave on
request (see `faults.py`). Tests, the benchmark and `make run` all talk to
it over real HTTP, so the client code they exercise is the production code.

It also serves the photos its records name under `/media/ocop/`, drawn from
each record's sector on request (`photos.py`); a test can publish any other
answer at a media path (`set_media`) to play a registry whose photos are too
big, mistyped or not images at all.

Standard library only, and no Django: it must start in a bare interpreter.
"""

from __future__ import annotations

import json
import random
import re
import threading
import time
import urllib.parse
from collections.abc import Mapping
from dataclasses import dataclass, field
from http import HTTPStatus
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from typing import Any

from .faults import Faults, with_malformed
from .photos import FORMATS, render_photo

PRODUCT_INFO_PATH = "/v1/public/product-info/"
FAULTS_PATH = "/_standin/faults"
SNAPSHOT_PATH = "/_standin/snapshot"
HEALTH_PATH = "/healthz"
MEDIA_PREFIX = "/media/ocop/"
# /media/ocop/<record id>.<ext> is a record's main photo, <id>-<view>.<ext> another view.
_MEDIA_NAME = re.compile(r"^([0-9]{1,18})(?:-([0-9]))?\.(jpg|png|webp)$")
DEFAULT_PAGE_SIZE = 100
MAX_PAGE_SIZE = 1000
GARBLED_PAGE = (
    '<!DOCTYPE html><html lang="vi"><head><title>Bảo trì hệ thống</title></head>'
    "<body><h1>Hệ thống đang bảo trì</h1><p>Vui lòng quay lại sau.</p></body></html>"
)


def _seeded(seed: int) -> random.Random:
    """Fault rolls must repeat run after run, so a seeded `random` (not `secrets`)."""
    return random.Random(seed)  # noqa: S311


@dataclass(frozen=True)
class MediaAnswer:
    """What the stand-in answers at a media path."""

    status: int
    content_type: str
    body: bytes
    headers: dict[str, str] = field(default_factory=dict)
    # False: no Content-Length; the body ends when the connection closes (HTTP/1.0)
    announce_length: bool = True


_NOT_FOUND = MediaAnswer(HTTPStatus.NOT_FOUND, "text/plain; charset=utf-8", b"Not found.")


@dataclass(frozen=True)
class ServedRequest:
    """One API request as the server saw it, for tests that check pacing."""

    at: float  # time.monotonic() when the request arrived
    path: str
    status: int
    user_agent: str
    accept: str


def _page_url(host: str, page: int, page_size: int | None) -> str:
    query: dict[str, int] = {"page": page}
    if page_size is not None:
        query["page_size"] = page_size
    return f"http://{host}{PRODUCT_INFO_PATH}?{urllib.parse.urlencode(query)}"


def build_page(
    records: list[dict],
    *,
    page: int,
    page_size: int,
    host: str,
    echo_page_size: bool,
    truncate_after_page: int | None,
) -> dict[str, Any] | None:
    """The `{count, next, previous, results}` body for one page, or None past the end.

    Links are absolute and keep `page_size` when the caller sent it, like
    Django REST framework's page-number pagination that the registry uses.
    """
    count = len(records)
    last_page = max(1, -(-count // page_size))
    if page > last_page:
        return None
    start = (page - 1) * page_size
    link_size = page_size if echo_page_size else None
    has_next = page < last_page and page != truncate_after_page
    return {
        "count": count,
        "next": _page_url(host, page + 1, link_size) if has_next else None,
        "previous": _page_url(host, page - 1, link_size) if page > 1 else None,
        "results": records[start : start + page_size],
    }


class _HTTPServer(ThreadingHTTPServer):
    """Threaded server whose handlers can reach the `StandinServer` state."""

    daemon_threads = True
    block_on_close = False
    standin: StandinServer

    def handle_error(self, request: Any, client_address: Any) -> None:
        # A client that gave up (timed out) closes its socket under a slow
        # answer; that is expected with the `delay` fault, not an error.
        pass


class _Handler(BaseHTTPRequestHandler):
    """Routes requests to the API, the health check and the control endpoints."""

    server: _HTTPServer
    server_version = "ocop-standin/1.0"

    def log_message(self, format: str, *args: Any) -> None:  # noqa: A002 (stdlib name)
        if self.server.standin.verbose:
            super().log_message(format, *args)

    def do_GET(self) -> None:  # noqa: N802 (stdlib naming)
        path = urllib.parse.urlsplit(self.path).path
        standin = self.server.standin
        if path in (PRODUCT_INFO_PATH, PRODUCT_INFO_PATH.rstrip("/")):
            self._send(*standin.answer_product_info(self.path, self.headers))
        elif path in (HEALTH_PATH, HEALTH_PATH + "/"):
            self._send(HTTPStatus.OK, {"status": "ok", "count": len(standin.served_records())})
        elif path == FAULTS_PATH:
            self._send(HTTPStatus.OK, standin.faults.as_dict())
        elif path.startswith(MEDIA_PREFIX) or path in standin.media_paths():
            self._send_media(standin.answer_media(path))
        else:
            self._send(HTTPStatus.NOT_FOUND, {"detail": "Not found."})

    def do_POST(self) -> None:  # noqa: N802 (stdlib naming)
        path = urllib.parse.urlsplit(self.path).path
        standin = self.server.standin
        try:
            body = self._read_json()
            if path == FAULTS_PATH:
                if not isinstance(body, dict):
                    raise ValueError("expected a JSON object of fault switches")
                self._send(HTTPStatus.OK, standin.set_faults(**body).as_dict())
            elif path == SNAPSHOT_PATH:
                if isinstance(body, dict):
                    body = body.get("results")
                if not isinstance(body, list):
                    raise ValueError("expected a JSON list of records")
                standin.set_records(body)
                self._send(HTTPStatus.OK, {"count": len(standin.served_records())})
            else:
                self._send(HTTPStatus.NOT_FOUND, {"detail": "Not found."})
        except ValueError as exc:
            self._send(HTTPStatus.BAD_REQUEST, {"detail": str(exc)})

    def do_DELETE(self) -> None:  # noqa: N802 (stdlib naming)
        if urllib.parse.urlsplit(self.path).path == FAULTS_PATH:
            self._send(HTTPStatus.OK, self.server.standin.reset_faults().as_dict())
        else:
            self._send(HTTPStatus.NOT_FOUND, {"detail": "Not found."})

    def _read_json(self) -> Any:
        length = int(self.headers.get("Content-Length") or 0)
        raw = self.rfile.read(length) if length else b""
        try:
            return json.loads(raw or b"null")
        except (UnicodeDecodeError, json.JSONDecodeError) as exc:
            raise ValueError(f"invalid JSON body: {exc}") from exc

    def _send_media(self, answer: MediaAnswer) -> None:
        try:
            self.send_response(answer.status)
            self.send_header("Content-Type", answer.content_type)
            if answer.announce_length:
                self.send_header("Content-Length", str(len(answer.body)))
            for name, value in answer.headers.items():
                self.send_header(name, value)
            self.end_headers()
            self.wfile.write(answer.body)
        except (BrokenPipeError, ConnectionResetError):
            pass  # the client stopped reading (a photo over its size limit)

    def _send(self, status: int, payload: Any, headers: dict[str, str] | None = None) -> None:
        if isinstance(payload, str):
            body, content_type = payload.encode("utf-8"), "text/html; charset=utf-8"
        else:
            body = json.dumps(payload, ensure_ascii=False).encode("utf-8")
            content_type = "application/json; charset=utf-8"
        try:
            self.send_response(status)
            self.send_header("Content-Type", content_type)
            self.send_header("Content-Length", str(len(body)))
            for name, value in (headers or {}).items():
                self.send_header(name, value)
            self.end_headers()
            self.wfile.write(body)
        except (BrokenPipeError, ConnectionResetError):
            pass  # the client stopped waiting; nothing left to tell it


class StandinServer:
    """The stand-in registry, startable from tests, the benchmark and the CLI.

    Records and fault switches can change while it runs (`set_records`,
    `set_faults`, or the `/_standin/...` endpoints), so a test can alter the
    registry between two syncs without restarting it.
    """

    def __init__(
        self,
        records: list[dict],
        host: str = "127.0.0.1",
        port: int = 0,
        faults: Faults | None = None,
        *,
        verbose: bool = False,
    ) -> None:
        self.host = host
        self.port = port
        self.verbose = verbose
        self.requests_served = 0
        self.request_log: list[ServedRequest] = []
        self._lock = threading.Lock()
        self._stopping = threading.Event()
        self._records = list(records)
        self._faults = faults or Faults()
        self._rng = _seeded(self._faults.seed)
        self._served: list[dict] | None = None
        self._types_by_id: dict[int, str] | None = None
        self._media: dict[str, MediaAnswer] = {}
        self.media_log: list[str] = []
        self._httpd: _HTTPServer | None = None
        self._thread: threading.Thread | None = None

    # -- lifecycle -----------------------------------------------------------

    @property
    def url(self) -> str:
        """Base URL to hand to `RegistryClient(base_url=...)`."""
        host = f"[{self.host}]" if ":" in self.host else self.host
        return f"http://{host}:{self.port}"

    def bind(self) -> None:
        """Open the listening socket; port 0 picks a free port, read back into `.port`."""
        if self._httpd is None:
            self._stopping.clear()
            self._httpd = _HTTPServer((self.host, self.port), _Handler)
            self._httpd.standin = self
            self.port = self._httpd.server_address[1]

    def start(self) -> StandinServer:
        """Serve from a background thread; returns self so it chains."""
        self.bind()
        assert self._httpd is not None
        if self._thread is None:
            self._thread = threading.Thread(
                target=self._httpd.serve_forever,
                kwargs={"poll_interval": 0.05},
                name=f"standin-registry-{self.port}",
                daemon=True,
            )
            self._thread.start()
        return self

    def serve_forever(self) -> None:
        """Serve in the calling thread until interrupted (the CLI's foreground mode)."""
        self.bind()
        assert self._httpd is not None
        try:
            self._httpd.serve_forever(poll_interval=0.2)
        finally:
            self._close()

    def stop(self) -> None:
        """Stop serving; answers held back by `delay` are cut short."""
        self._stopping.set()
        if self._httpd is not None and self._thread is not None:
            self._httpd.shutdown()
            self._thread.join(timeout=5)
        self._close()

    def _close(self) -> None:
        if self._httpd is not None:
            self._httpd.server_close()
        self._httpd = None
        self._thread = None

    def __enter__(self) -> StandinServer:
        return self.start()

    def __exit__(self, *exc_info: object) -> None:
        self.stop()

    # -- state -----------------------------------------------------------------

    @property
    def faults(self) -> Faults:
        """A copy of the current switches."""
        with self._lock:
            return self._faults.replace()

    def set_faults(self, **changes: Any) -> Faults:
        """Change some switches, keep the rest; the error sequence restarts from `seed`."""
        with self._lock:
            self._faults = self._faults.replace(**changes)
            self._rng = _seeded(self._faults.seed)
            self._served = None
            return self._faults.replace()

    def reset_faults(self) -> Faults:
        """Back to a well-behaved registry."""
        with self._lock:
            self._faults = Faults()
            self._rng = _seeded(self._faults.seed)
            self._served = None
            return self._faults.replace()

    def set_records(self, records: list[dict]) -> None:
        """Replace the snapshot being served (malformed injection still applies)."""
        with self._lock:
            self._records = list(records)
            self._served = None
            self._types_by_id = None

    def set_media(
        self,
        path: str,
        body: bytes,
        *,
        content_type: str = "image/jpeg",
        status: int = 200,
        headers: dict[str, str] | None = None,
        announce_length: bool = True,
    ) -> str:
        """Answer `path` with exactly this, whatever it is; returns the path.
        For tests of photos that are too big (perhaps without saying so in
        a Content-Length), mistyped, not images, or redirected elsewhere (a
        `Location` header)."""
        answer = MediaAnswer(status, content_type, body, dict(headers or {}), announce_length)
        with self._lock:
            self._media[path] = answer
        return path

    def media_paths(self) -> set[str]:
        with self._lock:
            return set(self._media)

    def served_records(self) -> list[dict]:
        """Exactly what the API pages through: the snapshot plus injected broken records."""
        with self._lock:
            return self._served_locked()

    def reset_counters(self) -> None:
        """Forget served requests, e.g. between two timed crawls."""
        with self._lock:
            self.requests_served = 0
            self.request_log = []

    def answer_media(self, path: str) -> MediaAnswer:
        """A published answer, else the photo drawn for the record the name
        gives (404 for a record the registry does not hold)."""
        with self._lock:
            self.media_log.append(path)
            if path in self._media:
                return self._media[path]
            if self._types_by_id is None:
                self._types_by_id = {
                    r["id"]: r.get("type")
                    for r in self._records
                    if isinstance(r, dict) and isinstance(r.get("id"), int)
                }
            types = self._types_by_id
        match = _MEDIA_NAME.match(path.removeprefix(MEDIA_PREFIX))
        kind = types.get(int(match[1])) if match else None
        if kind is None:
            return _NOT_FOUND
        try:
            body = render_photo(str(kind), int(match[1]), int(match[2] or 0), fmt=match[3])
        except ImportError:  # no Pillow where the stand-in runs
            return MediaAnswer(HTTPStatus.SERVICE_UNAVAILABLE, "text/plain", b"No Pillow.")
        return MediaAnswer(HTTPStatus.OK, FORMATS[match[3]][1], body)

    def _served_locked(self) -> list[dict]:
        if self._served is None:
            self._served = with_malformed(self._records, self._faults.malformed)
        return self._served

    # -- the API -----------------------------------------------------------------

    def answer_product_info(
        self, raw_path: str, request_headers: Mapping[str, str]
    ) -> tuple[int, dict[str, Any] | str, dict[str, str]]:
        """Status, body and extra headers for one `product-info` request, faults applied.

        A `str` body is sent as HTML (the `garbled_pages` fault).
        """
        arrived = time.monotonic()
        host_header = request_headers.get("Host")
        query = urllib.parse.parse_qs(urllib.parse.urlsplit(raw_path).query)
        with self._lock:
            self.requests_served += 1
            faults = self._faults
            records = self._served_locked()
            unlucky = faults.error_rate > 0 and self._rng.random() < faults.error_rate
        if faults.delay:
            self._stopping.wait(faults.delay)
        page_text = (query.get("page") or ["1"])[-1]
        size_text = (query.get("page_size") or [""])[-1]
        status, body = self._page_answer(records, faults, page_text, size_text, host_header)
        headers: dict[str, str] = {}
        if status == HTTPStatus.OK and self._page_number(page_text) in faults.garbled_pages:
            body = GARBLED_PAGE
        if status == HTTPStatus.OK and unlucky:
            status, body = faults.error_status, {"detail": "stand-in fault: random error"}
        if status >= 500 or status == HTTPStatus.TOO_MANY_REQUESTS:
            if faults.retry_after is not None:
                headers["Retry-After"] = f"{faults.retry_after:g}"
        with self._lock:
            self.request_log.append(
                ServedRequest(
                    at=arrived,
                    path=raw_path,
                    status=status,
                    user_agent=request_headers.get("User-Agent", ""),
                    accept=request_headers.get("Accept", ""),
                )
            )
        return status, body, headers

    @staticmethod
    def _page_number(text: str) -> int:
        try:
            return int(text)
        except ValueError:
            return 0

    def _page_answer(
        self,
        records: list[dict],
        faults: Faults,
        page_text: str,
        size_text: str,
        host_header: str | None,
    ) -> tuple[int, dict[str, Any]]:
        page = self._page_number(page_text)
        if page < 1:
            return HTTPStatus.NOT_FOUND, {"detail": "Invalid page."}
        if page in faults.fail_pages:
            return faults.error_status, {"detail": f"stand-in fault: page {page} fails"}
        try:
            page_size = min(max(int(size_text), 1), MAX_PAGE_SIZE)
            echo_page_size = True
        except ValueError:
            page_size, echo_page_size = DEFAULT_PAGE_SIZE, False
        body = build_page(
            records,
            page=page,
            page_size=page_size,
            host=host_header or f"{self.host}:{self.port}",
            echo_page_size=echo_page_size,
            truncate_after_page=faults.truncate_after_page,
        )
        if body is None:
            return HTTPStatus.NOT_FOUND, {"detail": "Invalid page."}
        return HTTPStatus.OK, body

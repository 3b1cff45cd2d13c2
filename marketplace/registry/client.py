"""The one door to the national OCOP registry.

Outside systems sit behind a `client.py` (design.md §8.5): services receive
a client with a `source` and an `iter_pages()` method and never open a
socket themselves. That keeps the sync logic identical whether it reads the
national API, the stand-in server on loopback, or a snapshot file.

HTTP is urllib3's (pooled connections; retries with back-off and
`Retry-After`). What is left here is ours: the registry's paging, politeness
(our User-Agent, a minimum interval, an injectable `sleep`), checking what
came back, and the photo rules. Nothing here imports Django, so the stand-in
server and benchmark scripts can share it.

Product photos come through the same door (`fetch_image`). A record's image
URL is outside input, so it is fetched only over http(s), only from the
registry's own host (or hosts an operator allows), with the type and size
checked before the body is kept; each redirect is checked the same way
before it is followed. That stops a record from making the sync read
`file://` paths or knock on internal services (SSRF). Whether the bytes
really are that kind of image is checked by the caller with Pillow, which
this module does not import.
"""

from __future__ import annotations

import functools
import gzip
import json
import re
import time
import urllib.parse
from collections.abc import Callable, Iterable, Iterator
from dataclasses import dataclass
from pathlib import Path
from typing import Any, Protocol

from urllib3 import BaseHTTPResponse, PoolManager, Retry
from urllib3 import exceptions as http_errors

USER_AGENT = "ocop-marketplace-sync/1.0"
PRODUCT_INFO_PATH = "/v1/public/product-info/"
RETRY_AFTER_CAP = 30.0
RETRYABLE_STATUSES = frozenset({429}) | frozenset(range(500, 600))
IMAGE_CONTENT_TYPES = frozenset({"image/jpeg", "image/png", "image/webp"})
IMAGE_ACCEPT = ", ".join(sorted(IMAGE_CONTENT_TYPES))
# As many hops as urllib's own redirect handler allowed; each one is checked.
MAX_IMAGE_REDIRECTS = 10


class RegistryUnavailable(Exception):
    """A registry page could not be read, so the crawl cannot be trusted.

    Services catch this to record a failed (incomplete) sync run; an
    incomplete crawl must never be used to withdraw certificates.
    """


@dataclass
class RegistryPage:
    """One page of registry records, exactly as the source announced it."""

    count: int
    results: list[dict]
    next_url: str | None
    url: str


class RegistrySource(Protocol):
    """What services need from any registry source: a label and its pages."""

    source: str

    def iter_pages(self) -> Iterator[RegistryPage]: ...


class ImageRefused(Exception):
    """A photo URL or answer we will not take, and asking again will not help:
    a URL off the allowed hosts, a type or size we refuse, an HTTP 4xx."""


class ImageUnavailable(Exception):
    """A photo that could not be read this time (network, HTTP 5xx or 429
    after the retries); worth asking again on a later sync."""


@dataclass(frozen=True)
class FetchedImage:
    """A photo's bytes as the server sent them, within the size limit, with
    the type it declared (one of `IMAGE_CONTENT_TYPES`)."""

    url: str
    content_type: str
    body: bytes


# Characters a URL never holds unencoded (RFC 3986), as in a JSON object sent
# where a URL belongs; and those `quote` must leave as they are.
_NOT_IN_URLS = re.compile(r'["<>{}|\\^`]')
_URL_SAFE = "!#$%&'()*+,/:;=?@[]~"


def _host_port(parts: urllib.parse.SplitResult) -> tuple[str, int]:
    port = parts.port or (443 if parts.scheme == "https" else 80)
    return (parts.hostname or "").lower().rstrip("."), port


def image_url_resolve(url: str, *, base_url: str, extra_hosts: Iterable[str] = ()) -> str:
    """The absolute URL to fetch a record's photo from, or `ImageRefused`.

    A relative URL is resolved against the registry. Allowed: http(s), no
    user:password part, and the registry's own host and port, or a host in
    `extra_hosts` ("cdn.example.vn", "cdn.example.vn:8443", or ".example.vn"
    for its subdomains). Everything else (file:, other ports of this
    machine, cloud metadata addresses) is refused without a request.
    """
    if not isinstance(url, str) or not url.strip():
        raise ImageRefused("không phải URL (not a URL)")
    url = url.strip()
    if any(ord(ch) < 0x20 or ch == "\x7f" for ch in url) or _NOT_IN_URLS.search(url):
        raise ImageRefused(f"không phải URL: {url[:80]!r} (not a URL)")
    # Vietnamese file names and spaces arrive unencoded; HTTP request lines are ASCII only.
    url = urllib.parse.quote(url, safe=_URL_SAFE)
    absolute = urllib.parse.urljoin(base_url.rstrip("/") + "/", url)
    try:
        parts = urllib.parse.urlsplit(absolute)
        host, port = _host_port(parts)
    except ValueError:
        raise ImageRefused(f"URL không hợp lệ: {url[:80]} (invalid URL)") from None
    if parts.scheme not in ("http", "https"):
        raise ImageRefused(
            f"chỉ nhận ảnh qua http(s), không nhận {parts.scheme or '?'}: (scheme not allowed)"
        )
    if parts.username is not None or parts.password is not None or not host:
        raise ImageRefused(f"URL không hợp lệ: {url[:80]} (invalid URL)")
    if (host, port) == _host_port(urllib.parse.urlsplit(base_url)):
        return absolute
    for entry in extra_hosts:
        entry = entry.strip().lower().rstrip(".")
        if not entry:
            continue
        if entry.startswith("."):
            if host.endswith(entry):
                return absolute
            continue
        entry_host, _, entry_port = entry.partition(":")
        if host == entry_host and (not entry_port or entry_port == str(port)):
            return absolute
    raise ImageRefused(
        f"máy chủ ảnh {host}:{port} không nằm trong danh sách cho phép (host not allowed)"
    )


class _PatientRetry(Retry):
    """urllib3's `Retry`, waiting the way the sync must.

    Two things differ, and both are ours: every wait goes through `pause`
    (the client's injectable `sleep` and its minimum interval), so tests
    record waits instead of taking them; and the first retry already waits
    `backoff_factor` (urllib3 would retry at once), so a struggling
    registry gets 0.5, 1, 2 s of rest. A `Retry-After` hint replaces the
    back-off, capped at `RETRY_AFTER_CAP` seconds so a misbehaving server
    cannot park a sync worker for hours; a garbled hint is ignored rather
    than failing the crawl.
    """

    RETRY_AFTER_STATUS_CODES = RETRYABLE_STATUSES

    def __init__(self, *args: Any, pause: Callable[[float], None] = time.sleep, **kwargs: Any):
        super().__init__(*args, **kwargs)
        self.pause = pause

    def new(self, **kwargs: Any) -> _PatientRetry:
        return super().new(pause=self.pause, **kwargs)

    def increment(self, *args: Any, response: BaseHTTPResponse | None = None, **kwargs: Any):
        # urllib3 reads a retried answer's body to its end to reuse the
        # connection; a photo host that never ends its error body would hold
        # the sync there for ever. Hang up instead: the status and headers
        # (Retry-After) are all a retry needs.
        if response is not None:
            response.close()
        return super().increment(*args, response=response, **kwargs)

    def sleep(self, response: BaseHTTPResponse | None = None) -> None:
        try:
            hint = self.get_retry_after(response) if response is not None else None
        except http_errors.InvalidHeader:  # a garbled hint is no hint
            hint = None
        if hint is None:
            self.pause(self.get_backoff_time() or self.backoff_factor)
        else:
            self.pause(min(hint, RETRY_AFTER_CAP))


def _why(error: BaseException | None, timeout: float) -> str:
    """The last error of a request, said the way sync runs report it."""
    if isinstance(error, http_errors.NewConnectionError | http_errors.ProtocolError):
        return f"connection failed: {error}"
    if isinstance(error, http_errors.TimeoutError):
        return f"timed out after {timeout} s"
    return f"{type(error).__name__}: {error}"


def parse_page(payload: Any, *, url: str) -> RegistryPage:
    """Check a decoded page has the registry's shape; anything else is unusable.

    A page without a `results` list or an integer `count` means the crawl
    cannot be reconciled, so it is treated like an unreachable registry.
    """
    if not isinstance(payload, dict):
        raise RegistryUnavailable(f"{url}: expected a JSON object, got {type(payload).__name__}")
    results = payload.get("results")
    count = payload.get("count")
    if not isinstance(results, list):
        raise RegistryUnavailable(f"{url}: payload has no 'results' list")
    if not isinstance(count, int) or isinstance(count, bool):
        raise RegistryUnavailable(f"{url}: payload has no integer 'count'")
    next_url = payload.get("next")
    if next_url is not None and not isinstance(next_url, str):
        raise RegistryUnavailable(f"{url}: 'next' is neither a URL nor null")
    if next_url:
        # A relative link is resolved against the page that carried it.
        next_url = urllib.parse.urljoin(url, next_url)
    return RegistryPage(count=count, results=results, next_url=next_url or None, url=url)


class RegistryClient:
    """Reads the national OCOP public API page by page, politely and patiently.

    Transient failures (timeouts, dropped connections, HTTP 5xx and 429) are
    retried by urllib3 with exponential back-off (see `_PatientRetry`); a
    redirect counts as one of the `max_retries`. Anything still failing
    raises `RegistryUnavailable` so the caller knows the crawl is incomplete.
    `sleep` and `clock` are injectable so tests can observe the waits
    without taking them.
    """

    def __init__(
        self,
        base_url: str,
        *,
        timeout: float = 10.0,
        max_retries: int = 3,
        backoff: float = 0.5,
        min_interval: float = 0.0,
        page_size: int | None = None,
        sleep: Callable[[float], None] = time.sleep,
        clock: Callable[[], float] = time.monotonic,
    ) -> None:
        if max_retries < 0:
            raise ValueError("max_retries must be >= 0")
        if page_size is not None and page_size < 1:
            raise ValueError("page_size must be >= 1")
        self.base_url = base_url.rstrip("/")
        self.timeout = timeout
        self.max_retries = max_retries
        self.backoff = backoff
        self.min_interval = min_interval
        self.page_size = page_size
        self.source = self.base_url
        self._sleep = sleep
        self._clock = clock
        self._last_request_at: float | None = None
        self._http = PoolManager()

    def __repr__(self) -> str:
        return f"RegistryClient({self.base_url!r})"

    def iter_pages(self) -> Iterator[RegistryPage]:
        """Yield every page by following `next` links from page 1 (with
        `page_size` when one was asked for; else the registry's own).

        A `next` link that points back to a page already read would loop for
        ever, so it is reported as an unusable registry instead.
        """
        query = {"page": 1} | ({"page_size": self.page_size} if self.page_size else {})
        url: str | None = f"{self.base_url}{PRODUCT_INFO_PATH}?{urllib.parse.urlencode(query)}"
        seen: set[str] = set()
        while url:
            if url in seen:
                raise RegistryUnavailable(f"{url}: 'next' links loop back to a page already read")
            seen.add(url)
            page = self.fetch_page(url)
            yield page
            url = page.next_url

    def fetch_page(self, url: str) -> RegistryPage:
        """Fetch and check one page; only a 2xx answer of JSON in the registry's
        shape (`parse_page`) is a page."""
        if urllib.parse.urlsplit(url).scheme not in ("http", "https"):
            raise RegistryUnavailable(f"{url}: only http and https URLs are fetched")

        def gave_up(why: str) -> Exception:
            return RegistryUnavailable(
                f"{url}: gave up after {self.max_retries + 1} attempts; last error: {why}"
            )

        response = self._get(url, accept="application/json", gave_up=gave_up)
        if not 200 <= response.status < 300:
            raise RegistryUnavailable(f"{url}: HTTP {response.status} {response.reason}")
        try:
            return parse_page(json.loads(response.data), url=url)
        except (UnicodeDecodeError, json.JSONDecodeError) as exc:
            raise RegistryUnavailable(f"{url}: invalid JSON ({exc})") from exc

    def fetch_image(
        self, url: str, *, max_bytes: int, extra_hosts: Iterable[str] = ()
    ) -> FetchedImage:
        """Fetch one photo a record names, with its checks (`image_url_resolve`,
        `IMAGE_CONTENT_TYPES`, at most `max_bytes`), retrying transient failures.

        urllib3 is not left to follow redirects: each `Location` must pass
        `image_url_resolve` before it is asked for. Raises `ImageRefused` for
        what asking again would not change, and `ImageUnavailable` when the
        retries ran out.
        """
        extra_hosts = tuple(extra_hosts)

        def check(target: str) -> str:
            return image_url_resolve(target, base_url=self.base_url, extra_hosts=extra_hosts)

        def gave_up(why: str) -> Exception:
            return ImageUnavailable(
                f"không tải được ảnh sau {self.max_retries + 1} lần: {why} "
                "(photo unavailable, will retry)"
            )

        get = functools.partial(
            self._get, accept=IMAGE_ACCEPT, gave_up=gave_up, redirect=False, preload_content=False
        )
        target = check(url)
        response = get(target)
        for _hop in range(MAX_IMAGE_REDIRECTS):
            if not (location := response.get_redirect_location()):
                break
            response.close()
            target = check(urllib.parse.urljoin(target, location))
            response = get(target)
        # Closed, not pooled: a refused body is left unread on its connection.
        with response:
            if not 200 <= response.status < 300:
                raise ImageRefused(
                    f"máy chủ ảnh trả lời HTTP {response.status} (HTTP {response.status})"
                )
            content_type = response.headers.get("Content-Type", "").partition(";")[0]
            content_type = content_type.strip().lower()
            if content_type not in IMAGE_CONTENT_TYPES:
                raise ImageRefused(
                    f"kiểu tệp {content_type} không được nhận (content type not allowed)"
                )
            declared = response.headers.get("Content-Length", "").strip()
            if declared.isascii() and declared.isdecimal() and int(declared) > max_bytes:
                raise ImageRefused(_too_big(int(declared), max_bytes))
            try:
                body = response.read(max_bytes + 1)
            except http_errors.HTTPError as exc:
                raise gave_up(_why(exc, self.timeout)) from exc
            if len(body) > max_bytes:
                raise ImageRefused(_too_big(None, max_bytes))
            return FetchedImage(url=target, content_type=content_type, body=body)

    def _get(
        self, url: str, *, accept: str, gave_up: Callable[[str], Exception], **options: Any
    ) -> BaseHTTPResponse:
        """One GET with urllib3's retries: the answer, unless the retries ran out
        on a transient failure, which raises `gave_up(last error)`."""
        self._wait_for_turn()
        retries = _PatientRetry(
            total=self.max_retries,
            status_forcelist=RETRYABLE_STATUSES,
            backoff_factor=self.backoff,
            raise_on_status=False,
            pause=self._pause_between_attempts,
        )
        headers = {"User-Agent": USER_AGENT, "Accept": accept}
        try:
            response = self._http.request(
                "GET", url, headers=headers, retries=retries, timeout=self.timeout, **options
            )
        except http_errors.HTTPError as exc:
            # A MaxRetryError names the last error as its `reason`.
            last_error = exc.reason if isinstance(exc, http_errors.MaxRetryError) else exc
            raise gave_up(_why(last_error, self.timeout)) from exc
        if response.status in RETRYABLE_STATUSES:
            response.close()
            raise gave_up(f"HTTP {response.status} {response.reason}")
        return response

    def _pause_between_attempts(self, seconds: float) -> None:
        """Retry's wait (back-off or `Retry-After`), then our own spacing."""
        self._sleep(seconds)
        self._wait_for_turn()

    def _wait_for_turn(self) -> None:
        """Keep consecutive requests at least `min_interval` seconds apart."""
        if self.min_interval > 0 and self._last_request_at is not None:
            elapsed = self._clock() - self._last_request_at
            if elapsed < self.min_interval:
                self._sleep(self.min_interval - elapsed)
        self._last_request_at = self._clock()


def _too_big(size: int | None, max_bytes: int) -> str:
    shown = f"{size:,} byte" if size is not None else f"hơn {max_bytes:,} byte"
    return f"ảnh quá lớn: {shown}, tối đa {max_bytes:,} (photo too large)"


def load_snapshot(path: str | Path) -> list[dict]:
    """Records from a snapshot file: a JSON list, or `{"results": [...]}`; `.gz` allowed.

    Shared by `SnapshotFileClient` and the stand-in server so both accept
    exactly the same files.
    """
    path = Path(path)
    try:
        if path.suffix == ".gz":
            with gzip.open(path, "rt", encoding="utf-8") as handle:
                payload = json.load(handle)
        else:
            with path.open(encoding="utf-8") as handle:
                payload = json.load(handle)
    except (OSError, UnicodeDecodeError, json.JSONDecodeError) as exc:
        raise RegistryUnavailable(f"{path}: cannot read snapshot ({exc})") from exc
    if isinstance(payload, dict):
        payload = payload.get("results")
    if not isinstance(payload, list):
        raise RegistryUnavailable(f"{path}: expected a list of records or {{'results': [...]}}")
    return payload


class SnapshotFileClient:
    """Serves a snapshot file through the same interface as `RegistryClient`.

    Used for offline demos and for importing a registry dump handed over as
    a file; the file is read in full on each crawl, so edits are picked up.
    """

    def __init__(self, path: str | Path, *, page_size: int = 500) -> None:
        if page_size < 1:
            raise ValueError("page_size must be >= 1")
        self.path = Path(path)
        self.page_size = page_size
        self.source = str(self.path)

    def __repr__(self) -> str:
        return f"SnapshotFileClient({self.source!r})"

    def iter_pages(self) -> Iterator[RegistryPage]:
        """Yield the file's records in pages of `page_size`; `count` is the total."""
        records = load_snapshot(self.path)
        total = len(records)
        starts = range(0, total, self.page_size) if total else range(1)
        for number, start in enumerate(starts, start=1):
            has_next = start + self.page_size < total
            yield RegistryPage(
                count=total,
                results=records[start : start + self.page_size],
                next_url=f"{self.source}#page={number + 1}" if has_next else None,
                url=f"{self.source}#page={number}",
            )

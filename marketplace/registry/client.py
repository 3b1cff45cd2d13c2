"""The one door to the national OCOP registry.

Outside systems sit behind a `client.py` (design.md §8.5): services receive
a client with a `source` and an `iter_pages()` method and never open a
socket themselves. That keeps the sync logic identical whether it reads the
national API, the stand-in server on loopback, or a snapshot file, and it
keeps retries, back-off and politeness in one place.

Only the standard library is used (no `requests`), and nothing here imports
Django, so the stand-in server and benchmark scripts can share it.
"""

from __future__ import annotations

import email.utils
import gzip
import http.client
import json
import time
import urllib.error
import urllib.parse
import urllib.request
from collections.abc import Callable, Iterator
from dataclasses import dataclass
from datetime import UTC, datetime
from pathlib import Path
from typing import Any, Protocol

USER_AGENT = "ocop-marketplace-sync/1.0"
PRODUCT_INFO_PATH = "/v1/public/product-info/"
RETRY_AFTER_CAP = 30.0
RETRYABLE_STATUSES = frozenset({429}) | frozenset(range(500, 600))


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


class _RetryableError(Exception):
    """A failure worth another attempt, with the server's wait hint if any."""

    def __init__(self, message: str, *, retry_after: float | None = None) -> None:
        super().__init__(message)
        self.retry_after = retry_after


def parse_retry_after(value: str | None, *, now: datetime | None = None) -> float | None:
    """Seconds to wait from a `Retry-After` header (seconds or HTTP date), capped at 30 s.

    The cap stops a misbehaving server from parking a sync worker for hours.
    """
    if not value:
        return None
    value = value.strip()
    try:
        seconds = float(value)
    except ValueError:
        try:
            when = email.utils.parsedate_to_datetime(value)
        except (TypeError, ValueError):
            return None
        if when.tzinfo is None:
            when = when.replace(tzinfo=UTC)
        seconds = (when - (now or datetime.now(UTC))).total_seconds()
    return min(max(seconds, 0.0), RETRY_AFTER_CAP)


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
    retried with exponential back-off; anything still failing raises
    `RegistryUnavailable` so the caller knows the crawl is incomplete.
    `sleep` is injectable so tests can observe the waits without taking them.
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

    def __repr__(self) -> str:
        return f"RegistryClient({self.base_url!r})"

    def first_page_url(self) -> str:
        """The crawl's starting URL: page 1, with `page_size` when one was asked for."""
        query: dict[str, int] = {"page": 1}
        if self.page_size is not None:
            query["page_size"] = self.page_size
        return f"{self.base_url}{PRODUCT_INFO_PATH}?{urllib.parse.urlencode(query)}"

    def iter_pages(self) -> Iterator[RegistryPage]:
        """Yield every page by following `next` links from page 1.

        A `next` link that points back to a page already read would loop for
        ever, so it is reported as an unusable registry instead.
        """
        url: str | None = self.first_page_url()
        seen: set[str] = set()
        while url:
            if url in seen:
                raise RegistryUnavailable(f"{url}: 'next' links loop back to a page already read")
            seen.add(url)
            page = self.fetch_page(url)
            yield page
            url = page.next_url

    def fetch_page(self, url: str) -> RegistryPage:
        """Fetch and check one page, retrying transient failures."""
        last_error: Exception | None = None
        for attempt in range(self.max_retries + 1):
            self._wait_for_turn()
            try:
                return parse_page(self._get_json(url), url=url)
            except _RetryableError as exc:
                last_error = exc
                if attempt == self.max_retries:
                    break
                delay = self.backoff * 2**attempt
                if exc.retry_after is not None:
                    delay = exc.retry_after
                self._sleep(delay)
        raise RegistryUnavailable(
            f"{url}: gave up after {self.max_retries + 1} attempts; last error: {last_error}"
        )

    def _wait_for_turn(self) -> None:
        """Keep consecutive requests at least `min_interval` seconds apart."""
        if self.min_interval > 0 and self._last_request_at is not None:
            elapsed = self._clock() - self._last_request_at
            if elapsed < self.min_interval:
                self._sleep(self.min_interval - elapsed)
        self._last_request_at = self._clock()

    def _get_json(self, url: str) -> Any:
        """One HTTP GET; sorts failures into retryable and final ones."""
        if urllib.parse.urlsplit(url).scheme not in ("http", "https"):
            raise RegistryUnavailable(f"{url}: only http and https URLs are fetched")
        request = urllib.request.Request(  # noqa: S310 (scheme checked just above)
            url, headers={"User-Agent": USER_AGENT, "Accept": "application/json"}
        )
        try:
            with urllib.request.urlopen(request, timeout=self.timeout) as response:  # noqa: S310
                body = response.read()
        except urllib.error.HTTPError as exc:
            exc.close()
            if exc.code in RETRYABLE_STATUSES:
                retry_after = parse_retry_after(exc.headers.get("Retry-After"))
                raise _RetryableError(
                    f"HTTP {exc.code} {exc.reason}", retry_after=retry_after
                ) from exc
            raise RegistryUnavailable(f"{url}: HTTP {exc.code} {exc.reason}") from exc
        except urllib.error.URLError as exc:
            raise _RetryableError(f"connection failed: {exc.reason}") from exc
        except TimeoutError as exc:
            raise _RetryableError(f"timed out after {self.timeout} s") from exc
        except (OSError, http.client.HTTPException) as exc:
            raise _RetryableError(f"{type(exc).__name__}: {exc}") from exc
        try:
            return json.loads(body)
        except (UnicodeDecodeError, json.JSONDecodeError) as exc:
            raise RegistryUnavailable(f"{url}: invalid JSON ({exc})") from exc


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

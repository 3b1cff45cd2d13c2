"""The registry client reads every page, survives a flaky registry and says when it cannot.

Every test goes over real HTTP on loopback to the stand-in registry; only
`sleep` is injected, so back-off waits are recorded instead of taken.
"""

import email.utils
import gzip
import json
import socket
import threading
import time
from datetime import date

import pytest

from marketplace.demo.build_snapshot import build_scaled_records
from marketplace.registry.client import (
    USER_AGENT,
    ImageRefused,
    ImageUnavailable,
    RegistryClient,
    RegistryPage,
    RegistryUnavailable,
    SnapshotFileClient,
    parse_page,
)
from marketplace.registry.standin import StandinServer

TODAY = date(2026, 11, 28)


class SleepRecorder:
    """Stands in for `time.sleep`: remembers each requested wait, takes none."""

    def __init__(self) -> None:
        self.calls: list[float] = []

    def __call__(self, seconds: float) -> None:
        self.calls.append(seconds)


@pytest.fixture
def records():
    return build_scaled_records(today=TODAY, count=250, seed=7)


@pytest.fixture
def registry(records):
    with StandinServer(records) as server:
        yield server


@pytest.fixture
def sleep():
    return SleepRecorder()


def _collect(client: RegistryClient) -> tuple[list[RegistryPage], list[dict]]:
    pages = list(client.iter_pages())
    return pages, [record for page in pages for record in page.results]


def test_pagination_collects_every_record(registry, records, sleep):
    # given a registry of 250 records and a client asking for pages of 40
    client = RegistryClient(registry.url, page_size=40, sleep=sleep)
    # when it crawls
    pages, crawled = _collect(client)
    # then it followed the `next` links through all 7 pages and got every record once
    assert len(pages) == 7
    assert [r["id"] for r in crawled] == [r["id"] for r in records]
    assert all(page.count == 250 for page in pages)
    assert pages[-1].next_url is None
    assert "page_size=40" in pages[0].url
    assert sleep.calls == []


def test_default_page_size_is_the_registrys(registry, sleep):
    # given a client that does not ask for a page size
    client = RegistryClient(registry.url, sleep=sleep)
    # when it crawls
    pages, crawled = _collect(client)
    # then the registry's own page size (100) applies and nothing is missed
    assert [len(page.results) for page in pages] == [100, 100, 50]
    assert "page_size" not in pages[0].url
    assert len(crawled) == 250


def test_requests_identify_the_marketplace(registry, sleep):
    # given a client
    client = RegistryClient(registry.url, page_size=100, sleep=sleep)
    # when it crawls
    _collect(client)
    # then every request named the sync and asked for JSON
    assert registry.request_log
    assert {r.user_agent for r in registry.request_log} == {USER_AGENT}
    assert {r.accept for r in registry.request_log} == {"application/json"}


def test_source_names_the_registry(registry):
    # given a client built with a trailing slash
    client = RegistryClient(registry.url + "/")
    # then its source is the base URL, for logs and sync runs
    assert client.source == registry.url


def test_retries_recover_from_transient_errors(registry, sleep):
    # given a registry that answers 500 to about a third of requests (reproducibly)
    registry.set_faults(error_rate=0.35, seed=11)
    client = RegistryClient(registry.url, page_size=25, max_retries=4, backoff=0.5, sleep=sleep)
    # when the client crawls
    _, crawled = _collect(client)
    # then every record still arrives
    assert len(crawled) == 250
    # and each failure was followed by an exponential back-off wait
    failures = [r for r in registry.request_log if r.status == 500]
    assert failures
    assert len(sleep.calls) == len(failures)
    assert set(sleep.calls) <= {0.5, 1.0, 2.0, 4.0}
    assert 0.5 in sleep.calls


def test_persistently_failing_page_raises_naming_the_page(registry, sleep):
    # given a registry whose page 3 always answers 500
    registry.set_faults(fail_pages=[3])
    client = RegistryClient(registry.url, page_size=50, max_retries=3, backoff=0.5, sleep=sleep)
    pages: list[RegistryPage] = []
    # when the client crawls
    with pytest.raises(RegistryUnavailable) as raised:
        for page in client.iter_pages():
            pages.append(page)
    # then the two good pages came first, and the error names page 3 and the last error
    assert len(pages) == 2
    assert "page=3" in str(raised.value)
    assert "HTTP 500" in str(raised.value)
    # and it tried 1 + 3 times, backing off 0.5, 1 and 2 seconds
    assert sum("page=3" in r.path for r in registry.request_log) == 4
    assert sleep.calls == [0.5, 1.0, 2.0]


def test_retry_after_is_honoured(registry, sleep):
    # given a registry that rate-limits page 1 with `Retry-After: 2`
    registry.set_faults(fail_pages=[1], error_status=429, retry_after=2)
    client = RegistryClient(registry.url, max_retries=2, backoff=0.5, sleep=sleep)
    # when the client crawls
    with pytest.raises(RegistryUnavailable, match="HTTP 429"):
        _collect(client)
    # then it waited as long as the registry asked, not its own back-off
    assert sleep.calls == [2.0, 2.0]


def test_retry_after_is_capped_at_30_seconds(registry, sleep):
    # given a registry asking for a two-minute pause
    registry.set_faults(fail_pages=[1], error_status=503, retry_after=120)
    client = RegistryClient(registry.url, max_retries=1, sleep=sleep)
    # when the client crawls
    with pytest.raises(RegistryUnavailable):
        _collect(client)
    # then it waits no more than 30 seconds
    assert sleep.calls == [30.0]


def test_rate_limit_recovers_after_waiting(registry, sleep):
    # given a registry that throttles some requests with 429
    registry.set_faults(error_rate=0.3, error_status=429, retry_after=1, seed=3)
    client = RegistryClient(registry.url, page_size=50, max_retries=5, sleep=sleep)
    # when the client crawls
    _, crawled = _collect(client)
    # then it waited the hinted second each time and got everything
    assert len(crawled) == 250
    assert sleep.calls and set(sleep.calls) == {1.0}


def test_client_errors_fail_at_once(registry, sleep):
    # given a registry that refuses the request (403)
    registry.set_faults(fail_pages=[1], error_status=403)
    client = RegistryClient(registry.url, max_retries=3, sleep=sleep)
    # when the client crawls
    with pytest.raises(RegistryUnavailable, match="HTTP 403"):
        _collect(client)
    # then it did not retry
    assert registry.requests_served == 1
    assert sleep.calls == []


def test_wrong_base_url_fails_at_once(registry, sleep):
    # given a base URL whose API path does not exist
    client = RegistryClient(registry.url + "/wrong", sleep=sleep)
    # when the client crawls
    with pytest.raises(RegistryUnavailable, match="HTTP 404"):
        _collect(client)
    # then a 404 is final, not retried
    assert sleep.calls == []


def test_timeout_raises_registry_unavailable(registry, sleep):
    # given a registry slower than the client is willing to wait
    registry.set_faults(delay=2.0)
    client = RegistryClient(registry.url, timeout=0.2, max_retries=1, backoff=0.1, sleep=sleep)
    started = time.monotonic()
    # when the client crawls
    with pytest.raises(RegistryUnavailable) as raised:
        _collect(client)
    # then it gave up after two timed-out attempts without waiting for the answers
    assert "timed out" in str(raised.value)
    assert "page=1" in str(raised.value)
    assert registry.requests_served == 2
    assert sleep.calls == [0.1]
    assert time.monotonic() - started < 1.5


def test_unreachable_registry_raises_after_retries(sleep):
    # given a registry that has gone away
    server = StandinServer([]).start()
    url = server.url
    server.stop()
    client = RegistryClient(url, timeout=1, max_retries=2, backoff=0.25, sleep=sleep)
    # when the client crawls
    with pytest.raises(RegistryUnavailable, match="connection failed"):
        _collect(client)
    # then it retried with back-off before giving up
    assert sleep.calls == [0.25, 0.5]


def test_min_interval_spaces_requests(registry):
    # given a polite client that keeps 100 ms between requests (real sleep)
    client = RegistryClient(registry.url, page_size=50, min_interval=0.1)
    # when it crawls five pages
    _collect(client)
    # then the registry saw requests about 100 ms apart (allowing loopback jitter)
    arrivals = [r.at for r in registry.request_log]
    assert len(arrivals) == 5
    gaps = [later - earlier for earlier, later in zip(arrivals, arrivals[1:], strict=False)]
    assert min(gaps) >= 0.08


def test_min_interval_asks_to_wait_only_the_remainder(registry, sleep):
    # given a client with a 10 s interval and a sleep that does not actually sleep
    client = RegistryClient(registry.url, page_size=50, min_interval=10.0, sleep=sleep)
    # when it crawls five pages
    _collect(client)
    # then it asked to wait before each request after the first, never more than 10 s
    assert len(sleep.calls) == 4
    assert all(9.0 < seconds <= 10.0 for seconds in sleep.calls)


def test_no_waiting_without_min_interval(registry, sleep):
    # given the default client
    client = RegistryClient(registry.url, page_size=50, sleep=sleep)
    # when it crawls a healthy registry
    _collect(client)
    # then it never waits
    assert sleep.calls == []


def test_truncated_crawl_yields_fewer_results_than_count(registry, sleep):
    # given a registry whose page 2 claims to be the last
    registry.set_faults(truncate_after_page=2)
    client = RegistryClient(registry.url, page_size=50, sleep=sleep)
    # when the client crawls
    pages, crawled = _collect(client)
    # then it stops there, and the caller can see the crawl is incomplete
    assert len(pages) == 2
    assert len(crawled) == 100
    assert pages[-1].count == 250 > len(crawled)


def test_malformed_records_are_passed_through_for_the_sync_to_reject(registry, sleep):
    # given a registry that injects 6 broken records
    registry.set_faults(malformed=6)
    client = RegistryClient(registry.url, page_size=100, sleep=sleep)
    # when the client crawls
    pages, crawled = _collect(client)
    # then the client does not judge records: all 256 arrive, as `count` says
    assert pages[0].count == 256
    assert len(crawled) == 256
    assert sum("id" not in r for r in crawled) == 2
    assert sum(r.get("ocop_star") == "năm" for r in crawled) == 2


def test_html_instead_of_json_raises(registry, sleep):
    # given a gateway that answers page 2 with an HTML maintenance page
    registry.set_faults(garbled_pages=[2])
    client = RegistryClient(registry.url, page_size=100, sleep=sleep)
    # when the client crawls
    with pytest.raises(RegistryUnavailable, match="invalid JSON") as raised:
        _collect(client)
    # then the error names the page
    assert "page=2" in str(raised.value)


def test_runtime_changes_apply_to_the_next_crawl(registry, records, sleep):
    # given a client and a first crawl
    client = RegistryClient(registry.url, page_size=100, sleep=sleep)
    _, first = _collect(client)
    # when the registry withdraws a product and slows down between crawls
    registry.set_records(records[1:])
    registry.set_faults(delay=0.01)
    _, second = _collect(client)
    # then the second crawl sees the new data
    assert len(first) == 250
    assert len(second) == 249
    assert records[0]["id"] not in {r["id"] for r in second}


def test_payload_without_results_is_unusable():
    # given pages that do not have the registry's shape
    url = "http://registry.test/v1/public/product-info/?page=1"
    # then each one is reported as an unusable registry
    for payload in ([], {"count": 1}, {"results": [], "count": "1"}, {"results": {}, "count": 0}):
        with pytest.raises(RegistryUnavailable):
            parse_page(payload, url=url)


def test_relative_next_link_is_resolved():
    # given a page whose `next` is relative
    url = "http://registry.test/v1/public/product-info/?page=1"
    payload = {"count": 2, "next": "?page=2", "results": [{}]}
    # when it is parsed
    page = parse_page(payload, url=url)
    # then the link is absolute
    assert page.next_url == "http://registry.test/v1/public/product-info/?page=2"


def test_retry_after_accepts_an_http_date_and_ignores_garbage(registry, sleep):
    # given a busy photo server: one hint is a date 10 s ahead, the other is garbled
    ahead = email.utils.formatdate(time.time() + 10, usegmt=True)
    registry.set_media("/media/busy.jpg", b"busy", status=503, headers={"Retry-After": ahead})
    registry.set_media("/media/odd.jpg", b"busy", status=503, headers={"Retry-After": "soon"})
    client = RegistryClient(registry.url, max_retries=1, backoff=0.5, sleep=sleep)
    # when the client asks for each
    for path in ("/media/busy.jpg", "/media/odd.jpg"):
        with pytest.raises(ImageUnavailable, match="HTTP 503"):
            client.fetch_image(path, max_bytes=1000)
    # then it waited until that date (a header holds whole seconds), then its own back-off
    assert len(sleep.calls) == 2
    assert 8.5 < sleep.calls[0] <= 10.0
    assert sleep.calls[1] == 0.5


def test_a_photo_redirect_on_the_registrys_host_is_followed(registry, sleep):
    # given a photo that moved twice within the registry's host, relatively and absolutely
    registry.set_media("/media/old.jpg", b"", status=301, headers={"Location": "/media/mid.jpg"})
    registry.set_media(
        "/media/mid.jpg", b"", status=302, headers={"Location": f"{registry.url}/media/new.jpg"}
    )
    registry.set_media("/media/new.jpg", b"photo-bytes")
    client = RegistryClient(registry.url, sleep=sleep)
    # when the client fetches it
    image = client.fetch_image("/media/old.jpg", max_bytes=1000)
    # then it arrives from where it now lives
    assert (image.url, image.body) == (f"{registry.url}/media/new.jpg", b"photo-bytes")
    assert registry.media_log == ["/media/old.jpg", "/media/mid.jpg", "/media/new.jpg"]


def test_a_photo_redirecting_in_a_circle_is_refused(registry, sleep):
    # given a photo that redirects to itself
    registry.set_media("/media/loop.jpg", b"", status=302, headers={"Location": "/media/loop.jpg"})
    client = RegistryClient(registry.url, sleep=sleep)
    # when the client fetches it, then it gives up after a bounded number of hops
    with pytest.raises(ImageRefused, match="HTTP 302"):
        client.fetch_image("/media/loop.jpg", max_bytes=1000)
    assert 2 <= len(registry.media_log) <= 11
    assert sleep.calls == []


def test_snapshot_file_client_reads_a_list(tmp_path, records):
    # given a snapshot file holding a plain list of records
    path = tmp_path / "snapshot.json"
    path.write_text(json.dumps(records, ensure_ascii=False), encoding="utf-8")
    client = SnapshotFileClient(path, page_size=100)
    # when it is crawled
    pages = list(client.iter_pages())
    # then it pages like the API, with the total as `count`
    assert [len(p.results) for p in pages] == [100, 100, 50]
    assert {p.count for p in pages} == {250}
    assert pages[-1].next_url is None
    assert [r["id"] for p in pages for r in p.results] == [r["id"] for r in records]
    assert client.source == str(path)


def test_snapshot_file_client_reads_a_results_object(tmp_path, records):
    # given a snapshot saved as an API-like object
    path = tmp_path / "snapshot.json"
    path.write_text(json.dumps({"count": 250, "results": records}), encoding="utf-8")
    # when it is crawled with the default page size
    pages = list(SnapshotFileClient(path).iter_pages())
    # then all records arrive in one page of up to 500
    assert len(pages) == 1
    assert len(pages[0].results) == 250


def test_snapshot_file_client_reads_gzip(tmp_path, records):
    # given a gzipped snapshot
    path = tmp_path / "snapshot.json.gz"
    with gzip.open(path, "wt", encoding="utf-8") as handle:
        json.dump(records, handle, ensure_ascii=False)
    # when it is crawled
    pages = list(SnapshotFileClient(path, page_size=200).iter_pages())
    # then it reads like the plain file
    assert sum(len(p.results) for p in pages) == 250


def test_empty_snapshot_yields_one_empty_page(tmp_path):
    # given an empty snapshot
    path = tmp_path / "empty.json"
    path.write_text("[]", encoding="utf-8")
    # when it is crawled
    pages = list(SnapshotFileClient(path).iter_pages())
    # then there is one page saying the registry is empty, like the API's page 1
    assert [(p.count, p.results, p.next_url) for p in pages] == [(0, [], None)]


def test_unreadable_snapshot_raises_registry_unavailable(tmp_path):
    # given a missing file and a file that is not a snapshot
    wrong = tmp_path / "wrong.json"
    wrong.write_text('{"items": []}', encoding="utf-8")
    # then both are reported the way an unreachable registry is
    for path in (tmp_path / "missing.json", wrong):
        with pytest.raises(RegistryUnavailable, match=path.name):
            list(SnapshotFileClient(path).iter_pages())


class _EndlessErrorBody:
    """A photo host that answers 503 and then dribbles its body forever: a
    chunk every 0.2 s, always inside the client's read timeout."""

    def __init__(self) -> None:
        self._listener = socket.create_server(("127.0.0.1", 0))
        self.url = f"http://127.0.0.1:{self._listener.getsockname()[1]}"
        self._stop = threading.Event()
        threading.Thread(target=self._serve, daemon=True).start()

    def _serve(self) -> None:
        self._listener.settimeout(0.2)
        while not self._stop.is_set():
            try:
                conn, _ = self._listener.accept()
            except TimeoutError:
                continue
            except OSError:
                return  # closed by `close()`
            threading.Thread(target=self._dribble, args=(conn,), daemon=True).start()

    def _dribble(self, conn: socket.socket) -> None:
        head = (
            b"HTTP/1.1 503 Busy\r\nContent-Type: text/plain\r\nTransfer-Encoding: chunked\r\n\r\n"
        )
        with conn:
            try:
                conn.recv(65536)
                conn.sendall(head)
                deadline = time.monotonic() + 40
                while not self._stop.is_set() and time.monotonic() < deadline:
                    conn.sendall(b"1\r\nx\r\n")
                    time.sleep(0.2)
            except OSError:
                return  # the client hung up, as it should

    def close(self) -> None:
        self._stop.set()
        self._listener.close()


def test_an_endless_error_body_on_a_photo_is_never_read(sleep):
    # given a photo host that answers 503 with a body that never ends
    host = _EndlessErrorBody()
    try:
        client = RegistryClient(host.url, max_retries=2, backoff=0.5, timeout=2, sleep=sleep)
        started = time.monotonic()
        # when the client fetches a photo from it
        with pytest.raises(ImageUnavailable, match="HTTP 503"):
            client.fetch_image("/media/slow.jpg", max_bytes=1000)
        # then it gave up after its retries without reading the body to its end
        assert time.monotonic() - started < 15
        assert sleep.calls == [0.5, 1.0]
    finally:
        host.close()

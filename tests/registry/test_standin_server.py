"""The stand-in registry answers like the national API and misbehaves on request.

These tests speak raw HTTP to it (no client) so the API contract the sync
relies on is pinned down independently of `RegistryClient`.
"""

import json
import os
import signal
import subprocess
import sys
import time
import urllib.error
import urllib.request
from datetime import date
from pathlib import Path

import pytest

from marketplace.demo.build_snapshot import build_scaled_records
from marketplace.demo.content import SNAPSHOT_PATH
from marketplace.registry.standin import MALFORMATIONS, Faults, StandinServer

ROOT = Path(__file__).resolve().parents[2]
API = "/v1/public/product-info/"


def _call(
    url: str, *, method: str = "GET", data: bytes | None = None, headers: dict | None = None
) -> tuple[int, object]:
    """One request to the loopback stand-in; error statuses are returned, not raised."""
    request = urllib.request.Request(  # noqa: S310 (http on loopback only)
        url, data=data, method=method, headers=headers or {}
    )
    try:
        with urllib.request.urlopen(request, timeout=5) as response:  # noqa: S310
            return response.status, json.loads(response.read())
    except urllib.error.HTTPError as exc:
        with exc:
            return exc.code, json.loads(exc.read())


def _get(url: str, headers: dict[str, str] | None = None) -> tuple[int, object]:
    return _call(url, headers=headers)


def _post(url: str, payload: object, method: str = "POST") -> tuple[int, object]:
    data = json.dumps(payload, ensure_ascii=False).encode()
    return _call(url, method=method, data=data, headers={"Content-Type": "application/json"})


@pytest.fixture
def records():
    return build_scaled_records(today=date(2026, 11, 28), count=250, seed=5)


@pytest.fixture
def registry(records):
    with StandinServer(records) as server:
        yield server


def _is_malformed(record: dict) -> bool:
    return (
        "id" not in record
        or not isinstance(record.get("ocop_star"), int)
        or record.get("issued_on") == "31/02/2024"
        or "manufacturer" not in record
    )


def test_first_page_has_count_links_and_default_page_size(registry, records):
    # given a registry of 250 records
    # when page 1 is asked for without a page size
    status, body = _get(f"{registry.url}{API}?page=1")
    # then it holds the first 100 with absolute links and the total count
    assert status == 200
    assert body["count"] == 250
    assert body["previous"] is None
    assert body["next"] == f"{registry.url}{API}?page=2"
    assert body["results"] == records[:100]


def test_page_size_is_kept_in_links_and_capped(registry):
    # given a registry of 250 records
    # when page 2 is asked for in pages of 60, and page 1 in pages of 5000
    _, second = _get(f"{registry.url}{API}?page=2&page_size=60")
    _, huge = _get(f"{registry.url}{API}?page_size=5000")
    # then links keep the page size, and the size never exceeds the 1000 maximum
    assert second["next"].endswith("?page=3&page_size=60")
    assert second["previous"].endswith("?page=1&page_size=60")
    assert len(second["results"]) == 60
    assert len(huge["results"]) == 250
    assert huge["next"] is None
    big = StandinServer([{"id": n} for n in range(1500)]).start()
    try:
        _, capped = _get(f"{big.url}{API}?page=1&page_size=5000")
    finally:
        big.stop()
    assert len(capped["results"]) == 1000
    assert capped["next"].endswith("?page=2&page_size=1000")


def test_links_are_built_from_the_host_header(registry):
    # given a request that came through a proxy under another name
    # when page 1 is asked for
    _, body = _get(f"{registry.url}{API}?page=1", headers={"Host": "registry.example:8080"})
    # then `next` points at that name
    assert body["next"] == f"http://registry.example:8080{API}?page=2"


def test_last_page_has_no_next_and_pages_past_it_are_404(registry):
    # given 250 records in pages of 100
    # when the last page and the one after are asked for
    _, last = _get(f"{registry.url}{API}?page=3")
    status, past = _get(f"{registry.url}{API}?page=4")
    bad_status, _ = _get(f"{registry.url}{API}?page=zero")
    # then the last has no `next`, and beyond it is a 404 like DRF's "Invalid page."
    assert last["next"] is None
    assert len(last["results"]) == 50
    assert (status, past) == (404, {"detail": "Invalid page."})
    assert bad_status == 404


def test_empty_registry_answers_page_one():
    # given an empty snapshot
    with StandinServer([]) as server:
        # when page 1 is asked for
        status, body = _get(f"{server.url}{API}?page=1")
    # then it is an empty page, not an error
    assert status == 200
    assert body == {"count": 0, "next": None, "previous": None, "results": []}


def test_unknown_paths_answer_404_json(registry):
    # when an unknown path is asked for
    status, body = _get(f"{registry.url}/v2/whatever")
    # then the answer is a JSON 404
    assert (status, body) == (404, {"detail": "Not found."})


def test_healthz_reports_the_record_count(registry):
    # when the health check is asked for
    status, body = _get(f"{registry.url}/healthz")
    # then it says ok and how many records are served
    assert (status, body) == (200, {"status": "ok", "count": 250})


def test_requests_served_counts_api_requests(registry):
    # given three API requests and one health check
    for page in (1, 2, 3):
        _get(f"{registry.url}{API}?page={page}")
    _get(f"{registry.url}/healthz")
    # then only the API requests are counted and logged
    assert registry.requests_served == 3
    assert [r.status for r in registry.request_log] == [200, 200, 200]
    registry.reset_counters()
    assert registry.requests_served == 0


def test_fail_pages_always_answer_500(registry):
    # given page 2 set to fail
    registry.set_faults(fail_pages=[2])
    # when it is asked for twice, and page 1 once
    statuses = [_get(f"{registry.url}{API}?page={p}")[0] for p in (2, 2, 1)]
    # then page 2 fails every time and page 1 is fine
    assert statuses == [500, 500, 200]


def test_error_rate_is_reproducible_from_the_seed(registry):
    # given a 50% error rate with seed 42
    registry.set_faults(error_rate=0.5, seed=42)
    first = [_get(f"{registry.url}{API}?page=1")[0] for _ in range(40)]
    # when the same switches are set again
    registry.set_faults(error_rate=0.5, seed=42)
    second = [_get(f"{registry.url}{API}?page=1")[0] for _ in range(40)]
    # then the same requests fail, and roughly half of them do
    assert first == second
    assert 10 <= first.count(500) <= 30
    assert set(first) == {200, 500}


def test_truncate_after_page_ends_the_chain_early(registry):
    # given a registry that stops linking after page 1
    registry.set_faults(truncate_after_page=1)
    # when page 1 is asked for
    _, body = _get(f"{registry.url}{API}?page=1")
    # then its `next` is null although `count` says there is more
    assert body["next"] is None
    assert body["count"] == 250 > len(body["results"])


def test_malformed_records_are_injected_and_counted(registry):
    # given 8 malformed records switched on
    registry.set_faults(malformed=8)
    # when the whole registry is read in one page
    _, body = _get(f"{registry.url}{API}?page=1&page_size=1000")
    broken = [r for r in body["results"] if _is_malformed(r)]
    # then they are part of the count, two of each kind
    assert body["count"] == 258
    assert len(body["results"]) == 258
    assert len(broken) == 8
    assert sum("id" not in r for r in broken) == 2
    assert sum(r.get("ocop_star") == "năm" for r in broken) == 2
    assert sum(r.get("issued_on") == "31/02/2024" for r in broken) == 2
    assert sum("manufacturer" not in r for r in broken) == 2
    assert len(MALFORMATIONS) == 4
    # and their ids never shadow a good record's
    good_ids = {r["id"] for r in body["results"] if not _is_malformed(r)}
    assert not good_ids & {r["id"] for r in broken if "id" in r}


def test_malformed_injection_is_deterministic(records):
    # given two servers with the same records and switches
    with StandinServer(records, faults=Faults(malformed=5)) as one:
        _, first = _get(f"{one.url}{API}?page_size=1000")
    with StandinServer(records, faults=Faults(malformed=5)) as two:
        _, second = _get(f"{two.url}{API}?page_size=1000")
    # then they serve exactly the same records
    assert first["results"] == second["results"]


def test_delay_slows_every_answer(registry):
    # given a 300 ms delay
    registry.set_faults(delay=0.3)
    started = time.monotonic()
    # when a page is asked for
    status, _ = _get(f"{registry.url}{API}?page=1")
    # then it arrives, late
    assert status == 200
    assert time.monotonic() - started >= 0.3


def test_faults_can_be_read_and_changed_over_http(registry):
    # given a running registry
    # when faults are set through the control endpoint
    status, body = _post(f"{registry.url}/_standin/faults", {"fail_pages": [3], "delay": 0.01})
    # then they are echoed, readable back and in force
    assert status == 200
    assert body["fail_pages"] == [3]
    assert _get(f"{registry.url}/_standin/faults")[1] == body
    assert registry.faults.delay == 0.01
    assert _get(f"{registry.url}{API}?page=3")[0] == 500
    # and a second change keeps the switches it does not mention
    _, body = _post(f"{registry.url}/_standin/faults", {"malformed": 2})
    assert body["fail_pages"] == [3] and body["malformed"] == 2
    # and DELETE puts everything back
    status, body = _post(f"{registry.url}/_standin/faults", None, method="DELETE")
    assert body == Faults().as_dict()
    assert _get(f"{registry.url}{API}?page=3")[0] == 200


def test_bad_fault_values_are_refused(registry):
    # given nonsense switches
    attempts = [{"error_rate": 2}, {"nope": 1}, {"fail_pages": ["x"]}, {"delay": -1}, [1, 2]]
    # when each is posted
    statuses = [_post(f"{registry.url}/_standin/faults", body)[0] for body in attempts]
    # then each is refused and nothing changed
    assert statuses == [400] * len(attempts)
    assert registry.faults == Faults()
    with pytest.raises(ValueError):
        registry.set_faults(truncate_after_page=0)


def test_set_faults_applies_while_running(registry):
    # given a running registry answering normally
    assert _get(f"{registry.url}{API}?page=1")[0] == 200
    # when page 1 is made to fail from Python
    registry.set_faults(fail_pages=[1])
    # then the very next request fails, without a restart
    assert _get(f"{registry.url}{API}?page=1")[0] == 500


def test_snapshot_can_be_replaced_over_http(registry, records):
    # given a running registry of 250 records
    # when a smaller snapshot is posted
    status, body = _post(f"{registry.url}/_standin/snapshot", records[:10])
    # then it is served from the next request on
    assert (status, body) == (200, {"count": 10})
    _, page = _get(f"{registry.url}{API}?page=1")
    assert page["results"] == records[:10]
    # and a body that is not a list is refused
    assert _post(f"{registry.url}/_standin/snapshot", {"items": []})[0] == 400


def test_set_records_replaces_the_snapshot(registry, records):
    # given a running registry
    # when a record disappears (a withdrawn product)
    registry.set_records(records[1:])
    # then it is no longer served
    _, body = _get(f"{registry.url}{API}?page_size=1000")
    assert body["count"] == 249
    assert records[0]["id"] not in {r["id"] for r in body["results"]}


def test_cli_serves_the_demo_snapshot_and_stops_on_ctrl_c():
    # given the CLI started on the demo snapshot with faults, with no usable
    # Django settings at all
    env = {**os.environ, "DJANGO_SETTINGS_MODULE": "no.such.settings"}
    process = subprocess.Popen(
        [sys.executable, "-m", "marketplace.registry.standin", "--snapshot", str(SNAPSHOT_PATH)]
        + ["--port", "0", "--malformed", "3", "--fail-pages", "2", "--seed", "1"],
        cwd=ROOT,
        env=env,
        stdout=subprocess.PIPE,
        stderr=subprocess.PIPE,
        text=True,
    )
    try:
        banner = process.stdout.readline()
        # when its URL is asked for the first two pages
        url = banner.split(" at ")[1].split()[0]
        status, body = _get(f"{url}?page=1")
        failed, _ = _get(f"{url}?page=2")
        # then it serves the bundled 300-record demo plus 3 broken records
        assert status == 200
        assert body["count"] == 303
        assert failed == 500
    finally:
        # and Ctrl-C stops it cleanly
        process.send_signal(signal.SIGINT)
        returncode = process.wait(timeout=10)
        process.stdout.close()
        process.stderr.close()
    assert returncode == 0

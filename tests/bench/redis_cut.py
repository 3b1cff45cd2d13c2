"""The Redis-cut part of `make bench` (issue 13): 50 locust shoppers browse,
search and check out COD against the real site (gunicorn, production
settings, a Celery worker; tests/faults/site.py) for 90 s, and Redis is cut
through Toxiproxy from 35 s to 55 s.

Reported: requests; the error rate before, during and after the cut (a
request counts as "during" if it overlapped the cut at all); orders placed
(the database), orders whose shopper saw their number (locust), mails sent
once the sweep has run, and oversold units (stock records allocated beyond
their stock). Target: 0 lost, 0 oversold, 0 errors outside the cut.

A few products are made scarce (8 units each) and half the checkouts go for
them, so shoppers race for the last units while Redis is away.
"""

import json
import os
import re
import secrets
import statistics
import subprocess
import time
from pathlib import Path

import requests

from tests.faults.site import BIN, PRODUCT_LINK, ROOT, Site, SiteConfig

LOCUSTFILE = Path(__file__).with_name("locust_cut.py")
SCARCE_PRODUCTS = 3
SCARCE_UNITS = 8


def _products_choose(site: Site) -> list[dict]:
    """Products from the first shop pages: a few scarce, the rest plentiful."""
    found: dict[int, str] = {}
    for page in (1, 2):
        listing = requests.get(f"{site.base_url}/shop/", params={"page": page}, timeout=60)
        listing.raise_for_status()
        for path, pk in PRODUCT_LINK.findall(listing.text):
            found.setdefault(int(pk), path)
    pks = sorted(found)
    scarce = pks[:SCARCE_PRODUCTS]
    site.sql(
        "UPDATE partner_stockrecord SET num_in_stock = COALESCE(num_allocated, 0) + %s "
        "WHERE product_id = ANY(%s)",
        (SCARCE_UNITS, scarce),
    )
    site.sql(
        "UPDATE partner_stockrecord SET num_in_stock = COALESCE(num_allocated, 0) + 1000 "
        "WHERE product_id = ANY(%s)",
        (pks[SCARCE_PRODUCTS:],),
    )
    return [{"pk": pk, "path": found[pk], "scarce": pk in scarce} for pk in pks]


def _search_words(site: Site, pks: list[int]) -> list[str]:
    titles = site.sql("SELECT title FROM catalogue_product WHERE id = ANY(%s)", (pks,))
    words = {w.lower() for (title,) in titles for w in re.findall(r"\w{3,}", title)}
    return sorted(words)


def _wait_for(path: Path, deadline: float) -> float:
    started = time.monotonic()
    while time.monotonic() - started < deadline:
        if path.exists() and path.read_text().strip():
            return float(path.read_text())
        time.sleep(0.2)
    raise RuntimeError(f"locust did not start within {deadline} s")


def _sleep_until(moment: float) -> None:
    time.sleep(max(0.0, moment - time.time()))


def _phase_figures(requests_: list[dict]) -> dict:
    failed = [r for r in requests_ if not r["ok"]]
    latencies = sorted((r["end"] - r["start"]) * 1000 for r in requests_)
    statuses: dict[str, int] = {}
    for r in failed:
        key = str(r["status"] or "no answer")
        statuses[key] = statuses.get(key, 0) + 1
    return {
        "requests": len(requests_),
        "errors": len(failed),
        "error_rate": round(len(failed) / len(requests_), 4) if requests_ else 0.0,
        "errors_by_status": statuses,
        "p50_ms": round(statistics.median(latencies), 1) if latencies else None,
        "p95_ms": round(latencies[int(0.95 * (len(latencies) - 1))], 1) if latencies else None,
    }


def bench_redis_cut(
    *,
    database_url: str,
    redis_url: str,
    opensearch_url: str,
    products_alias: str,
    pages_index: str,
    users: int = 50,
    spawn_rate: int = 10,
    seconds: int = 90,
    cut_at: int = 35,
    cut_seconds: int = 20,
    web_workers: int = 4,
) -> dict:
    site = Site(
        SiteConfig(
            name="bench",
            database_url=database_url,
            redis_url=redis_url,
            opensearch_url=opensearch_url,
            products_alias=products_alias,
            pages_index=pages_index,
            workers=web_workers,
            worker_concurrency=2,
        )
    )
    run = secrets.token_hex(3)
    site.redis_flush()
    site.database_prepare()
    site.static_prepare()
    files = site.workdir
    log_path = files / f"locust-{run}.jsonl"
    start_path = files / f"locust-{run}.start"
    try:
        site.start(while_booting=site.index_build)
        products = _products_choose(site)
        (files / "products.json").write_text(json.dumps(products))
        (files / "words.json").write_text(
            json.dumps(_search_words(site, [p["pk"] for p in products]), ensure_ascii=False)
        )
        stock_before = dict(
            site.sql(
                "SELECT product_id, num_in_stock - COALESCE(num_allocated, 0) "
                "FROM partner_stockrecord WHERE product_id = ANY(%s)",
                ([p["pk"] for p in products if p["scarce"]],),
            )
        )
        loadavg_before = [round(x, 2) for x in os.getloadavg()]
        with open(files / f"locust-{run}.out", "w") as out:
            locust = subprocess.Popen(
                [
                    str(BIN / "locust"),
                    "-f",
                    str(LOCUSTFILE),
                    "--headless",
                    "--users",
                    str(users),
                    "--spawn-rate",
                    str(spawn_rate),
                    "--run-time",
                    f"{seconds}s",
                    "--stop-timeout",
                    "30",
                    "--host",
                    site.base_url,
                    "--only-summary",
                ],
                cwd=ROOT,
                env={
                    **os.environ,
                    "LOCUST_CUT_PRODUCTS": str(files / "products.json"),
                    "LOCUST_CUT_WORDS": str(files / "words.json"),
                    "LOCUST_CUT_LOG": str(log_path),
                    "LOCUST_CUT_START": str(start_path),
                    "LOCUST_CUT_RUN": run,
                },
                stdout=out,
                stderr=subprocess.STDOUT,
            )
            try:
                started = _wait_for(start_path, 120)
                _sleep_until(started + cut_at)
                site.fault_apply("redis", "down")
                cut_start = time.time()
                _sleep_until(started + cut_at + cut_seconds)
                loadavg_cut = [round(x, 2) for x in os.getloadavg()]
                site.fault_clear("redis")
                cut_end = time.time()
                locust.wait(timeout=seconds + 180)
            finally:
                if locust.poll() is None:
                    locust.terminate()
                    locust.wait(timeout=30)
        loadavg_after = [round(x, 2) for x in os.getloadavg()]
        records = [json.loads(line) for line in log_path.read_text().splitlines() if line]
        # what the worker has not sent yet, and what was recorded while the
        # broker was away: beat's sweep, without its grace period
        time.sleep(5)
        swept = site.outbox_sweep()
        placed = dict(
            site.sql(
                "SELECT number, guest_email FROM order_order WHERE guest_email LIKE %s",
                (f"%.{run}@bench.example.vn",),
            )
        )
        placed_during_cut = site.sql(
            "SELECT COUNT(*) FROM order_order WHERE guest_email LIKE %s "
            "AND date_placed BETWEEN to_timestamp(%s) AND to_timestamp(%s)",
            (f"%.{run}@bench.example.vn", cut_start, cut_end),
        )[0][0]
        deadline = time.monotonic() + 90
        while time.monotonic() < deadline and not all(site.mail.order_mails(placed).values()):
            time.sleep(1)
        time.sleep(3)
        mails = site.mail.order_mails(placed)
        oversold_units, oversold_records = site.sql(
            "SELECT COALESCE(SUM(num_allocated - num_in_stock), 0), COUNT(*) "
            "FROM partner_stockrecord WHERE COALESCE(num_allocated, 0) > num_in_stock"
        )[0]
        sold_scarce = dict(
            site.sql(
                "SELECT l.product_id, SUM(l.quantity) FROM order_line l "
                "JOIN order_order o ON o.id = l.order_id "
                "WHERE o.guest_email LIKE %s AND l.product_id = ANY(%s) GROUP BY l.product_id",
                (f"%.{run}@bench.example.vn", list(stock_before)),
            )
        )
    finally:
        site.stop()
        site.indexes_drop()

    done = [r for r in records if r["kind"] == "request"]
    seen = {r["number"] for r in records if r["kind"] == "order_seen"}
    before, during, after = [], [], []
    for r in done:
        (before if r["end"] < cut_start else after if r["start"] >= cut_end else during).append(r)
    lost = sorted(set(placed) - seen)
    return {
        "users": users,
        "seconds": seconds,
        "cut": {
            "dependency": "redis",
            "fault": "down (Toxiproxy proxy disabled)",
            "from_second": round(cut_start - started, 1),
            "to_second": round(cut_end - started, 1),
        },
        "requests": len(done),
        "before_cut": _phase_figures(before),
        "during_cut": _phase_figures(during),
        "after_cut": _phase_figures(after),
        "errors_outside_cut": sum(1 for r in before + after if not r["ok"]),
        "orders_placed": len(placed),
        # none means no checkout reached its last step while Redis was away
        # (on a saturated machine a checkout outlasts the cut)
        "orders_placed_during_cut": placed_during_cut,
        "orders_seen_by_shopper": len(seen & set(placed)),
        "orders_lost_to_shopper": len(lost),
        "orders_lost_numbers": lost[:20],
        "numbers_seen_not_in_database": len(seen - set(placed)),
        "mails_sent": sum(mails.values()),
        "orders_mailed_once": sum(1 for n in placed if mails[n] == 1),
        "orders_mailed_twice_or_more": sum(1 for n in placed if mails[n] > 1),
        "orders_not_mailed": sum(1 for n in placed if mails[n] == 0),
        "outbox_swept_after_run": swept,
        "oversold_units": int(oversold_units),
        "oversold_stock_records": int(oversold_records),
        "scarce_products": {
            str(pk): {"units": int(units), "sold": int(sold_scarce.get(pk, 0))}
            for pk, units in stock_before.items()
        },
        "loadavg_before": loadavg_before,
        "loadavg_end_of_cut": loadavg_cut,
        "loadavg_after": loadavg_after,
        "targets": {"lost": 0, "oversold": 0, "errors_outside_cut": 0},
        "meets_targets": not lost
        and int(oversold_units) == 0
        and not any(not r["ok"] for r in before + after),
        "method": f"locust {users} users (HttpUser, wait 1-4 s; browse 3 : search 2 : "
        f"COD checkout 1, half the checkouts on {SCARCE_PRODUCTS} products of "
        f"{SCARCE_UNITS} units), spawn {spawn_rate}/s, {seconds} s, against gunicorn "
        f"({web_workers} workers, marketplace.settings.production) and a Celery worker, "
        "each through Toxiproxy to PostgreSQL, Redis and OpenSearch; Redis's proxy "
        f"disabled from {cut_at} s for {cut_seconds} s; an error is a locust failure "
        "(status >= 400 or no answer within 30 s); mails counted at a loopback SMTP "
        "server after running the outbox sweep with no grace period; "
        "loadavg = os.getloadavg() 1/5/15 min",
    }

"""`make bench`: registry sync and page timings, written to a JSON file.

Every figure comes with a same-run baseline, so runs on noisy machines
compare as ratios:

- sync: a full sync of N certificates from the stand-in registry over HTTP
  (a separate process, as the national API would be), then a re-sync with
  no changes; baseline: bulk-inserting the same rows straight into the
  tables. Targets (issue 3): full ≤ 60 s, re-sync ≤ 15 s for 20,000.
- national sync (issue 12): a national-shaped feed (tests/bench/national_feed.py:
  17,000 records, 8,500 producers in 34 provinces, a third with both address
  forms, 85 names shared across provinces), a full sync, then a no-change
  re-sync with the records served in a shuffled order, in its own database
  (`<bench database>_national`); counts the producer and certificate rows
  each writes; baseline: the bulk insert above, of these records. Target: the
  re-sync writes 0 producer rows.
- search (tests/bench/search_bench.py): index rebuild time, and 200 mixed
  queries through the view, our backend, and straight to OpenSearch
  (baseline), plus the database backend.
- checkout (tests/bench/order_bench.py): COD orders per minute by 8
  concurrent clients, p95 checkout latency; baseline: one client.
- pages: the home, catalogue, a fair (query-mode products block) and a
  craft-village page (the catalogue on OpenSearch);
  baseline: `/healthz/` (one query, no template).
- faults (tests/bench/redis_cut.py, issue 13): 50 locust shoppers (tests/bench/
  locust_cut.py) browse, search and check out COD for 90 s against gunicorn on
  production settings, with Redis cut through Toxiproxy for 20 s in the middle;
  requests, error rate before/during/after the cut, orders placed, orders
  whose shopper saw their number, mails sent, oversold units. Its own site
  database (`<bench database>_faults`, kept between runs, migrated each run)
  and Redis database (`--faults-redis-url`); needs Toxiproxy
  (`.ci/services.sh start`). Target: 0 lost, 0 oversold, 0 errors outside
  the cut.
- http (tests/bench/http_bench.py, issue 14): wrk against gunicorn on
  production settings (2 sync workers) for each shopper page, anonymous and
  with a basket, at 2,000, 20,000 and 100,000 products, each size in its own
  kept database (`<bench database>_http_<N>`); baseline: the one-line
  liveness view `/healthz/live/` in the same run. Writes
  `bench-results/http.json` and `http.md` (`--http-out`).

It runs on PostgreSQL (the production database) in a throwaway database
`ocop_bench`, and is not part of `make test`. `--only national_sync` (or any
comma-separated list of sync, national_sync, search, pages, checkout, faults,
http) runs just those sections; search, pages and checkout need the sync's
catalogue; faults and http need none of them.
"""

import argparse
import json
import os
import platform
import re
import resource
import statistics
import subprocess
import sys
import tempfile
import time
import urllib.request
from datetime import UTC, date, datetime
from pathlib import Path

ROOT = Path(__file__).resolve().parents[2]
sys.path.insert(0, str(ROOT))

BENCH_PRODUCTS_ALIAS = "ocop-bench-products"
BENCH_PAGES_INDEX = "ocop-pages-bench"

PAGES = {"baseline_healthz": "/healthz/", "home": "/", "catalogue": "/shop/"}


def _peak_rss_mb() -> float:
    return round(resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024, 1)


def _fresh_database(url: str) -> None:
    """Drop and recreate the bench database named in `url`."""
    import psycopg

    name = url.rsplit("/", 1)[1]
    admin_url = url.rsplit("/", 1)[0] + "/postgres"
    with psycopg.connect(admin_url, autocommit=True) as conn:
        conn.execute(f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)')
        conn.execute(f'CREATE DATABASE "{name}"')


def _setup_django(database_url: str, opensearch_url: str) -> None:
    os.environ["DJANGO_SETTINGS_MODULE"] = "marketplace.settings.dev"
    os.environ["DATABASE_URL"] = database_url
    # the full stack's search, under index names no site or test uses
    os.environ["OPENSEARCH_URL"] = opensearch_url
    os.environ["OPENSEARCH_PRODUCTS_ALIAS"] = BENCH_PRODUCTS_ALIAS
    os.environ["WAGTAIL_SEARCH_INDEX"] = BENCH_PAGES_INDEX
    # order confirmations go to memory, not the console
    os.environ["DJANGO_EMAIL_BACKEND"] = "django.core.mail.backends.locmem.EmailBackend"
    os.environ["DJANGO_DEBUG"] = "false"
    os.environ["DJANGO_ALLOWED_HOSTS"] = "testserver,127.0.0.1"
    os.environ["DJANGO_LOG_LEVEL"] = "WARNING"
    import django

    django.setup()


def _standin_process(records: list[dict]):
    """Serve `records` from the stand-in registry in its own process."""
    snapshot = Path(tempfile.mkdtemp()) / "snapshot.json"
    snapshot.write_text(json.dumps(records, ensure_ascii=False))
    proc = subprocess.Popen(
        [
            sys.executable,
            "-m",
            "marketplace.registry.standin",
            "--snapshot",
            str(snapshot),
            "--port",
            "0",
        ],
        cwd=ROOT,
        stdout=subprocess.PIPE,
        stderr=subprocess.STDOUT,
        text=True,
    )
    url = None
    for line in proc.stdout:
        if "http://" in line:
            url = "http://" + line.split("http://", 1)[1].split("/", 1)[0]
            break
    if url is None:
        proc.kill()
        raise RuntimeError("the stand-in registry did not start")
    for _ in range(50):
        try:
            urllib.request.urlopen(url + "/healthz", timeout=1).read()  # noqa: S310 (loopback)
            break
        except OSError:
            time.sleep(0.1)
    return proc, url


def _baseline_bulk_insert(records: list[dict]) -> float:
    """Insert the same certificates, products and stock records straight
    into the tables with bulk_create (no HTTP, no validation, no diffing),
    then roll back so the sync starts from an empty catalogue."""
    from django.db import transaction
    from oscar.core.loading import get_model

    from marketplace.ocop.models import Certificate, Producer, expiry_from_issue

    Partner = get_model("partner", "Partner")
    Product = get_model("catalogue", "Product")
    ProductClass = get_model("catalogue", "ProductClass")
    StockRecord = get_model("partner", "StockRecord")

    started = time.perf_counter()
    with transaction.atomic():
        product_class = ProductClass.objects.create(name="bench", slug="bench")
        names = sorted({r["manufacturer"]["name"] for r in records})
        partners = Partner.objects.bulk_create(
            [Partner(name=n[:128], code=f"bench-{i}") for i, n in enumerate(names)]
        )
        producers = Producer.objects.bulk_create(
            [
                Producer(registry_key=n.casefold(), name=n, partner=p)
                for n, p in zip(names, partners, strict=True)
            ]
        )
        by_name = dict(zip(names, producers, strict=True))
        certs = Certificate.objects.bulk_create(
            [
                Certificate(
                    registry_id=r["id"],
                    number=r["ocop_certificate_number"],
                    name=r["name"],
                    producer=by_name[r["manufacturer"]["name"]],
                    stars=r["ocop_star"],
                    issued_on=date.fromisoformat(r["issued_on"]),
                    expiry_date=date.fromisoformat(r["expiry_date"])
                    if r.get("expiry_date")
                    else expiry_from_issue(date.fromisoformat(r["issued_on"])),
                    product_type=r["type"],
                    raw=r,
                )
                for r in records
            ],
            batch_size=1000,
        )
        products = Product.objects.bulk_create(
            [
                Product(
                    title=c.name,
                    slug=f"p-{c.registry_id}",
                    product_class=product_class,
                    certificate=c,
                )
                for c in certs
            ],
            batch_size=1000,
        )
        StockRecord.objects.bulk_create(
            [
                StockRecord(
                    product=p, partner_id=c.producer.partner_id, partner_sku=f"OCOP-{c.registry_id}"
                )
                for p, c in zip(products, certs, strict=True)
            ],
            batch_size=1000,
        )
        elapsed = time.perf_counter() - started
        transaction.set_rollback(True)
    return elapsed


def bench_sync(count: int) -> dict:
    from marketplace.demo.build_snapshot import build_scaled_records
    from marketplace.registry.client import RegistryClient
    from marketplace.registry.services import certificate_sync

    records = build_scaled_records(today=date.today(), count=count, seed=2020)
    baseline = _baseline_bulk_insert(records)
    proc, url = _standin_process(records)
    try:
        client = RegistryClient(base_url=url, page_size=1000, timeout=30)
        rss_before = _peak_rss_mb()
        started = time.perf_counter()
        full = certificate_sync(client=client)
        full_seconds = time.perf_counter() - started
        rss_full = _peak_rss_mb()
        started = time.perf_counter()
        again = certificate_sync(client=client)
        resync_seconds = time.perf_counter() - started
    finally:
        proc.terminate()
        proc.wait(timeout=10)
    assert full.status == "succeeded" and full.created == count, full.summary()
    assert again.unchanged == count, again.summary()
    return {
        "certificates": count,
        "full_sync_seconds": round(full_seconds, 2),
        "full_sync_records_per_second": round(count / full_seconds, 1),
        "full_sync_target_seconds": 60,
        "resync_seconds": round(resync_seconds, 2),
        "resync_records_per_second": round(count / resync_seconds, 1),
        "resync_target_seconds": 15,
        "baseline_bulk_insert_seconds": round(baseline, 2),
        "full_sync_to_baseline_ratio": round(full_seconds / baseline, 2),
        "resync_to_baseline_ratio": round(resync_seconds / baseline, 2),
        "peak_rss_mb_before_sync": rss_before,
        "peak_rss_mb_after_full_sync": rss_full,
        "method": "stand-in registry in a separate process over HTTP, 1000 records a page; "
        "PostgreSQL; baseline = bulk_create of the same certificates, products and "
        "stock records in one transaction",
    }


class _TableWrites:
    """Counts, per table, the INSERT and UPDATE statements run through the
    connection and the rows they touched (a `connection.execute_wrapper`)."""

    def __init__(self, tables: dict[str, str]) -> None:
        self.patterns = {
            label: re.compile(
                rf'\s*(?:INSERT\s+INTO|UPDATE)\s+(?:"{re.escape(table)}"|{re.escape(table)}\b)',
                re.IGNORECASE,
            )
            for label, table in tables.items()
        }
        self.statements = dict.fromkeys(tables, 0)
        self.rows = dict.fromkeys(tables, 0)
        self.total_statements = 0

    def __call__(self, execute, sql, params, many, context):
        result = execute(sql, params, many, context)
        self.total_statements += 1
        for label, pattern in self.patterns.items():
            if pattern.match(sql):
                self.statements[label] += 1
                self.rows[label] += max(context["cursor"].rowcount, 0)
        return result


def _loadavg() -> list[float]:
    return [round(load, 2) for load in os.getloadavg()]


def _counted_sync(records: list[dict]) -> dict:
    """One sync of `records` served by a fresh stand-in process, timed, with
    the rows it wrote to the producer and certificate tables."""
    from django.db import connection

    from marketplace.ocop.models import Certificate, Producer
    from marketplace.registry.client import RegistryClient
    from marketplace.registry.models import CertificateChange
    from marketplace.registry.services import certificate_sync

    writes = _TableWrites(
        {
            "producer": Producer._meta.db_table,
            "certificate": Certificate._meta.db_table,
            "certificate_change": CertificateChange._meta.db_table,
        }
    )
    proc, url = _standin_process(records)
    try:
        client = RegistryClient(base_url=url, page_size=1000, timeout=30)
        with connection.execute_wrapper(writes):
            started = time.perf_counter()
            run = certificate_sync(client=client)
            seconds = time.perf_counter() - started
    finally:
        proc.terminate()
        proc.wait(timeout=10)
    return {
        "seconds": round(seconds, 2),
        "records_per_second": round(len(records) / seconds, 1),
        "status": run.status,
        "created": run.created,
        "updated": run.updated,
        "unchanged": run.unchanged,
        "withdrawn": run.withdrawn,
        "rejected": run.rejected,
        "alert": run.alert,
        "producer_rows_written": writes.rows["producer"],
        "producer_write_statements": writes.statements["producer"],
        "certificate_rows_written": writes.rows["certificate"],
        "certificate_write_statements": writes.statements["certificate"],
        "certificate_change_rows_written": writes.rows["certificate_change"],
        "sql_statements": writes.total_statements,
        "producers_in_database": Producer.objects.count(),
        "loadavg_after": _loadavg(),
    }


def bench_national_sync(count: int, *, seed: int = 2025) -> dict:
    """A national-shaped feed: full sync, then a no-change re-sync of the same
    records in a shuffled order (issue 12: the re-sync writes 0 producer rows)."""
    from tests.bench.national_feed import feed_profile, national_feed, shuffled

    loadavg_before = _loadavg()
    records = national_feed(seed=seed, products=count, producers=round(count / 2))
    profile = feed_profile(records)
    baseline = _baseline_bulk_insert(records)
    full = _counted_sync(records)
    assert full["status"] == "succeeded" and full["created"] == count, full
    resync = _counted_sync(shuffled(records, seed=seed + 1))
    return {
        "feed": profile,
        "full_sync": full,
        "resync_shuffled": resync,
        "resync_producer_rows_target": 0,
        "resync_meets_target": resync["producer_rows_written"] == 0,
        "baseline_bulk_insert_seconds": round(baseline, 2),
        "full_sync_to_baseline_ratio": round(full["seconds"] / baseline, 2),
        "resync_to_baseline_ratio": round(resync["seconds"] / baseline, 2),
        "loadavg_before": loadavg_before,
        "method": "tests/bench/national_feed.py (seed "
        f"{seed}) served by the stand-in registry in a separate process over HTTP, "
        "1000 records a page, in id order, then shuffled for the re-sync; PostgreSQL, "
        "its own fresh database; rows written = rowcount of INSERT/UPDATE statements "
        "on each table during certificate_sync (connection.execute_wrapper); "
        "baseline = bulk_create of the same certificates, products and stock "
        "records in one transaction; loadavg = os.getloadavg() 1/5/15 min",
    }


def _use_fresh_database(url: str) -> None:
    """Point Django's connection at a fresh, migrated database `url`."""
    from django.contrib.contenttypes.models import ContentType
    from django.core.management import call_command
    from django.db import connection

    connection.close()
    _fresh_database(url)
    connection.settings_dict["NAME"] = url.rsplit("/", 1)[1]
    ContentType.objects.clear_cache()
    call_command("migrate", verbosity=0, interactive=False)


def _time_page(client, path: str, *, warmup: int, requests: int) -> dict:
    for _ in range(warmup):
        assert client.get(path).status_code == 200, path
    samples = []
    for _ in range(requests):
        started = time.perf_counter()
        response = client.get(path)
        samples.append(time.perf_counter() - started)
        assert response.status_code == 200, path
    return {
        "path": path,
        "requests": requests,
        "requests_per_second": round(requests / sum(samples), 1),
        "median_ms": round(statistics.median(samples) * 1000, 2),
        "p95_ms": round(sorted(samples)[int(0.95 * (len(samples) - 1))] * 1000, 2),
    }


def bench_pages(requests: int, warmup: int) -> dict:
    from django.test import Client
    from tqdm import tqdm

    from cms.models import CraftVillagePage, FairPage

    # a fair whose body holds a query-mode products block (4★+ in Hà Nội,
    # resolved through listable() over every synced product) and a craft
    # village page listing its producers' products
    fair = FairPage.objects.live().filter(slug="le-hoi-nong-nghiep-lang-nghe-ha-noi-2020").first()
    village = CraftVillagePage.objects.live().filter(slug="bat-trang").first()
    paths = dict(PAGES)
    if fair:
        paths["fair_page"] = fair.url
    if village:
        paths["village_page"] = village.url
    client = Client()
    results = {}
    for name, path in tqdm(paths.items(), desc="pages", unit="page"):
        results[name] = _time_page(client, path, warmup=warmup, requests=requests)
    baseline = results["baseline_healthz"]["requests_per_second"]
    for figures in results.values():
        figures["ratio_to_baseline"] = round(figures["requests_per_second"] / baseline, 3)
    return results


def _bench_indexes_drop(client) -> None:
    for pattern in (f"{BENCH_PRODUCTS_ALIAS}-*", f"{BENCH_PAGES_INDEX}-*"):
        for name in client.indices.get(index=pattern):
            client.indices.delete(index=name)


SECTIONS = ("sync", "national_sync", "search", "pages", "checkout", "faults", "http")
# sections that run the site in their own processes on their own databases
STANDALONE = {"faults", "http"}


def _sections(only: str | None) -> list[str]:
    """The sections to run, in order; search, pages and checkout run on the
    sync's catalogue, and pages on the search index."""
    if not only:
        return list(SECTIONS)
    wanted = {name.strip().replace("-", "_") for name in only.split(",") if name.strip()}
    unknown = wanted - set(SECTIONS)
    if unknown:
        raise SystemExit(
            f"--only: unknown section(s) {', '.join(sorted(unknown))}; "
            f"choose from {', '.join(SECTIONS)}"
        )
    if wanted & {"search", "pages", "checkout"}:
        wanted.add("sync")
    if "pages" in wanted:
        wanted.add("search")
    return [name for name in SECTIONS if name in wanted]


def _print_national(national: dict) -> None:
    full, again = national["full_sync"], national["resync_shuffled"]
    feed = national["feed"]
    print(
        f"national sync ({feed['records']} records, {feed['producers']} producers, "
        f"{feed['provinces']} provinces): full {full['seconds']} s "
        f"(×{national['full_sync_to_baseline_ratio']} of bulk insert), "
        f"{full['producer_rows_written']} producer rows written; "
        f"shuffled re-sync {again['seconds']} s (×{national['resync_to_baseline_ratio']}), "
        f"{again['producer_rows_written']} producer rows written (target 0), "
        f"{again['certificate_rows_written']} certificate rows; "
        f"updated {again['updated']}, unchanged {again['unchanged']}; "
        f"load {'/'.join(str(x) for x in again['loadavg_after'])}"
    )


def _bench_faults(args) -> dict:
    from tests.bench.redis_cut import bench_redis_cut

    cut_at, cut_seconds = round(args.faults_seconds * 35 / 90), round(args.faults_seconds * 20 / 90)
    print(
        f"Locust: {args.faults_users} shoppers for {args.faults_seconds} s, "
        f"Redis cut from {cut_at} s for {cut_seconds} s…",
        file=sys.stderr,
    )
    return bench_redis_cut(
        database_url=args.faults_database_url or args.database_url + "_faults",
        redis_url=args.faults_redis_url,
        opensearch_url=args.opensearch_url,
        products_alias=f"{BENCH_PRODUCTS_ALIAS}-faults",
        pages_index=f"{BENCH_PAGES_INDEX}-faults",
        users=args.faults_users,
        seconds=args.faults_seconds,
        cut_at=cut_at,
        cut_seconds=cut_seconds,
    )


def _print_faults(cut: dict) -> None:
    phases = ", ".join(
        f"{name.replace('_cut', '')} {cut[name]['errors']}/{cut[name]['requests']}"
        for name in ("before_cut", "during_cut", "after_cut")
    )
    print(
        f"redis cut ({cut['users']} shoppers, {cut['seconds']} s, cut "
        f"{cut['cut']['from_second']}–{cut['cut']['to_second']} s): {cut['requests']} requests; "
        f"errors {phases}; orders placed {cut['orders_placed']} "
        f"({cut['orders_placed_during_cut']} during the cut), seen by their shopper "
        f"{cut['orders_seen_by_shopper']}, lost {cut['orders_lost_to_shopper']}; mails "
        f"{cut['mails_sent']} ({cut['orders_mailed_once']} orders once); oversold units "
        f"{cut['oversold_units']}; load {'/'.join(str(x) for x in cut['loadavg_after'])}"
    )


def _bench_http(args) -> dict:
    from tests.bench.http_bench import (
        bench_http,
        pages_choose,
        summary_lines,
        visitors_choose,
        web_processes_choose,
        write_report,
    )

    sizes = [int(size) for size in args.http_sizes.split(",") if size.strip()]
    report = bench_http(
        sizes=sizes,
        seconds=args.http_duration,
        warmup=args.http_warmup,
        pages=pages_choose(args.http_pages),
        visitors=visitors_choose(args.http_visitors),
        database_url=args.database_url,
        redis_url=args.http_redis_url,
        opensearch_url=args.opensearch_url,
        app_root=Path(args.app_root),
        suffix=args.http_db_suffix,
        build_only=args.http_build_only,
        keep_index=args.http_keep_index,
        web_processes=web_processes_choose(args.http_web_processes),
        workers=args.http_workers,
        accept_encoding=args.http_accept_encoding,
    )
    table = write_report(report, ROOT / args.http_out)
    for line in summary_lines(report):
        print(line)
    print(f"Wrote {ROOT / args.http_out} and {table}")
    return report


def main() -> None:
    parser = argparse.ArgumentParser(
        description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter
    )
    parser.add_argument("--out", default="bench-results/bench.json")
    parser.add_argument("--database-url", default="postgres://ocop:ocop@127.0.0.1:5432/ocop_bench")
    parser.add_argument("--certificates", type=int, default=20_000)
    parser.add_argument(
        "--national-certificates",
        type=int,
        default=17_000,
        help="records in the national-shaped feed (producers: half as many)",
    )
    parser.add_argument(
        "--only", default=None, help=f"comma-separated sections of {', '.join(SECTIONS)}"
    )
    parser.add_argument("--requests", type=int, default=200)
    parser.add_argument("--warmup", type=int, default=20)
    parser.add_argument("--queries", type=int, default=200)
    parser.add_argument("--opensearch-url", default="http://127.0.0.1:9200")
    parser.add_argument(
        "--faults-database-url",
        default=None,
        help="the Redis-cut site's database (default: --database-url + _faults)",
    )
    parser.add_argument(
        "--faults-redis-url",
        default="redis://127.0.0.1:6379/15",
        help="the Redis-cut site's Redis database (flushed at start)",
    )
    parser.add_argument("--faults-users", type=int, default=50)
    parser.add_argument("--faults-seconds", type=int, default=90)
    parser.add_argument(
        "--http-sizes",
        default="2000,20000,100000",
        help="catalogue sizes for the HTTP section, comma-separated",
    )
    parser.add_argument("--http-duration", type=float, default=20, help="seconds of wrk per page")
    parser.add_argument("--http-warmup", type=float, default=5, help="seconds of warm-up per page")
    parser.add_argument(
        "--http-pages", default=None, help="comma-separated pages (default: all; hello always)"
    )
    parser.add_argument(
        "--http-visitors",
        default=None,
        help="comma-separated visitors of anonymous, basket, signed-in (default: all)",
    )
    parser.add_argument("--http-out", default="bench-results/http.json")
    parser.add_argument(
        "--http-redis-url",
        default="redis://127.0.0.1:6379/14",
        help="the HTTP site's Redis database (flushed before each size)",
    )
    parser.add_argument(
        "--app-root",
        default=str(ROOT),
        help="the checkout whose code the HTTP section builds and serves (default: this one)",
    )
    parser.add_argument(
        "--http-db-suffix",
        default="",
        help="appended to each HTTP database and index name (e.g. _before for another checkout)",
    )
    parser.add_argument(
        "--http-build-only",
        action="store_true",
        help="build the HTTP sites and their indexes, measure nothing",
    )
    parser.add_argument(
        "--http-keep-index",
        action="store_true",
        help="do not rebuild the HTTP sites' search indexes (only if the code has not changed)",
    )
    parser.add_argument(
        "--http-web-processes",
        default="1",
        help="1: one gunicorn (default); 1,2: also each page through nginx in front of two "
        "gunicorns with the same worker count each, and the two-over-one ratio",
    )
    parser.add_argument(
        "--http-accept-encoding",
        default="gzip, deflate, br",
        help="the Accept-Encoding every request sends (default: a browser's; '' for none)",
    )
    parser.add_argument(
        "--http-workers",
        type=int,
        default=2,
        help="sync workers per gunicorn (default 2; e.g. 4 with one process as the control "
        "for two processes of 2)",
    )
    args = parser.parse_args()
    sections = _sections(args.only)
    if set(sections) <= STANDALONE:
        # the site runs in its own processes on its own database: none of
        # the in-process bench database set-up below is needed
        report = {
            "when": datetime.now(UTC).isoformat(timespec="seconds"),
            "machine": {"python": platform.python_version(), "cpus": os.cpu_count()},
        }
        if "faults" in sections:
            report["redis_cut"] = _bench_faults(args)
        if "http" in sections:
            report["http"] = _bench_http(args)
        out = ROOT / args.out
        out.parent.mkdir(parents=True, exist_ok=True)
        out.write_text(json.dumps(report, indent=2, ensure_ascii=False) + "\n")
        if "faults" in sections:
            _print_faults(report["redis_cut"])
        print(f"Wrote {out}")
        return
    site_sections = [name for name in sections if name in ("search", "pages", "checkout")]
    # the national feed syncs into its own database, so the catalogue the
    # other sections use stays the 20,000-certificate one
    national_url = args.database_url + "_national"
    first_url = national_url if sections == ["national_sync"] else args.database_url

    out = ROOT / args.out
    out.parent.mkdir(parents=True, exist_ok=True)
    _fresh_database(first_url)
    _setup_django(first_url, args.opensearch_url)

    from django.core.management import call_command

    print(f"Migrating a fresh bench database ({first_url.rsplit('/', 1)[1]})…", file=sys.stderr)
    call_command("migrate", verbosity=0, interactive=False)
    from search.client import opensearch_client

    # a crashed earlier run may have left a bench index; with one in place
    # the sync would also reindex every product it wrote (eager Celery)
    _bench_indexes_drop(opensearch_client(timeout=60))
    report: dict = {
        "when": datetime.now(UTC).isoformat(timespec="seconds"),
        "machine": {"python": platform.python_version(), "cpus": os.cpu_count()},
    }
    sync = search = pages = orders = national = None
    if "sync" in sections:
        print(f"Syncing {args.certificates} certificates…", file=sys.stderr)
        sync = report["registry_sync"] = bench_sync(args.certificates)
    if site_sections:
        from cms.services import cms_sections_ensure, home_page_ensure
        from marketplace.demo.services import demo_pages_ensure, demo_prices_assign

        print("Pricing the synced products as their producers would…", file=sys.stderr)
        home_page_ensure()
        demo_prices_assign(with_images=False)
        cms_sections_ensure()
        demo_pages_ensure()
        try:
            if "search" in sections:
                from tests.bench.search_bench import bench_search

                print(f"Rebuilding the index and timing {args.queries} searches…", file=sys.stderr)
                search = report["search"] = bench_search(queries=args.queries, warmup=args.warmup)
            if "pages" in sections:
                print("Timing pages…", file=sys.stderr)
                pages = bench_pages(args.requests, args.warmup)
                report["pages"] = {
                    "method": "sequential in-process django.test.Client, DEBUG=False, "
                    f"PostgreSQL, {args.certificates} synced products with demo prices",
                    "results": pages,
                }
            if "checkout" in sections:
                from tests.bench.order_bench import bench_orders

                print("Placing COD orders (1 client, then 8)…", file=sys.stderr)
                orders = report["checkout"] = bench_orders()
        finally:
            _bench_indexes_drop(opensearch_client(timeout=60))
    if "national_sync" in sections:
        if first_url != national_url:
            print(
                f"Migrating a fresh database for the national feed "
                f"({national_url.rsplit('/', 1)[1]})…",
                file=sys.stderr,
            )
            _use_fresh_database(national_url)
        print(
            f"Syncing a national-shaped feed of {args.national_certificates} records twice…",
            file=sys.stderr,
        )
        national = report["registry_sync_national"] = bench_national_sync(
            args.national_certificates
        )

    faults = None
    if "faults" in sections:
        faults = report["redis_cut"] = _bench_faults(args)
    if "http" in sections:
        report["http"] = _bench_http(args)

    out.write_text(json.dumps(report, indent=2, ensure_ascii=False) + "\n")
    if faults:
        _print_faults(faults)
    if sync:
        print(
            f"full sync {sync['full_sync_seconds']} s "
            f"({sync['full_sync_records_per_second']} rec/s, "
            f"×{sync['full_sync_to_baseline_ratio']} of bulk insert); "
            f"re-sync {sync['resync_seconds']} s (×{sync['resync_to_baseline_ratio']})"
        )
    if national:
        _print_national(national)
    if search:
        print(
            f"search: rebuild {search['rebuild_seconds']} s for "
            f"{search['indexed_documents']} docs; "
            + "; ".join(
                f"{name} p50 {f['p50_ms']} ms p95 {f['p95_ms']} ms"
                for name, f in search["latency"].items()
            )
        )
    if orders:
        c = orders["concurrent"]
        print(
            f"checkout: {c['orders_per_minute']} orders/min with {c['clients']} clients "
            f"(×{orders['throughput_ratio_to_one_client']} of one client), "
            f"p95 {c['checkout_p95_ms']} ms"
        )
    for name, figures in (pages or {}).items():
        print(
            f"{name:18} {figures['requests_per_second']:8.1f} req/s  "
            f"median {figures['median_ms']:7.2f} ms  ×{figures['ratio_to_baseline']} of baseline"
        )
    print(f"Wrote {out}")


if __name__ == "__main__":
    main()

"""The SQL plans of every shopper page at bench scale (issue 14's scale goal:
"no query may scan the catalogue per request").

Throughput at 100,000 products says a page got slower; it does not say
which query did. This asks PostgreSQL: against one of the HTTP bench's kept
sites (`<bench database>_http_<N>`, built by `run.py --only http
--http-build-only`), it requests each shopper page in-process under
`marketplace.settings.production` (the page cache on, its Redis database
flushed first, so the first request of a page is a miss that runs the
view), captures every query the request runs (CaptureQueriesContext), and
runs `EXPLAIN (ANALYZE, FORMAT JSON)` on each SELECT. A write is explained
without ANALYZE. Every Seq Scan over a table holding at least
`--min-rows` rows (the catalogue-sized ones: products, stock records,
certificates, producers, categories of products…) is listed with the page,
the visitor and the query. OpenSearch gets a patient timeout
(`--opensearch-timeout`): with production's 0.5 s a busy machine opens the
search breaker, and the search pages then show the database backend's
plans (an outage's, not a normal day's).

Visitors: anonymous (a miss, then the same URL again, a hit), a basket
visitor and a signed-in customer (each with one product added through the
basket's add view), as the HTTP bench's.

Run: `.venv/bin/python tests/bench/query_plans.py --size 100000 --redis-url
redis://127.0.0.1:6379/7 --out bench-results/plans-100000.json`; exits 1
when a catalogue-sized scan is found.
"""

from __future__ import annotations

import argparse
import json
import os
import sys
import time
from pathlib import Path
from urllib.parse import unquote

ROOT = Path(__file__).resolve().parents[2]
sys.path.insert(0, str(ROOT))

# pages beyond the HTTP bench's rotation that every shopper reaches
EXTRA_PAGES = {"basket": "/shop/basket/"}


def _env(args) -> None:
    """Production settings on the bench site's services (as SiteConfig.env)."""
    from tests.bench.http_bench import SiteConfig

    config = SiteConfig(
        app_root=ROOT,
        size=args.size,
        database_url=f"{args.database_url}_http_{args.size}",
        redis_url=args.redis_url,
        opensearch_url=args.opensearch_url,
        suffix="",
    )
    for key in [k for k in os.environ if k.startswith(("DJANGO_", "DATABASE_", "OPENSEARCH_"))]:
        del os.environ[key]
    os.environ.update(config.env())
    os.environ["DJANGO_ALLOWED_HOSTS"] = "testserver,127.0.0.1"
    os.environ["DJANGO_LOG_LEVEL"] = "WARNING"
    # Production's 0.5 s is for shoppers; on a busy machine one slow answer
    # opens the breaker for 30 s and the pages fall back to the database
    # backend: the plans of an outage, not of a normal day.
    os.environ["OPENSEARCH_TIMEOUT"] = str(args.opensearch_timeout)


def _plan_nodes(node: dict):
    yield node
    for child in node.get("Plans", []):
        yield from _plan_nodes(child)


def _table_rows() -> dict[str, int]:
    from django.db import connection

    with connection.cursor() as cursor:
        cursor.execute(
            "SELECT relname, n_live_tup FROM pg_stat_user_tables WHERE schemaname = 'public'"
        )
        return dict(cursor.fetchall())


def explain(sql: str) -> dict | None:
    """The plan of one captured statement: ANALYZE for a read, the estimate
    for a write (never run twice)."""
    from django.db import connection

    head = sql.lstrip().split(None, 1)[0].upper()
    if head not in ("SELECT", "WITH", "INSERT", "UPDATE", "DELETE"):
        return None  # BEGIN, SAVEPOINT, SET…: no plan
    read = head in ("SELECT", "WITH")
    options = "ANALYZE, BUFFERS, FORMAT JSON" if read else "FORMAT JSON"
    with connection.cursor() as cursor:
        # the captured SQL is already interpolated (psycopg's mogrify), and
        # sent without parameters, so a % in it stays as it is
        cursor.execute(f"EXPLAIN ({options}) {sql}")
        return cursor.fetchone()[0][0]


def page_queries(client, path: str) -> tuple[int, list[dict]]:
    from django.db import connection
    from django.test.utils import CaptureQueriesContext

    with CaptureQueriesContext(connection) as captured:
        response = client.get(unquote(path) if "%" in path else path)
    return response.status_code, [
        {"sql": q["sql"], "ms": round(float(q["time"]) * 1000, 2)}
        for q in captured.captured_queries
    ]


def _basket_client(product_path: str, *, signed_in: bool):
    from django.test import Client
    from oscar.core.loading import get_model

    from tests.bench.http_bench import BENCH_CUSTOMER

    Product = get_model("catalogue", "Product")
    client = Client(SERVER_NAME="127.0.0.1")
    if signed_in:
        from django.contrib.auth import get_user_model

        client.force_login(get_user_model().objects.get(email=BENCH_CUSTOMER[0]))
    slug_pk = product_path.rstrip("/").rsplit("_", 1)[-1]
    product = Product.objects.get(pk=int(slug_pk))
    answer = client.post(f"/shop/basket/add/{product.pk}/", {"quantity": 1})
    if answer.status_code not in (200, 302):
        raise RuntimeError(f"adding {product_path} answered {answer.status_code}")
    return client


def main() -> None:
    parser = argparse.ArgumentParser(
        description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter
    )
    parser.add_argument("--size", type=int, default=100_000)
    parser.add_argument("--database-url", default="postgres://ocop:ocop@127.0.0.1:5432/ocop_bench")
    parser.add_argument("--redis-url", default="redis://127.0.0.1:6379/14")
    parser.add_argument("--opensearch-url", default="http://127.0.0.1:9200")
    parser.add_argument("--min-rows", type=int, default=1000, help="a table this big is scanned")
    parser.add_argument(
        "--opensearch-timeout", type=float, default=10.0, help="seconds (production: 0.5)"
    )

    parser.add_argument("--products", type=int, default=3, help="product pages per visitor")
    parser.add_argument("--out", default=None, help="JSON with every query and plan")
    args = parser.parse_args()
    _env(args)

    import django

    django.setup()
    import redis
    from django.test import Client
    from django.test.utils import setup_test_environment

    from tests.bench.http_bench import _site_facts, page_paths

    setup_test_environment()
    redis.Redis.from_url(args.redis_url).flushdb()
    facts = _site_facts(args.size)
    paths = page_paths(facts)
    paths.pop("hello")
    # the never-cached searches are the cached ones' URLs: the same queries
    for name in ("search_uncached", "search_facets_uncached"):
        paths.pop(name, None)
    pages = {
        name: urls[: args.products if name == "product" else 2] for name, urls in paths.items()
    }
    pages.update({name: [path] for name, path in EXTRA_PAGES.items()})
    rows = _table_rows()
    big = {table for table, n in rows.items() if n >= args.min_rows}

    visitors = {
        "anonymous": Client(SERVER_NAME="127.0.0.1"),
        "anonymous_again": None,  # the same client, the same URLs: page-cache hits
        "basket": _basket_client(facts["basket_product"], signed_in=False),
        "signed-in": _basket_client(facts["basket_product"], signed_in=True),
    }
    report = {"size": args.size, "big_tables": {t: rows[t] for t in sorted(big)}, "pages": []}
    scans = []
    for visitor, client in visitors.items():
        client = client or visitors["anonymous"]
        for page, urls in pages.items():
            for url in urls:
                started = time.perf_counter()
                status, queries = page_queries(client, url)
                took = round((time.perf_counter() - started) * 1000, 1)
                entry = {
                    "visitor": visitor,
                    "page": page,
                    "url": url,
                    "status": status,
                    "ms": took,
                    "queries": [],
                }
                for query in queries:
                    plan = explain(query["sql"])
                    if plan is None:
                        continue
                    found = [
                        {
                            "table": node["Relation Name"],
                            "table_rows": rows.get(node["Relation Name"]),
                            "actual_rows": node.get("Actual Rows"),
                            "removed_by_filter": node.get("Rows Removed by Filter"),
                            "filter": node.get("Filter"),
                            "ms": node.get("Actual Total Time"),
                        }
                        for node in _plan_nodes(plan["Plan"])
                        if node["Node Type"] == "Seq Scan" and node.get("Relation Name") in big
                    ]
                    entry["queries"].append(
                        {**query, "plan_ms": plan.get("Execution Time"), "seq_scans": found}
                    )
                    for scan in found:
                        scans.append(
                            {"visitor": visitor, "page": page, "sql": query["sql"][:600], **scan}
                        )
                report["pages"].append(entry)
                scanned = [s["table"] for q in entry["queries"] for s in q["seq_scans"]]
                print(
                    f"{visitor:15} {page:14} {status} {took:7.1f} ms {len(queries):3} queries"
                    + (f"  SEQ SCAN {', '.join(scanned)}" if scanned else ""),
                    file=sys.stderr,
                )
    report["seq_scans"] = scans
    if args.out:
        out = ROOT / args.out
        out.parent.mkdir(parents=True, exist_ok=True)
        out.write_text(json.dumps(report, indent=1, ensure_ascii=False) + "\n")
    distinct = {}
    for scan in scans:
        distinct.setdefault((scan["table"], scan["sql"][:200]), []).append(
            f"{scan['visitor']}/{scan['page']}"
        )
    print(f"{len(scans)} Seq Scans over tables of ≥ {args.min_rows} rows", file=sys.stderr)
    for (table, sql), where in distinct.items():
        print(f"- {table}: {sorted(set(where))}\n    {sql}", file=sys.stderr)
    sys.exit(1 if scans else 0)


if __name__ == "__main__":
    main()

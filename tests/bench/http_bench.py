"""The HTTP part of `make bench` (issue 14): shopper pages under load, as an
operator would measure them before a fair-day launch.

For each catalogue size (2,000, 20,000 and 100,000 listable products):

1. **The site.** Its own database, `<bench database>_http_<N>`, kept between
   runs: migrated every run, and rebuilt only when it does not hold exactly N
   products, all listable (100,000 take minutes). The products come from
   `build_scaled_records` (the sync bench's records, seed 2020) written by the
   sync's own applier (validation, producers, certificates, products, stock
   records, categories) straight from memory, without the stand-in registry,
   the crawl or the diff, and priced by `demo_prices_assign`'s formula (one
   COPY instead of its minutes-long bulk_update at 100,000); then the home
   page, the CMS sections and the demo fairs, events and craft villages
   (`demo_pages_ensure`, as `manage.py demo_setup` seeds them). The product
   index is rebuilt every run into its own alias (`ocop-bench-http-<N>`) by
   `manage.py search_index --rebuild`, and the Wagtail pages index by
   `manage.py update_index`, so it always matches the code under test. This
   runs in a subprocess on the code under test (`--app-root`), so the same
   driver measures another checkout on its own schema.
2. **The server.** gunicorn on `marketplace.settings.production` with the
   app's own gunicorn.conf.py and 2 sync workers, on that database, its own
   Redis database (flushed before each size: the page cache keys on a
   generation number that another database also counts) and OpenSearch; the
   production log level, no TLS redirect (plain HTTP on loopback). With
   several sizes, every size's gunicorn runs at once, each with its own
   Redis database (14, 13, 12 from the default), and each page is measured
   at every size in turn, so a page's ÷ 2k compares figures taken seconds
   apart rather than half an hour (`measure_side_by_side`).
3. **The load.** (A rotation of many URLs is first primed: each URL once.)
   For each visitor kind (anonymous: no cookies; basket: one
   product added through the shop's own add flow by a Python client, then
   its cookies sent with every request; signed-in: the same after signing
   in through the shop's form as a bench customer) and each page, a
   warm-up, then
   `wrk -t2 -c16 -d<secs>s --latency` with a Lua script that rotates URLs
   (500 product pages, 200 distinct searches) and reports percentiles and
   non-2xx answers from its `done()` hook. The baseline is the liveness view
   `/healthz/live/` (a one-line JSON view; the prepare step checks that it
   runs no SQL query and renders no template), measured in the same run.

Writes `bench-results/http.json` and a Markdown table beside it
(`http.md`): page | req/s | p50 | p95 | p99 | errors | ÷ hello | ÷ 2k, with
the machine's load average before and after each page.

Run: `.venv/bin/python tests/bench/run.py --only http` (add `--http-sizes
2000 --http-duration 5` for a quick check, `--http-pages home,product` to
pick pages, `--http-visitors anonymous,basket` to pick visitors, `--app-root
DIR --http-db-suffix _before` to measure another checkout,
`--http-build-only` to build the sites and indexes without load,
`--http-web-processes 1,2` to measure every page also through nginx in
front of two gunicorns, each with the one's 2 workers, and tabulate two ÷
one per page).
"""

from __future__ import annotations

import argparse
import copy
import json
import os
import platform
import random
import re
import secrets
import signal
import socket
import subprocess
import sys
import tempfile
import time
from contextlib import contextmanager
from datetime import UTC, datetime
from html.parser import HTMLParser
from pathlib import Path
from urllib.parse import quote, urlencode, urljoin, urlsplit

ROOT = Path(__file__).resolve().parents[2]
BIN = Path(sys.executable).parent
WRK = "/usr/bin/wrk"

HELLO_PATH = "/healthz/live/"
SIZES = (2000, 20000, 100000)
PAGES = (
    "hello",
    "home",
    "shop",
    "category",
    "product",
    "search",
    "search_facets",
    "search_uncached",
    "search_facets_uncached",
    "suggest",
    "fair",
    "village",
    "certificate",
)
PAGE_LABELS = {
    "hello": "hello (`/healthz/live/`)",
    "home": "home `/`",
    "shop": "`/shop/`",
    "category": "category",
    "product": "product (500 rotating URLs)",
    "search": "search, text (200 rotating queries)",
    "search_facets": "search + 2 facets (200 rotating)",
    "search_uncached": "search, text, never cached (a new URL each request)",
    "search_facets_uncached": "search + 2 facets, never cached",
    "suggest": "suggest `gom`",
    "fair": "fair with a query-mode products block",
    "village": "village Bát Tràng",
    "certificate": "`/chung-nhan/?so=…`",
}
VISITORS = ("anonymous", "basket", "signed-in")
# Pages whose every request carries a parameter of its own (wrk_script's
# `unique`), so the page cache cannot answer them: the cost of a search.
UNIQUE_URL_PAGES = {"search_uncached", "search_facets_uncached"}
# What every request says it accepts, as a browser says it (Chromium's):
# a shared page then goes out as its stored gzip bytes, as it does to a
# shopper. `--http-accept-encoding ""` measures a client that takes none.
BROWSER_ACCEPT_ENCODING = "gzip, deflate, br"
# The signed-in visitor's account, made by `prepare` in the bench's own
# throwaway database (not a secret: no other database has it).
BENCH_CUSTOMER = ("khach-bench@example.vn", "bench-mat-khau-2026")
FAIR_SLUG = "le-hoi-nong-nghiep-lang-nghe-ha-noi-2020"  # its products block is query-mode
VILLAGE_SLUG = "bat-trang"
RECORDS_SEED = 2020  # the sync bench's
SAMPLE_SEED = 14
PRODUCT_URLS = 500
SEARCH_QUERIES = 200


def _loadavg() -> list[float]:
    return [round(load, 2) for load in os.getloadavg()]


def _cpu_pressure() -> float | None:
    """The share of the last 10 s in which some runnable task waited for a
    CPU (Linux PSI), in %: how contended the machine was, beyond its load."""
    try:
        line = Path("/proc/pressure/cpu").read_text().splitlines()[0]
    except (OSError, IndexError):
        return None
    found = re.search(r"avg10=([\d.]+)", line)
    return float(found.group(1)) if found else None


def _free_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return sock.getsockname()[1]


# --- the prepare step (a subprocess on the code under test) ---------------------


def _timed(timings: dict, name: str):
    """A context manager that records the seconds its block took."""

    class _Timer:
        def __enter__(self):
            self.started = time.perf_counter()
            print(f"  {name}…", file=sys.stderr, flush=True)

        def __exit__(self, *exc):
            timings[name] = round(time.perf_counter() - self.started, 2)
            return False

    return _Timer()


def _database_create(url: str, *, fresh: bool) -> None:
    import psycopg

    name = url.rsplit("/", 1)[1]
    with psycopg.connect(url.rsplit("/", 1)[0] + "/postgres", autocommit=True) as conn:
        if fresh:
            conn.execute(f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)')
        exists = conn.execute("SELECT 1 FROM pg_database WHERE datname = %s", (name,)).fetchone()
        if not exists:
            conn.execute(f'CREATE DATABASE "{name}"')


def _catalogue_counts() -> dict:
    from oscar.core.loading import get_model

    Product = get_model("catalogue", "Product")
    return {"products": Product.objects.count(), "listable": Product.objects.listable().count()}


def _catalogue_build(size: int, timings: dict) -> None:
    """N listable products, as a first sync writes them, without the HTTP
    crawl: the sync's own validation and applier, from memory, in one
    transaction; then the demo prices and stock, as producers would set them."""
    from datetime import date

    from django.db import transaction
    from django.test.utils import override_settings
    from django.utils import timezone

    from marketplace.demo.build_snapshot import build_scaled_records
    from marketplace.ocop.models import RecordSource
    from marketplace.registry.apply import Applier
    from marketplace.registry.models import SyncRun, SyncStatus
    from marketplace.registry.rejections import records_validate

    with _timed(timings, "records_generate"):
        records = build_scaled_records(today=date.today(), count=size, seed=RECORDS_SEED)
    # No reindex is recorded or queued while building: the index is rebuilt
    # from scratch afterwards (reindex_on_commit does nothing without it).
    with override_settings(OPENSEARCH_URL=""), transaction.atomic():
        run = SyncRun.objects.create(
            source="bench: build_scaled_records in memory", source_kind=RecordSource.NATIONAL
        )
        with _timed(timings, "records_validate"):
            checked = records_validate(run, records)
        with _timed(timings, "producers_insert"):
            applier = Applier(run)
            applier.producers_sync(checked.valid)
        with _timed(timings, "certificates_products_insert"), _gin_indexes_deferred(timings):
            for start in range(0, len(checked.valid), 2000):
                applier.apply_batch(checked.valid[start : start + 2000])
        run.expected_count = run.seen = len(records)
        run.complete_crawl = True
        run.status = SyncStatus.SUCCEEDED
        run.finished_at = timezone.now()
        run.save()
        with _timed(timings, "prices_assign"):
            _prices_assign()


# The tables a build fills; their GIN (trigram) indexes are built once at
# the end rather than row by row.
BUILT_TABLES = ("catalogue_product", "registry_certificate", "registry_producer")


@contextmanager
def _gin_indexes_deferred(timings: dict):
    """Drop the GIN indexes of BUILT_TABLES for the block, then create them
    again from their own definitions (pg_get_indexdef), in the same
    transaction (an error rolls the drop back too). The product search
    text's trigram index is created with fastupdate=off, so every inserted
    row rewrote its posting lists at once: on a busy 2-core machine a
    100,000-product build inserted about 3,000 products a minute with it,
    about 10,000 without it, and one CREATE INDEX over the filled table
    takes seconds."""
    from django.db import connection

    with connection.cursor() as cursor:
        cursor.execute(
            "SELECT i.relname, pg_get_indexdef(i.oid) FROM pg_index x "
            "JOIN pg_class i ON i.oid = x.indexrelid JOIN pg_class t ON t.oid = x.indrelid "
            "JOIN pg_am a ON a.oid = i.relam "
            "WHERE a.amname = 'gin' AND t.relname = ANY(%s) AND NOT x.indisunique",
            [list(BUILT_TABLES)],
        )
        definitions = cursor.fetchall()
        for name, _definition in definitions:
            cursor.execute(f'DROP INDEX "{name}"')
    yield
    started = time.perf_counter()
    with connection.cursor() as cursor:
        # PostgreSQL builds no index on a table with queued trigger events
        # (the page cache's deferred generation bump): run them now
        cursor.execute("SET CONSTRAINTS ALL IMMEDIATE")
        for _name, definition in definitions:
            cursor.execute(definition)
        cursor.execute("SET CONSTRAINTS ALL DEFERRED")
    timings["gin_indexes_create"] = round(time.perf_counter() - started, 2)


def _prices_assign() -> None:
    """`demo_prices_assign`'s prices and stock, by its own formula, written
    with one COPY and one UPDATE: its bulk_update (a CASE of 1,000 branches
    per 1,000 rows) takes minutes at 100,000 products. Falls back to it if
    the formula is not where it was."""
    from django.db import connection
    from oscar.core.loading import get_model

    from marketplace.demo import services as demo_services

    price = getattr(demo_services, "_demo_price", None)
    if price is None:
        demo_services.demo_prices_assign(with_images=False)
        return
    StockRecord = get_model("partner", "StockRecord")
    # read before the COPY starts: the connection carries one at a time
    rows = list(
        StockRecord.objects.filter(
            price__isnull=True, product__certificate__isnull=False
        ).values_list(
            "pk", "product__certificate__registry_id", "product__certificate__product_type"
        )
    )
    with connection.cursor() as cursor:
        cursor.execute(
            "CREATE TEMP TABLE bench_prices (id bigint, price numeric, stock integer) "
            "ON COMMIT DROP"
        )
        with cursor.copy("COPY bench_prices (id, price, stock) FROM STDIN") as copy:
            for pk, registry_id, product_type in rows:
                stock = random.Random(registry_id).randint(5, 200)
                copy.write_row((pk, price(registry_id, product_type), stock))
        table = StockRecord._meta.db_table
        cursor.execute(
            f'UPDATE "{table}" AS s SET price = b.price, price_currency = %s, '  # noqa: S608
            "num_in_stock = b.stock FROM bench_prices AS b WHERE s.id = b.id",
            ["VND"],
        )


def _pages_ensure(timings: dict) -> None:
    from django.contrib.sites.models import Site as DjangoSite
    from django.db import transaction
    from django.test.utils import override_settings

    from cms.services import cms_sections_ensure, home_page_ensure
    from marketplace.demo.services import demo_pages_ensure

    with _timed(timings, "cms_pages_ensure"), override_settings(OPENSEARCH_URL=""):
        with transaction.atomic():
            home_page_ensure()
            cms_sections_ensure()
            DjangoSite.objects.update_or_create(
                pk=1, defaults={"domain": "127.0.0.1:8000", "name": "Chợ OCOP"}
            )
        demo_pages_ensure()


def _hello_check() -> dict:
    """Does the hello baseline touch the database or a template?"""
    from django.db import connection
    from django.test import Client
    from django.test.signals import template_rendered
    from django.test.utils import CaptureQueriesContext, setup_test_environment

    setup_test_environment()
    rendered = []

    def _seen(sender, template, **kwargs):
        rendered.append(getattr(template, "name", str(template)))

    template_rendered.connect(_seen)
    client = Client(SERVER_NAME="127.0.0.1")
    client.get(HELLO_PATH)  # once to settle anything lazily set up
    rendered.clear()
    with CaptureQueriesContext(connection) as queries:
        response = client.get(HELLO_PATH)
    template_rendered.disconnect(_seen)
    return {
        "path": HELLO_PATH,
        "status": response.status_code,
        "content_type": response.get("Content-Type", ""),
        "sql_queries": len(queries.captured_queries),
        "templates_rendered": rendered,
    }


def _typo(word: str, rng: random.Random) -> str:
    if len(word) < 5:
        return word
    i = rng.randrange(1, len(word) - 1)
    return word[:i] + word[i + 1 :]


def _text_queries(titles: list[str], count: int, seed: int) -> list[str]:
    """`count` distinct shopper texts: a word or two of a real title, half
    typed without accents, some with a typo (as the search bench mixes)."""
    from marketplace.ocop.text import fold

    rng = random.Random(seed)
    seen: dict[str, None] = {}
    for _ in range(count * 50):
        if len(seen) >= count:
            break
        words = [w for w in rng.choice(titles).split() if len(w) > 1]
        if not words:
            continue
        start = rng.randrange(len(words))
        text = " ".join(words[start : start + rng.choice((1, 2))])
        roll = rng.random()
        if roll < 0.5:
            text = fold(text)
        elif roll < 0.6:
            text = " ".join(_typo(word, rng) for word in fold(text).split())
        seen.setdefault(text.strip().lower(), None)
    return list(seen)[:count]


def _facet_values() -> dict[str, list[str]]:
    """Each facet's values over today's listable catalogue, from the search
    backend as the search page shows them."""
    from marketplace.ocop.dates import today_in_vietnam
    from search.backends.base import SearchRequest
    from search.backends.opensearch import OpenSearchBackend
    from search.client import opensearch_client

    found = OpenSearchBackend(opensearch_client(timeout=60)).search(
        SearchRequest(on=today_in_vietnam())
    )
    return {
        name: [str(value) for value, count in values if count]
        for name, values in found.facets.items()
    }


def _bench_customer_ensure() -> None:
    """The signed-in visitor's account, with its known password."""
    from django.contrib.auth import get_user_model

    email, password = BENCH_CUSTOMER
    user, _ = get_user_model().objects.get_or_create(email=email, defaults={"username": email[:30]})
    user.set_password(password)
    user.save()


def _search_bodies(queries: list[str]) -> list[dict]:
    """The OpenSearch body our backend sends for each faceted search page (as
    the search view builds its request), to time OpenSearch alone on them."""
    from django.conf import settings
    from django.http import QueryDict

    from marketplace.ocop.dates import today_in_vietnam
    from search.backends.base import SearchRequest
    from search.backends.opensearch import OpenSearchBackend
    from search.client import opensearch_client
    from search.views import clean_filters

    backend = OpenSearchBackend(opensearch_client(timeout=30))
    bodies = []
    for query in queries:
        params = QueryDict(query)
        request = SearchRequest(
            on=today_in_vietnam(),
            text=params.get("q", ""),
            filters=clean_filters(params),
            limit=settings.OSCAR_PRODUCTS_PER_PAGE,
        )
        bodies.append(backend.build(request).to_dict())
    return bodies


def search_one_client(config: SiteConfig, facts: dict, *, nonce: str | None = None) -> dict:
    """Goal 3a: with one client, a search page's server time against
    OpenSearch's own time for the very body the page sends.

    Measured twice: right after gunicorn starts on an empty cache (every
    product card rendered for the first time), and again after the load
    with `nonce` added to each address (`&bench=<nonce>`, part of the page
    key, ignored by the view), so each page is still a page-cache miss but
    the cards are kept, as on a shop that has been open for a while.

    OpenSearch alone: each body POSTed to the alias's `_search` over one kept
    connection (a warm-up pass, then a timed pass). The page: each faceted
    search URL requested once, in the same order, over one kept connection,
    before any load has run, so each is a page-cache miss (checked: a hit
    would hide the cost). Both are round trips seen by the client, so the
    page's figure also carries HTTP and gunicorn."""
    import requests

    bodies = facts["search_bodies"]
    urls = [f"/shop/search/?{query}" for query in facts["search_faceted"]]
    if nonce:
        urls = [f"{url}&bench={nonce}" for url in urls]
    raw = requests.Session()
    endpoint = f"{config.opensearch_url.rstrip('/')}/{config.products_alias}/_search"

    def raw_pass() -> list[float]:
        times = []
        for body in bodies:
            started = time.perf_counter()
            answer = raw.post(endpoint, json=body, timeout=60)
            times.append(time.perf_counter() - started)
            answer.raise_for_status()
        return times

    raw_pass()
    page = requests.Session()
    page_times, statuses = [], {}
    for url in urls:
        started = time.perf_counter()
        answer = page.get(config.base_url + _ascii_path(url), timeout=60)
        page_times.append(time.perf_counter() - started)
        how = answer.headers.get("X-Page-Cache", "?").split(";")[0]
        statuses[f"{answer.status_code} {how}"] = statuses.get(f"{answer.status_code} {how}", 0) + 1
    raw_times = raw_pass()

    def p50(times):
        return round(sorted(times)[len(times) // 2] * 1000, 2)

    return {
        "queries": len(urls),
        "opensearch_p50_ms": p50(raw_times),
        "page_p50_ms": p50(page_times),
        "ratio": round(p50(page_times) / p50(raw_times), 2),
        "page_answers": statuses,
        "loadavg": _loadavg(),
    }


def _site_facts(size: int) -> dict:
    """The URLs the load runs on, chosen from the built site."""
    from django.db.models import Count
    from oscar.core.loading import get_model

    from cms.models import CraftVillagePage, FairPage

    Product = get_model("catalogue", "Product")
    Category = get_model("catalogue", "Category")
    ProductCategory = get_model("catalogue", "ProductCategory")

    rng = random.Random(SAMPLE_SEED)
    listable = list(Product.objects.listable().order_by("pk").values_list("pk", flat=True))
    chosen = rng.sample(listable, min(PRODUCT_URLS, len(listable)))
    by_pk = Product.objects.select_related("certificate").in_bulk(chosen)
    products = [by_pk[pk] for pk in chosen]
    top = (
        ProductCategory.objects.filter(product__in=Product.objects.listable())
        .values("category")
        .annotate(n=Count("id"))
        .order_by("-n", "category")
        .first()
    )
    category = Category.objects.get(pk=top["category"])
    fair = FairPage.objects.live().filter(slug=FAIR_SLUG).first()
    village = CraftVillagePage.objects.live().filter(slug=VILLAGE_SLUG).first()
    titles = list(Product.objects.listable().order_by("pk").values_list("title", flat=True)[:5000])
    texts = _text_queries(titles, SEARCH_QUERIES, RECORDS_SEED)
    facets = _facet_values()
    names = sorted(name for name, values in facets.items() if values)
    faceted: dict[str, None] = {}
    for text in texts * 3:
        if len(faceted) >= SEARCH_QUERIES:
            break
        params = {"q": text}
        for name in rng.sample(names, 2):
            params[name] = rng.choice(facets[name])
        faceted.setdefault(urlencode(params), None)
    certificate = next(p.certificate for p in products if p.certificate_id)
    _bench_customer_ensure()
    return {
        "search_bodies": _search_bodies(list(faceted)),
        "products": [p.get_absolute_url() for p in products],
        "basket_product": products[0].get_absolute_url(),
        "category": {
            "path": category.get_absolute_url(),
            "name": category.name,
            "listable_products": top["n"],
        },
        "fair": fair.url if fair else None,
        "village": village.url if village else None,
        "certificate_number": certificate.number,
        "search_texts": texts,
        "search_faceted": list(faceted),
        "facets": {name: len(values) for name, values in facets.items()},
    }


def _indexes_exist() -> bool:
    """Both aliases this site searches exist (OpenSearch's data does not
    outlive the machine, the kept databases do)."""
    from django.conf import settings

    from search.client import opensearch_client

    client = opensearch_client(timeout=30)
    pages = settings.WAGTAILSEARCH_BACKENDS["default"]["INDEX_PREFIX"]
    return bool(
        client.indices.exists(index=settings.OPENSEARCH_PRODUCTS_ALIAS)
        and client.indices.exists(index=f"{pages}*", allow_no_indices=False)
    )


def prepare(*, size: int, database_url: str, rebuild_index: bool = True) -> dict:
    """Ensure the site of `size` products and its indexes; return the build
    timings, counts and the URLs to load. Runs with Django set up on the code
    under test (production settings, straight to the services)."""
    import django

    timings: dict[str, float] = {}
    started = time.perf_counter()
    _database_create(database_url, fresh=False)
    django.setup()
    from django.core.management import call_command
    from django.db import connection

    with _timed(timings, "migrate"):
        call_command("migrate", verbosity=0, interactive=False)
    counts = _catalogue_counts()
    rebuild = rebuild_index
    rebuilt = counts != {"products": size, "listable": size}
    if rebuilt:
        if counts["products"]:
            print(
                f"  the database holds {counts['products']} products "
                f"({counts['listable']} listable), not {size}: rebuilding it",
                file=sys.stderr,
            )
            connection.close()
            _database_create(database_url, fresh=True)
            with _timed(timings, "migrate_fresh"):
                call_command("migrate", verbosity=0, interactive=False)
        _catalogue_build(size, timings)
        counts = _catalogue_counts()
        if counts != {"products": size, "listable": size}:
            raise RuntimeError(f"built {counts}, wanted {size} listable products")
    _pages_ensure(timings)
    if rebuild or rebuilt or not _indexes_exist():
        with _timed(timings, "products_index_rebuild"):
            call_command("search_index", "--rebuild")
        with _timed(timings, "pages_index_rebuild"):
            call_command("update_index", "--backend", "default", verbosity=0)
    with _timed(timings, "urls_choose"):
        facts = _site_facts(size)
    facts["hello_check"] = _hello_check()
    timings["total"] = round(time.perf_counter() - started, 2)
    return {"catalogue_built": rebuilt, "counts": counts, "timings": timings, "facts": facts}


def _prepare_main(argv: list[str]) -> None:
    parser = argparse.ArgumentParser(prog="http_bench.py prepare")
    parser.add_argument("--app-root", required=True)
    parser.add_argument("--size", type=int, required=True)
    parser.add_argument("--database-url", required=True)
    parser.add_argument("--out", required=True)
    parser.add_argument("--keep-index", action="store_true")
    args = parser.parse_args(argv)
    # the code under test, not the driver's tree, answers every import
    sys.path.insert(0, str(Path(args.app_root).resolve()))
    result = prepare(
        size=args.size, database_url=args.database_url, rebuild_index=not args.keep_index
    )
    Path(args.out).write_text(json.dumps(result, ensure_ascii=False, indent=1))


# --- the driver ------------------------------------------------------------------


class SiteConfig:
    """Where one size's site lives, and the code it runs."""

    def __init__(
        self,
        *,
        app_root: Path,
        size: int,
        database_url: str,
        redis_url: str,
        opensearch_url: str,
        suffix: str,
    ) -> None:
        self.app_root = app_root
        self.size = size
        self.database_url = database_url
        self.redis_url = redis_url
        self.opensearch_url = opensearch_url
        self.products_alias = f"ocop-bench-http-{size}{suffix.replace('_', '-')}"
        self.pages_index = f"ocop-pages-bench-http-{size}{suffix.replace('_', '-')}"
        self.secret_key = secrets.token_urlsafe(50)
        self.port = _free_port()
        self.base_url = f"http://127.0.0.1:{self.port}"
        self.workdir = ROOT / "var" / "bench-http"
        self.workdir.mkdir(parents=True, exist_ok=True)

    def env(self) -> dict[str, str]:
        """Production's environment (as tests/faults/site.py sets it, with no
        proxy in between), minus whatever the caller was given for its own
        services. The log level stays production's default."""
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
                    "GUNICORN_",
                    "PYTHONPATH",
                )
            )
        }
        return {
            **base,
            "DJANGO_SETTINGS_MODULE": "marketplace.settings.production",
            "DJANGO_SECRET_KEY": self.secret_key,
            "DJANGO_ALLOWED_HOSTS": "127.0.0.1,localhost",
            "DJANGO_SECURE_SSL_REDIRECT": "False",
            "DJANGO_TRUSTED_PROXY_COUNT": "0",
            "DATABASE_URL": self.database_url,
            "REDIS_URL": self.redis_url,
            "OPENSEARCH_URL": self.opensearch_url,
            "OPENSEARCH_PRODUCTS_ALIAS": self.products_alias,
            "WAGTAIL_SEARCH_INDEX": self.pages_index,
            "WAGTAILADMIN_BASE_URL": self.base_url,
            "STRIPE_API_BASE": "http://127.0.0.1:12111",
            "STRIPE_SECRET_KEY": "sk_test_123",
            "STRIPE_PUBLISHABLE_KEY": "pk_test_123",
            "DJANGO_EMAIL_BACKEND": "django.core.mail.backends.locmem.EmailBackend",
            "PYTHONUNBUFFERED": "1",
        }


def _site_prepare(config: SiteConfig, *, keep_index: bool) -> dict:
    out = Path(tempfile.mkstemp(prefix="http-prepare-", suffix=".json")[1])
    try:
        subprocess.run(
            [
                sys.executable,
                str(Path(__file__).resolve()),
                "prepare",
                "--app-root",
                str(config.app_root),
                "--size",
                str(config.size),
                "--database-url",
                config.database_url,
                "--out",
                str(out),
                *(["--keep-index"] if keep_index else []),
            ],
            cwd=config.app_root,
            # a patient OpenSearch client for the rebuild, as manage.py gets;
            # the set-up's own chatter (a log line per OpenSearch call) is not
            # what is measured
            env={**config.env(), "OPENSEARCH_TIMEOUT": "60", "DJANGO_LOG_LEVEL": "WARNING"},
            check=True,
        )
        return json.loads(out.read_text())
    finally:
        out.unlink(missing_ok=True)


def _static_prepare(config: SiteConfig) -> float | None:
    """collectstatic for whitenoise's manifest under the app root, unless the
    manifest is newer than every static source (as tests/faults/site.py)."""
    manifest = config.app_root / "var" / "static" / "staticfiles.json"
    if manifest.exists():
        built = manifest.stat().st_mtime
        sources = [config.app_root / "requirements.lock", *(config.app_root / "static").rglob("*")]
        if all(path.stat().st_mtime < built for path in sources if path.is_file()):
            return None
    started = time.perf_counter()
    subprocess.run(
        [sys.executable, "manage.py", "collectstatic", "--noinput", "-v", "0"],
        cwd=config.app_root,
        env=config.env(),
        check=True,
    )
    return round(time.perf_counter() - started, 2)


class Gunicorn:
    """gunicorn on production settings, from the app root (its own
    gunicorn.conf.py), 2 sync workers; on the site's port unless given
    another (the second web process of the two-process run)."""

    def __init__(
        self, config: SiteConfig, *, workers: int = 2, port: int | None = None, name: str = ""
    ) -> None:
        self.config = config
        self.workers = workers
        self.port = port or config.port
        self.base_url = f"http://127.0.0.1:{self.port}"
        self.log_path = config.workdir / f"gunicorn-{config.size}{name}.log"
        self.process: subprocess.Popen | None = None

    def start(self) -> Gunicorn:
        log = open(self.log_path, "wb")  # noqa: SIM115 (kept open for the process)
        self.process = subprocess.Popen(
            [
                str(BIN / "gunicorn"),
                "marketplace.wsgi:application",
                "--bind",
                f"127.0.0.1:{self.port}",
                "--workers",
                str(self.workers),
            ],
            cwd=self.config.app_root,
            env=self.config.env(),
            stdout=log,
            stderr=subprocess.STDOUT,
            start_new_session=True,
        )
        try:
            self._wait(HELLO_PATH)
            self._wait("/")
        except BaseException:
            self.stop()
            raise
        return self

    def _wait(self, path: str, deadline: float = 180) -> None:
        import requests

        started = time.monotonic()
        last = None
        while time.monotonic() - started < deadline:
            if self.process.poll() is not None:
                raise RuntimeError(f"gunicorn exited; see {self.log_path}")
            try:
                last = requests.get(self.base_url + path, timeout=30)
                if last.status_code == 200:
                    return
            except requests.RequestException as exc:
                last = exc
            time.sleep(0.5)
        raise RuntimeError(f"gunicorn did not answer 200 on {path} within {deadline} s: {last}")

    def drain(self, deadline: float = 300) -> float:
        """Wait until the requests wrk left behind have been served.

        wrk stops at its deadline with up to one request per connection
        queued in gunicorn's listen backlog; gunicorn serves them all the
        same, and on a slow page they would eat the next run's first
        seconds. A request sent after them is answered after them (one
        accept queue), so one liveness answer per worker means the queue
        is empty. Returns the seconds waited."""
        import requests

        started = time.monotonic()
        for _ in range(self.workers):
            requests.get(self.base_url + HELLO_PATH, timeout=deadline)
        return round(time.monotonic() - started, 2)

    def log_offset(self) -> int:
        return self.log_path.stat().st_size

    def log_events(self, since: int) -> dict:
        """Server errors and search-breaker trips logged since `since`."""
        with open(self.log_path, "rb") as log:
            log.seek(since)
            text = log.read().decode("utf-8", "replace")
        return {
            "server_errors_logged": text.count("Internal Server Error"),
            "opensearch_failures_logged": text.count("OpenSearch failed"),
        }

    def stop(self) -> None:
        if self.process is None or self.process.poll() is not None:
            return
        os.killpg(self.process.pid, signal.SIGTERM)
        try:
            self.process.wait(timeout=30)
        except subprocess.TimeoutExpired:
            os.killpg(self.process.pid, signal.SIGKILL)
            self.process.wait(timeout=10)


class Balancer:
    """Debian's nginx, round robin over two gunicorns, with the config the
    multi-process tests use (tests/multiprocess/balancer.py): the shape
    production runs, where compose's nginx fronts several web processes.
    Serves as measure_size's `server`: draining and log events cover both."""

    def __init__(self, config: SiteConfig, webs: tuple[Gunicorn, Gunicorn]) -> None:
        self.config = config
        self.webs = webs
        self.workers = sum(web.workers for web in webs)
        self.port = _free_port()
        self.base_url = f"http://127.0.0.1:{self.port}"
        self.work = config.workdir / f"nginx-{config.size}"
        self.process: subprocess.Popen | None = None
        self.nginx_version = ""

    def start(self, deadline: float = 30) -> Balancer:
        import requests

        # here, not at the top: `prepare` runs this file as a script, before
        # any checkout is on sys.path (as basket_cookies imports tests.faults)
        from tests.multiprocess.balancer import nginx_conf_write, nginx_spawn, nginx_version

        self.nginx_version = nginx_version()
        conf = nginx_conf_write(
            self.work, port=self.port, web_ports=(self.webs[0].port, self.webs[1].port)
        )
        self.process = nginx_spawn(conf, log_path=self.config.workdir / "nginx.log")
        started = time.monotonic()
        while time.monotonic() - started < deadline:
            if self.process.poll() is not None:
                raise RuntimeError(f"nginx exited; see {self.config.workdir / 'nginx.log'}")
            try:
                if requests.get(self.base_url + HELLO_PATH, timeout=10).status_code == 200:
                    return self
            except requests.RequestException:
                pass
            time.sleep(0.2)
        self.stop()
        raise RuntimeError(f"nginx did not answer on {self.base_url} within {deadline} s")

    def drain(self) -> float:
        """Each gunicorn's own queue, past nginx (see Gunicorn.drain)."""
        return round(sum(web.drain() for web in self.webs), 2)

    def log_offset(self) -> tuple[int, ...]:
        return tuple(web.log_offset() for web in self.webs)

    def log_events(self, since: tuple[int, ...]) -> dict:
        events = [web.log_events(offset) for web, offset in zip(self.webs, since, strict=True)]
        return {key: sum(event[key] for event in events) for key in events[0]}

    def stop(self) -> None:
        if self.process is None or self.process.poll() is not None:
            return
        os.killpg(self.process.pid, signal.SIGTERM)
        try:
            self.process.wait(timeout=10)
        except subprocess.TimeoutExpired:
            os.killpg(self.process.pid, signal.SIGKILL)
            self.process.wait(timeout=10)


# --- the basket visitor ----------------------------------------------------------


class _Forms(HTMLParser):
    """Every <form> on a page: its attributes and the fields it would send."""

    def __init__(self) -> None:
        super().__init__(convert_charrefs=True)
        self.forms: list[dict] = []
        self._form: dict | None = None
        self._select: str | None = None

    def handle_starttag(self, tag, attrs):
        attrs = {k: v or "" for k, v in attrs}
        if tag == "form":
            self._form = {"attrs": attrs, "fields": {}, "buttons": []}
            self.forms.append(self._form)
        elif self._form is None:
            return
        elif tag == "input" and attrs.get("name"):
            kind = attrs.get("type", "text").lower()
            if kind in ("submit", "image", "button"):
                self._form["buttons"].append((attrs["name"], attrs.get("value", "")))
            elif kind in ("checkbox", "radio"):
                if "checked" in attrs:
                    self._form["fields"][attrs["name"]] = attrs.get("value", "on")
            else:
                self._form["fields"].setdefault(attrs["name"], attrs.get("value", ""))
        elif tag == "button" and attrs.get("name"):
            self._form["buttons"].append((attrs["name"], attrs.get("value", "")))
        elif tag == "select" and attrs.get("name"):
            self._select = attrs["name"]
        elif tag == "option" and self._select:
            if "selected" in attrs or self._select not in self._form["fields"]:
                self._form["fields"][self._select] = attrs.get("value", "")
        elif tag == "textarea" and attrs.get("name"):
            self._form["fields"].setdefault(attrs["name"], "")

    def handle_endtag(self, tag):
        if tag == "form":
            self._form = None
        elif tag == "select":
            self._select = None


def _add_form(html: str) -> dict | None:
    """The form that puts the product in the basket: Oscar's add form, or a
    GET "add" step and its confirming form, whichever the page carries."""
    parser = _Forms()
    parser.feed(html)
    for form in parser.forms:
        action = form["attrs"].get("action", "")
        if re.search(r"/basket/add/", action) or form["attrs"].get("id") == "add_to_basket_form":
            return form
    return None


def _sign_in(session, base_url: str) -> None:
    """Sign in as BENCH_CUSTOMER through the shop's own sign-in form."""
    email, password = BENCH_CUSTOMER
    page = session.get(base_url + "/shop/accounts/login/", timeout=60)
    page.raise_for_status()
    token = re.search(r'name="csrfmiddlewaretoken" value="([^"]+)"', page.text).group(1)
    form = {"csrfmiddlewaretoken": token, "login_submit": "1"}
    form.update({"login-username": email, "login-password": password})
    answer = session.post(page.url, data=form, headers={"Referer": page.url}, timeout=60)
    answer.raise_for_status()
    if "sessionid" not in {cookie.name for cookie in session.cookies}:
        raise RuntimeError(f"the bench customer could not sign in ({answer.url})")


def basket_cookies(base_url: str, product_path: str, *, signed_in: bool = False) -> dict:
    """Put one product in a fresh visitor's basket through the shop's own add
    flow (product page, then whatever form adds it, and a confirm step if
    one follows), read the basket page (which also takes any flash message),
    and return that visitor's cookies as a Cookie header. `signed_in` signs
    in as BENCH_CUSTOMER first."""
    import requests

    from tests.faults.site import cookies_allow_secure_over_http

    session = cookies_allow_secure_over_http(requests.Session())
    if signed_in:
        _sign_in(session, base_url)
    page = session.get(base_url + product_path, timeout=60)
    page.raise_for_status()
    steps = []
    for _ in range(3):
        form = _add_form(page.text)
        if form is None:
            break
        action = urljoin(page.url, form["attrs"].get("action") or page.url)
        method = (form["attrs"].get("method") or "get").lower()
        data = dict(form["fields"])
        if form["buttons"]:
            name, value = form["buttons"][0]
            data.setdefault(name, value)
        steps.append(f"{method.upper()} {urlsplit(action).path}")
        if method == "post":
            page = session.post(action, data=data, headers={"Referer": page.url}, timeout=60)
        else:
            page = session.get(action, params=data, timeout=60)
        page.raise_for_status()
        if "/basket/add/" not in urlsplit(page.url).path:
            break  # redirected away from the add step: added
    basket = session.get(base_url + "/shop/basket/", timeout=60)
    basket.raise_for_status()
    if product_path not in basket.text:
        raise RuntimeError(
            f"the basket visitor's basket does not show {product_path} after {steps}"
        )
    session.get(base_url + "/", timeout=60)
    cookies = {cookie.name: cookie.value for cookie in session.cookies}
    return {
        "header": "; ".join(f"{name}={value}" for name, value in cookies.items()),
        "cookie_names": sorted(cookies),
        "add_flow": steps,
    }


# --- wrk -------------------------------------------------------------------------


def _lua_string(text: str) -> str:
    return '"' + text.replace("\\", "\\\\").replace('"', '\\"') + '"'


def wrk_script(paths: list[str], *, unique: bool = False) -> str:
    """A wrk script: rotate through `paths` (each thread from its own
    offset), count non-2xx answers and how many came from the page cache
    (`X-Page-Cache: hit` or `parts`), and print the latency percentiles and
    those counts as one JSON line when done. `unique` adds a parameter that
    differs on every request (`&bench=<run>-<thread>-<n>`), so no answer can come
    from the page cache: every parameter is part of its key."""
    entries = ",\n".join(f"  {_lua_string(path)}" for path in paths)
    unique_lua = "true" if unique else "false"
    run = secrets.token_hex(4)  # a warm-up and the run after it never share a URL
    return f"""-- written by tests/bench/http_bench.py
local paths = {{
{entries}
}}
local unique = {unique_lua}
local run = "{run}"
local threads = {{}}
non2xx = 0
cached = 0
counter = 0

function setup(thread)
  thread:set("offset", #threads * math.floor(#paths / 2))
  thread:set("id", #threads)
  table.insert(threads, thread)
end

function init(args)
  counter = offset or 0
end

function request()
  counter = counter + 1
  local path = paths[(counter % #paths) + 1]
  if unique then
    local sep = "?"
    if string.find(path, "?", 1, true) then sep = "&" end
    path = path .. sep .. "bench=" .. run .. "-" .. id .. "-" .. counter
  end
  return wrk.format("GET", path)
end

function response(status, headers, body)
  if status < 200 or status > 299 then
    non2xx = non2xx + 1
  end
  local how = headers["X-Page-Cache"] or headers["x-page-cache"] or ""
  if string.sub(how, 1, 3) == "hit" or string.sub(how, 1, 5) == "parts" then
    cached = cached + 1
  end
end

function done(summary, latency, requests)
  local bad = 0
  local from_cache = 0
  for _, thread in ipairs(threads) do
    bad = bad + (thread:get("non2xx") or 0)
    from_cache = from_cache + (thread:get("cached") or 0)
  end
  local e = summary.errors
  io.write(string.format(
    'WRKJSON {{"requests":%d,"duration_us":%d,"bytes":%d,"p50_us":%d,"p75_us":%d,' ..
    '"p90_us":%d,"p95_us":%d,"p99_us":%d,"max_us":%d,"mean_us":%.1f,"connect":%d,' ..
    '"read":%d,"write":%d,"status":%d,"timeout":%d,"non2xx":%d,"cached":%d}}\\n',
    summary.requests, summary.duration, summary.bytes,
    latency:percentile(50), latency:percentile(75), latency:percentile(90),
    latency:percentile(95), latency:percentile(99), latency.max, latency.mean,
    e.connect, e.read, e.write, e.status, e.timeout, bad, from_cache))
end
"""


def _parse_wrk(output: str) -> dict:
    found = re.search(r"^WRKJSON (\{.*\})$", output, re.MULTILINE)
    if not found:
        raise RuntimeError(f"wrk printed no summary:\n{output[-2000:]}")
    raw = json.loads(found.group(1))
    rps = re.search(r"Requests/sec:\s+([\d.]+)", output)
    seconds = raw["duration_us"] / 1e6
    errors = raw["connect"] + raw["read"] + raw["write"] + raw["timeout"] + raw["non2xx"]
    return {
        "requests": raw["requests"],
        "seconds": round(seconds, 2),
        "requests_per_second": round(float(rps.group(1)) if rps else raw["requests"] / seconds, 1),
        "p50_ms": round(raw["p50_us"] / 1000, 2),
        "p75_ms": round(raw["p75_us"] / 1000, 2),
        "p90_ms": round(raw["p90_us"] / 1000, 2),
        "p95_ms": round(raw["p95_us"] / 1000, 2),
        "p99_ms": round(raw["p99_us"] / 1000, 2),
        "max_ms": round(raw["max_us"] / 1000, 2),
        "mean_ms": round(raw["mean_us"] / 1000, 2),
        "errors": errors,
        "from_page_cache": round(raw.get("cached", 0) / max(raw["requests"], 1), 3),
        "errors_by_kind": {
            "non_2xx": raw["non2xx"],
            "connect": raw["connect"],
            "read": raw["read"],
            "write": raw["write"],
            "timeout": raw["timeout"],
        },
        "transfer_bytes": raw["bytes"],
    }


def wrk_run(
    base_url: str,
    paths: list[str],
    *,
    seconds: float,
    threads: int = 2,
    connections: int = 16,
    cookie: str | None = None,
    unique: bool = False,
    accept_encoding: str = "",
) -> dict:
    with tempfile.NamedTemporaryFile("w", suffix=".lua", delete=False) as script:
        script.write(wrk_script(paths, unique=unique))
    try:
        command = [
            WRK,
            f"-t{threads}",
            f"-c{connections}",
            f"-d{max(1, round(seconds))}s",
            "--latency",
            "--timeout",
            "30s",  # a slow page is a slow page, not a lost sample
            "-s",
            script.name,
        ]
        if cookie:
            command += ["-H", f"Cookie: {cookie}"]
        if accept_encoding:
            command += ["-H", f"Accept-Encoding: {accept_encoding}"]
        done = subprocess.run(
            [*command, base_url + paths[0]],
            capture_output=True,
            text=True,
            timeout=seconds + 120,
        )
        if done.returncode != 0:
            raise RuntimeError(f"wrk failed: {done.stderr or done.stdout}")
        return _parse_wrk(done.stdout)
    finally:
        os.unlink(script.name)


# --- one size --------------------------------------------------------------------


def _ascii_path(path: str) -> str:
    return quote(path, safe="/:?=&%+-_.~,;")


def page_paths(facts: dict) -> dict[str, list[str]]:
    """Each page's URLs, in rotation order; a page the site lacks is left out."""
    paths = {
        "hello": [HELLO_PATH],
        "home": ["/"],
        "shop": ["/shop/"],
        "category": [facts["category"]["path"]],
        "product": facts["products"],
        "search": [f"/shop/search/?{urlencode({'q': q})}" for q in facts["search_texts"]],
        "search_facets": [f"/shop/search/?{query}" for query in facts["search_faceted"]],
        "search_uncached": [f"/shop/search/?{urlencode({'q': q})}" for q in facts["search_texts"]],
        "search_facets_uncached": [f"/shop/search/?{q}" for q in facts["search_faceted"]],
        "suggest": ["/shop/search/suggest/?q=gom"],
        "fair": [facts["fair"]] if facts.get("fair") else [],
        "village": [facts["village"]] if facts.get("village") else [],
        "certificate": [f"/chung-nhan/?{urlencode({'so': facts['certificate_number']})}"],
    }
    return {name: [_ascii_path(p) for p in urls] for name, urls in paths.items() if urls}


def _prime(base_url: str, paths: list[str], cookie: str | None) -> None:
    """The warm-up of a rotation: every URL once (4 at a time), as the first
    shoppers of the day would, so the timed run sees the steady state and
    not how long 16 connections take to meet 500 product pages. The
    never-cached searches are not primed: they show the cost of a search."""
    from concurrent.futures import ThreadPoolExecutor

    import requests

    headers = {"Cookie": cookie} if cookie else {}

    def fetch(path: str) -> None:
        requests.get(base_url + path, headers=headers, timeout=60)

    with ThreadPoolExecutor(max_workers=4) as pool:
        list(pool.map(fetch, paths))


def _first_status(base_url: str, path: str, cookie: str | None) -> int:
    import requests

    headers = {"Cookie": cookie} if cookie else {}
    try:
        return requests.get(
            base_url + path, headers=headers, timeout=60, allow_redirects=False
        ).status_code
    except requests.RequestException:
        return 0


def _visitor_cookie(config: SiteConfig, facts: dict, visitor: str) -> tuple[dict, str | None]:
    """The visitor's facts (add flow, cookie names) and the Cookie header
    wrk sends for them; nothing for the anonymous visitor."""
    if visitor not in ("basket", "signed-in"):
        return {}, None
    info = basket_cookies(
        config.base_url, facts["basket_product"], signed_in=visitor == "signed-in"
    )
    return info, info["header"]


def measure_page(
    config: SiteConfig,
    server: Gunicorn,
    page: str,
    urls: list[str],
    *,
    visitor: str,
    cookie: str | None,
    seconds: float,
    warmup: float,
    accept_encoding: str = BROWSER_ACCEPT_ENCODING,
) -> dict:
    """One page for one visitor: prime, warm up, then the timed wrk run."""
    status = _first_status(config.base_url, urls[0], cookie)
    print(
        f"  {config.size} {visitor:9} {page:14} ({len(urls)} URL{'s' * (len(urls) > 1)}, "
        f"first answers {status})…",
        file=sys.stderr,
        flush=True,
    )
    if warmup and len(urls) > 1 and page not in UNIQUE_URL_PAGES:
        _prime(config.base_url, urls, cookie)
    if warmup:
        wrk_run(
            config.base_url,
            urls,
            seconds=warmup,
            cookie=cookie,
            unique=page in UNIQUE_URL_PAGES,
            accept_encoding=accept_encoding,
        )
        server.drain()
    load_before = _loadavg()
    logged = server.log_offset()
    figures = wrk_run(
        config.base_url,
        urls,
        seconds=seconds,
        cookie=cookie,
        unique=page in UNIQUE_URL_PAGES,
        accept_encoding=accept_encoding,
    )
    load_after = _loadavg()
    pressure = _cpu_pressure()
    drained = server.drain()
    figures.update(
        path=urls[0],
        urls_in_rotation=len(urls),
        first_status=status,
        loadavg_before=load_before,
        loadavg_after=load_after,
        cpu_pressure_avg10=pressure,
        drain_seconds=drained,
        measured_at=datetime.now(UTC).isoformat(timespec="seconds"),
        **server.log_events(logged),
    )
    return figures


def measure_size(
    config: SiteConfig,
    server: Gunicorn,
    facts: dict,
    *,
    pages: list[str],
    seconds: float,
    warmup: float,
    visitors: tuple[str, ...] = VISITORS,
    accept_encoding: str = BROWSER_ACCEPT_ENCODING,
) -> dict:
    """Each visitor kind over every page, against a running site. The
    anonymous visitor is measured first when asked for: the others' ratios
    are to its hello."""
    return measure_side_by_side(
        [(config, server, facts)],
        pages=pages,
        seconds=seconds,
        warmup=warmup,
        visitors=visitors,
        accept_encoding=accept_encoding,
    )[config.size]


def measure_side_by_side(
    sites: list[tuple[SiteConfig, Gunicorn, dict]],
    *,
    pages: list[str],
    seconds: float,
    warmup: float,
    visitors: tuple[str, ...] = VISITORS,
    accept_encoding: str = BROWSER_ACCEPT_ENCODING,
) -> dict[int, dict]:
    """Each visitor kind over every page, one size after another page by
    page (every size's server is running), keyed by size.

    Why: the scale goal is a ratio between sizes, and measured size by size
    its two halves were half an hour apart on a machine whose load drifts in
    minutes; the ratio showed the drift (0.68-1.10 for pages served from the
    cache, whose cost cannot depend on the catalogue). Page by page, the two
    halves are seconds apart, and the order of sizes alternates from one
    page to the next so a steady drift does not favour one size.
    """
    measured: dict[int, dict] = {config.size: {} for config, _server, _facts in sites}
    paths = {config.size: page_paths(facts) for config, _server, facts in sites}
    for visitor in visitors:
        cookies: dict[int, str | None] = {}
        results: dict[int, dict] = {}
        for config, _server, facts in sites:
            info, cookies[config.size] = _visitor_cookie(config, facts, visitor)
            measured[config.size][visitor] = {**info, "pages": {}}
            measured[config.size][visitor].pop("header", None)
            results[config.size] = measured[config.size][visitor]["pages"]
        for turn, page in enumerate(pages):
            for config, server, _facts in sites if turn % 2 == 0 else sites[::-1]:
                urls = paths[config.size].get(page)
                if not urls:
                    results[config.size][page] = {"skipped": "the site has no such page"}
                    continue
                results[config.size][page] = measure_page(
                    config,
                    server,
                    page,
                    urls,
                    visitor=visitor,
                    cookie=cookies[config.size],
                    seconds=seconds,
                    warmup=warmup,
                    accept_encoding=accept_encoding,
                )
    for config, _server, _facts in sites:
        # pages in the asked order, whichever size went first
        for data in measured[config.size].values():
            data["pages"] = {page: data["pages"][page] for page in pages if page in data["pages"]}
        hello_ratios(measured[config.size])
    return measured


def hello_ratios(measured: dict) -> None:
    """Every visitor's ratios are to the anonymous hello when it was
    measured (else to the visitor's own): a cookie that slows even the
    hello view is part of what the visitor pays."""
    anonymous = measured.get("anonymous", {}).get("pages", {}).get("hello", {})
    for data in measured.values():
        own = data["pages"].get("hello", {}).get("requests_per_second")
        hello = anonymous.get("requests_per_second") or own
        for figures in data["pages"].values():
            if hello and "requests_per_second" in figures:
                figures["ratio_to_hello"] = round(figures["requests_per_second"] / hello, 4)


def measure_one_vs_two(
    config: SiteConfig,
    one: Gunicorn,
    two: Balancer,
    facts: dict,
    *,
    pages: list[str],
    seconds: float,
    warmup: float,
    visitors: tuple[str, ...],
    accept_encoding: str = BROWSER_ACCEPT_ENCODING,
) -> tuple[dict, dict]:
    """Each visitor's pages against one gunicorn directly, then the same
    page through nginx in front of two (the first of which is that same
    gunicorn): page by page, so whatever else loads the machine weighs on
    both figures of a page alike. Returns (one, two), each as measure_size's."""
    through_nginx = copy.copy(config)
    through_nginx.port, through_nginx.base_url = two.port, two.base_url
    measured: tuple[dict, dict] = ({}, {})
    for visitor in visitors:
        for page in pages:
            for site, server, into in (
                (config, one, measured[0]),
                (through_nginx, two, measured[1]),
            ):
                figures = measure_size(
                    site,
                    server,
                    facts,
                    pages=[page],
                    seconds=seconds,
                    warmup=warmup,
                    visitors=(visitor,),
                    accept_encoding=accept_encoding,
                )[visitor]
                data = into.setdefault(visitor, {**figures, "pages": {}})
                data["pages"].update(figures["pages"])
    for into in measured:
        hello_ratios(into)
    return measured


def _redis_flush(url: str) -> None:
    import redis

    redis.Redis.from_url(url).flushdb()


def _wrk_version() -> str:
    done = subprocess.run([WRK, "-v"], capture_output=True, text=True)
    return (done.stdout or done.stderr).split("\n")[0].split(" Copyright")[0]


def _revision(app_root: Path) -> str:
    def git(*args: str) -> str:
        return subprocess.run(
            ["git", "-C", str(app_root), *args], capture_output=True, text=True
        ).stdout.strip()

    commit = git("rev-parse", "--short", "HEAD")
    dirty = git("status", "--porcelain", "--untracked-files=no")
    untracked = git("status", "--porcelain")
    if dirty or untracked != dirty:
        return f"{commit} + uncommitted changes"
    return commit or "unknown"


def bench_http(
    *,
    sizes: list[int],
    seconds: float,
    warmup: float,
    pages: list[str],
    database_url: str,
    redis_url: str,
    opensearch_url: str,
    app_root: Path,
    suffix: str = "",
    build_only: bool = False,
    keep_index: bool = False,
    visitors: tuple[str, ...] = VISITORS,
    web_processes: tuple[int, ...] = (1,),
    workers: int = 2,
    accept_encoding: str = BROWSER_ACCEPT_ENCODING,
) -> dict:
    """`web_processes` (1,) is one gunicorn, measured directly; (1, 2) also
    measures every page through nginx in front of two gunicorns, each with
    the one's worker count, page by page after the one's figure."""
    app_root = app_root.resolve()
    balanced = 2 in web_processes
    report: dict = {
        "when": datetime.now(UTC).isoformat(timespec="seconds"),
        "machine": {
            "python": platform.python_version(),
            "cpus": os.cpu_count(),
            "wrk": _wrk_version(),
        },
        "app_root": str(app_root),
        "revision": _revision(app_root),
        "settings": {
            "duration_seconds": seconds,
            "warmup_seconds": warmup,
            "wrk": f"wrk -t2 -c16 -d{round(seconds)}s --latency --timeout 30s",
            "gunicorn": f"marketplace.settings.production, {workers} sync workers, "
            "the app's gunicorn.conf.py",
            "accept_encoding": accept_encoding,
        },
        "pages": pages,
        "visitors": list(visitors),
        "web_processes": list(web_processes),
        "sizes": {},
        "method": "per size: its own PostgreSQL database (N products from "
        "build_scaled_records seed 2020, written by the sync's applier in memory and priced "
        "by demo_prices_assign's formula; CMS sections and demo pages), its own OpenSearch alias "
        "rebuilt by `search_index --rebuild` and Wagtail pages index by `update_index`, its "
        "own Redis database flushed first; gunicorn on marketplace.settings.production with "
        f"{workers} sync workers and the app's gunicorn.conf.py; per page a warm-up, then wrk -t2 "
        "-c16 with a Lua script rotating the page's URLs (500 product pages, 200 distinct "
        "searches) whose done() hook reports p50/p90/p95/p99 and non-2xx answers; errors = "
        "non-2xx + socket errors + timeouts (30 s); anonymous = no cookies, basket = the "
        "cookies of a visitor who added one product through the shop's add flow; signed-in = "
        "the same for a customer signed in through the shop's form; hello = "
        "/healthz/live/ (liveness: a one-line JSON view, checked to run 0 SQL queries and "
        "no template) in the same run; ÷ hello = over the anonymous visitor's hello (a "
        "visitor's own hello row shows what their cookies cost even there); from cache = "
        "share of answers with X-Page-Cache hit or parts; the never-cached searches add a "
        "parameter of their own to every request; ÷ 2k = this page's req/s over its req/s at 2,000 "
        "products in the same run; loadavg = os.getloadavg() 1/5/15 min before and after "
        "each page. Other work on this 2-core machine shows in the load average.",
    }
    # Measured page by page across sizes (measure_side_by_side), unless
    # only one size, only building, or the two-process comparison is asked.
    side_by_side = len(sizes) > 1 and not balanced and not build_only
    report["settings"]["sizes_measured"] = (
        "side by side: every size's gunicorn running, each page measured at every size "
        "in turn (alternating which size goes first)"
        if side_by_side
        else "one size after another"
    )
    prepared_sites: list[tuple[SiteConfig, dict, dict]] = []
    for index, size in enumerate(sizes):
        config = SiteConfig(
            app_root=app_root,
            size=size,
            database_url=f"{database_url}_http_{size}{suffix}",
            # side by side, each size has its own Redis database: page keys
            # hold a generation number that every size's database counts
            redis_url=_redis_url_shifted(redis_url, index) if side_by_side else redis_url,
            opensearch_url=opensearch_url,
            suffix=suffix,
        )
        print(
            f"HTTP bench: {size} products ({config.database_url.rsplit('/', 1)[1]}, "
            f"{config.products_alias})…",
            file=sys.stderr,
            flush=True,
        )
        entry: dict = {
            "database": config.database_url.rsplit("/", 1)[1],
            "products_alias": config.products_alias,
            "loadavg_before": _loadavg(),
        }
        prepared = _site_prepare(config, keep_index=keep_index)
        entry["build"] = {
            "catalogue_built": prepared["catalogue_built"],
            "counts": prepared["counts"],
            "seconds": prepared["timings"],
        }
        facts = prepared["facts"]
        entry["hello_check"] = facts.pop("hello_check")
        entry["site"] = {
            "category": facts["category"],
            "fair": facts["fair"],
            "village": facts["village"],
            "certificate_number": facts["certificate_number"],
            "facets": facts["facets"],
            "example_searches": facts["search_texts"][:5],
            "example_faceted_searches": facts["search_faceted"][:3],
        }
        static_seconds = _static_prepare(config)
        if static_seconds is not None:
            entry["build"]["seconds"]["collectstatic"] = static_seconds
        report["sizes"][str(size)] = entry
        if side_by_side:
            prepared_sites.append((config, entry, facts))
            continue
        if not build_only:
            _measure_one_size(
                config,
                entry,
                facts,
                pages=pages,
                seconds=seconds,
                warmup=warmup,
                visitors=visitors,
                workers=workers,
                balanced=balanced,
                accept_encoding=accept_encoding,
            )
        entry["loadavg_after"] = _loadavg()
    if side_by_side:
        _measure_sizes_side_by_side(
            prepared_sites,
            pages=pages,
            seconds=seconds,
            warmup=warmup,
            visitors=visitors,
            workers=workers,
            accept_encoding=accept_encoding,
        )
    scale_ratios(report)
    return report


def _redis_url_shifted(url: str, index: int) -> str:
    """The same Redis server, database number lowered by `index` (14, 13,
    12 for three sizes from the default 14)."""
    parts = urlsplit(url)
    number = int(parts.path.strip("/") or 0) - index
    if number < 0:
        raise SystemExit(f"--http-redis-url {url}: too low a database number for {index + 1} sizes")
    return parts._replace(path=f"/{number}").geturl()


def _measure_one_size(
    config: SiteConfig,
    entry: dict,
    facts: dict,
    *,
    pages: list[str],
    seconds: float,
    warmup: float,
    visitors: tuple[str, ...],
    workers: int,
    balanced: bool,
    accept_encoding: str,
) -> None:
    """One size on its own: its gunicorn (and the balanced pair when asked),
    search with one client before and after, every visitor and page."""
    _redis_flush(config.redis_url)
    server = Gunicorn(config, workers=workers)
    second = Gunicorn(config, workers=workers, port=_free_port(), name="-b") if balanced else None
    balancer = Balancer(config, (server, second)) if second else None
    try:
        started = time.perf_counter()
        server.start()
        entry["gunicorn_boot_seconds"] = round(time.perf_counter() - started, 2)
        if balancer:
            second.start()
            balancer.start()
        if facts.get("search_bodies"):
            entry["search_one_client"] = search_one_client(config, facts)
        if balancer:
            entry["visitors"], two = measure_one_vs_two(
                config,
                server,
                balancer,
                facts,
                pages=pages,
                seconds=seconds,
                warmup=warmup,
                visitors=visitors,
                accept_encoding=accept_encoding,
            )
            entry["two_web"] = {
                "nginx": balancer.nginx_version,
                "workers_each": server.workers,
                "visitors": two,
            }
        else:
            entry["visitors"] = measure_size(
                config,
                server,
                facts,
                pages=pages,
                seconds=seconds,
                warmup=warmup,
                visitors=visitors,
                accept_encoding=accept_encoding,
            )
        if facts.get("search_bodies"):
            entry["search_one_client_cards_kept"] = search_one_client(
                config, facts, nonce=secrets.token_hex(4)
            )
    finally:
        for process in (balancer, second, server):
            if process:
                process.stop()


def _measure_sizes_side_by_side(
    sites: list[tuple[SiteConfig, dict, dict]],
    *,
    pages: list[str],
    seconds: float,
    warmup: float,
    visitors: tuple[str, ...],
    workers: int,
    accept_encoding: str,
) -> None:
    """Every size's gunicorn at once (an idle one costs no CPU), search with
    one client per size, then measure_side_by_side."""
    servers: list[Gunicorn] = []
    try:
        for config, entry, _facts in sites:
            _redis_flush(config.redis_url)
            server = Gunicorn(config, workers=workers)
            started = time.perf_counter()
            server.start()
            servers.append(server)
            entry["gunicorn_boot_seconds"] = round(time.perf_counter() - started, 2)
        for config, entry, facts in sites:
            if facts.get("search_bodies"):
                entry["search_one_client"] = search_one_client(config, facts)
        running = zip(sites, servers, strict=True)
        measured = measure_side_by_side(
            [(config, server, facts) for (config, _entry, facts), server in running],
            pages=pages,
            seconds=seconds,
            warmup=warmup,
            visitors=visitors,
            accept_encoding=accept_encoding,
        )
        for config, entry, facts in sites:
            entry["visitors"] = measured[config.size]
            if facts.get("search_bodies"):
                entry["search_one_client_cards_kept"] = search_one_client(
                    config, facts, nonce=secrets.token_hex(4)
                )
            entry["loadavg_after"] = _loadavg()
    finally:
        for server in servers:
            server.stop()


def scale_ratios(report: dict, earlier: dict | None = None) -> None:
    """Each page's throughput over its throughput at 2,000 products: from
    this run, or else from `earlier` (a previous report of the same code)."""
    base = report["sizes"].get("2000")
    if base is None and earlier and earlier.get("revision") == report.get("revision"):
        base = earlier.get("sizes", {}).get("2000")
        if base:
            report["scale_base"] = f"2,000 products from the run of {earlier.get('when')}"
    for entry in report["sizes"].values():
        for visitor, data in entry.get("visitors", {}).items():
            base_pages = ((base or {}).get("visitors", {}).get(visitor) or {}).get("pages", {})
            for page, figures in data["pages"].items():
                reference = base_pages.get(page, {}).get("requests_per_second")
                if reference and "requests_per_second" in figures:
                    figures["ratio_to_2k"] = round(figures["requests_per_second"] / reference, 3)


# --- the table -------------------------------------------------------------------


def _ms(value) -> str:
    if value is None:
        return "—"
    return f"{value:,.0f} ms" if value >= 100 else f"{value:.1f} ms"


def _pressure(value) -> str:
    return "" if value is None else f", CPU wait {value:.0f}%"


def _load(values) -> str:
    return "/".join(f"{v:.2f}" for v in values) if values else "—"


def http_markdown(report: dict, *, title: str = "HTTP bench") -> str:
    lines = [
        f"# {title}",
        "",
        f"{report['when']}, code {report['revision']} ({report['app_root']}); "
        f"{report['settings']['gunicorn']}; {report['settings']['wrk']} after a "
        f"{report['settings']['warmup_seconds']} s warm-up; "
        f"{report['machine']['cpus']} CPUs, {report['machine']['wrk']}.",
        "",
        "hello = `/healthz/live/`, the liveness view: a one-line JSON answer, no SQL "
        "query and no template (checked in-process before each size). errors = non-2xx "
        "answers + socket errors + timeouts. ÷ 2k = req/s over the same page's req/s at "
        "2,000 products (scale goal: ≥ 0.8 at 100k). load = os.getloadavg() 1-minute "
        "before → after the page, and CPU wait = the share of the last 10 s in which a "
        "runnable task waited for a CPU (Linux PSI, /proc/pressure/cpu) at its end; other "
        "work on this 2-core machine shows there, and makes the figures noisy.",
    ]
    encoding = report["settings"].get("accept_encoding")
    lines += [
        "",
        f"Every request says `Accept-Encoding: {encoding}`, as a browser does, so a shared "
        "page goes out as its stored gzip bytes."
        if encoding
        else "Requests send no Accept-Encoding: every page goes out uncompressed.",
    ]
    if report["settings"].get("sizes_measured"):
        lines += ["", f"Sizes measured {report['settings']['sizes_measured']}."]
    if report.get("scale_base"):
        lines += ["", f"÷ 2k uses {report['scale_base']}."]
    for size, entry in report["sizes"].items():
        build = entry["build"]
        steps = ", ".join(f"{name} {secs} s" for name, secs in build["seconds"].items())
        hello = entry.get("hello_check", {})
        lines += [
            "",
            f"## {int(size):,} products",
            "",
            f"Database `{entry['database']}` ({build['counts']['listable']:,} listable; "
            f"{'built this run' if build['catalogue_built'] else 'kept from an earlier run'}); "
            f"steps: {steps}. Category: {entry['site']['category']['name']} "
            f"({entry['site']['category']['listable_products']:,} products). "
            f"Hello check: {hello.get('status')} {hello.get('content_type')}, "
            f"{hello.get('sql_queries')} SQL, {len(hello.get('templates_rendered', []))} "
            f"templates. Load before/after the size: {_load(entry.get('loadavg_before'))} → "
            f"{_load(entry.get('loadavg_after'))}.",
        ]
        for key, when in (
            ("search_one_client", "right after start, nothing cached"),
            ("search_one_client_cards_kept", "after the load, pages uncached but cards kept"),
        ):
            one = entry.get(key)
            if not one:
                continue
            answers = ", ".join(f"{k} ×{v}" for k, v in one["page_answers"].items())
            lines += [
                "",
                f"Search with one client, {when} ({one['queries']} faceted queries, each "
                f"once): page p50 {one['page_p50_ms']} ms, OpenSearch alone on the same bodies "
                f"p50 {one['opensearch_p50_ms']} ms, **ratio {one['ratio']}** (answers: "
                f"{answers}; load {_load(one.get('loadavg'))}).",
            ]
        for visitor, data in entry.get("visitors", {}).items():
            heading = "anonymous visitor (no cookies)"
            if visitor in ("basket", "signed-in"):
                who = "signed-in customer" if visitor == "signed-in" else "basket visitor"
                heading = (
                    f"{who} (one product added via "
                    f"{' → '.join(data.get('add_flow', [])) or '?'}; cookies "
                    f"{', '.join(data.get('cookie_names', []))})"
                )
            lines += [
                "",
                f"### {int(size):,} products, {heading}",
                "",
                "| page | req/s | p50 | p95 | p99 | errors | from cache | ÷ hello | ÷ 2k | load |",
                "|---|---:|---:|---:|---:|---:|---:|---:|---:|---|",
            ]
            for page, f in data["pages"].items():
                label = PAGE_LABELS.get(page, page)
                if "requests_per_second" not in f:
                    lines.append(f"| {label} | {f.get('skipped', '—')} | | | | | | | | |")
                    continue
                errors = f"{f['errors']:,}"
                kinds = [f"{k} {v}" for k, v in f["errors_by_kind"].items() if v]
                if f.get("server_errors_logged"):
                    kinds.append(f"500s logged {f['server_errors_logged']}")
                if f.get("opensearch_failures_logged"):
                    kinds.append(f"OpenSearch failed {f['opensearch_failures_logged']}×")
                if kinds:
                    errors += f" ({', '.join(kinds)})"
                ratio = f.get("ratio_to_hello")
                scale = f.get("ratio_to_2k")
                lines.append(
                    f"| {label} | {f['requests_per_second']:,.1f} | {_ms(f['p50_ms'])} | "
                    f"{_ms(f['p95_ms'])} | {_ms(f['p99_ms'])} | {errors} | "
                    f"{_share(f.get('from_page_cache'))} | "
                    f"{ratio if ratio is not None else '—'} | "
                    f"{scale if scale is not None else '—'} | "
                    f"{_load(f['loadavg_before'][:1])} → {_load(f['loadavg_after'][:1])}"
                    f"{_pressure(f.get('cpu_pressure_avg10'))} |"
                )
        lines += _one_vs_two_lines(int(size), entry)
    return "\n".join(lines) + "\n"


def _one_vs_two_lines(size: int, entry: dict) -> list[str]:
    """The two-process table: each page through one gunicorn directly and
    through nginx in front of two, and two over one."""
    two_web = entry.get("two_web")
    if not two_web:
        return []
    lines = [
        "",
        f"### {size:,} products, one web process vs two behind nginx",
        "",
        f"one = a gunicorn with {two_web['workers_each']} sync workers, straight; two = nginx "
        f"{two_web['nginx']} (tests/multiprocess/balancer.py's config: round robin, one "
        f"connection per request to the upstream) in front of that gunicorn and a second one "
        f"with {two_web['workers_each']} sync workers too, on the same database, Redis and "
        "OpenSearch. Each page is measured through one, then at once through two, with the "
        "same warm-up and wrk run; ÷ hello is over the same path's anonymous hello.",
    ]
    for visitor, data in entry.get("visitors", {}).items():
        two_pages = two_web["visitors"].get(visitor, {}).get("pages", {})
        lines += [
            "",
            f"#### {visitor}",
            "",
            "| page | one: req/s | p50 | p95 | errors | ÷ hello | two: req/s | p50 | p95 | "
            "errors | ÷ hello | two ÷ one | load one → two |",
            "|---|---:|---:|---:|---:|---:|---:|---:|---:|---:|---:|---:|---|",
        ]
        for page, one in data["pages"].items():
            two = two_pages.get(page, {})
            if "requests_per_second" not in one or "requests_per_second" not in two:
                continue
            ratio = two["requests_per_second"] / one["requests_per_second"]
            cells = []
            for f in (one, two):
                cells += [
                    f"{f['requests_per_second']:,.1f}",
                    _ms(f["p50_ms"]),
                    _ms(f["p95_ms"]),
                    f"{f['errors']:,}",
                    str(f.get("ratio_to_hello", "—")),
                ]
            lines.append(
                f"| {PAGE_LABELS.get(page, page)} | {' | '.join(cells)} | **{ratio:.2f}** | "
                f"{_load(one['loadavg_after'][:1])}{_pressure(one.get('cpu_pressure_avg10'))} → "
                f"{_load(two['loadavg_after'][:1])}{_pressure(two.get('cpu_pressure_avg10'))} |"
            )
    return lines


def _share(value) -> str:
    return "—" if value is None else f"{value:.0%}"


def write_report(report: dict, out: Path, *, title: str = "HTTP bench") -> Path:
    """`out` (JSON) and its Markdown table beside it (`.md`)."""
    out.parent.mkdir(parents=True, exist_ok=True)
    if "2000" not in report["sizes"] and out.exists():
        try:
            scale_ratios(report, json.loads(out.read_text()))
        except (ValueError, KeyError):
            pass
    out.write_text(json.dumps(report, indent=2, ensure_ascii=False) + "\n")
    table = out.with_suffix(".md")
    table.write_text(http_markdown(report, title=title))
    return table


def pages_choose(only: str | None) -> list[str]:
    """`--http-pages`: a comma-separated subset of PAGES (hello is always
    measured: every ratio needs it)."""
    if not only:
        return list(PAGES)
    wanted = {name.strip().replace("-", "_") for name in only.split(",") if name.strip()}
    unknown = wanted - set(PAGES)
    if unknown:
        raise SystemExit(
            f"--http-pages: unknown page(s) {', '.join(sorted(unknown))}; "
            f"choose from {', '.join(PAGES)}"
        )
    return [name for name in PAGES if name in wanted or name == "hello"]


def web_processes_choose(only: str | None) -> tuple[int, ...]:
    """`--http-web-processes`: 1 (one gunicorn, the default) or 1,2 (also
    through nginx in front of two; 2 alone means the same: the ratio needs
    the one)."""
    wanted = {int(n) for n in (only or "1").split(",") if n.strip()}
    if not wanted <= {1, 2}:
        raise SystemExit("--http-web-processes: 1 or 1,2")
    return (1, 2) if 2 in wanted else (1,)


def visitors_choose(only: str | None) -> tuple[str, ...]:
    """`--http-visitors`: a comma-separated subset of VISITORS, in their
    order (default: all)."""
    if not only:
        return VISITORS
    wanted = {name.strip() for name in only.split(",") if name.strip()}
    unknown = wanted - set(VISITORS)
    if unknown:
        raise SystemExit(
            f"--http-visitors: unknown visitor(s) {', '.join(sorted(unknown))}; "
            f"choose from {', '.join(VISITORS)}"
        )
    return tuple(name for name in VISITORS if name in wanted)


def summary_lines(report: dict) -> list[str]:
    lines = []
    for size, entry in report["sizes"].items():
        for visitor, data in entry.get("visitors", {}).items():
            parts = [
                f"{page} {f['requests_per_second']:.0f}/s ×{f.get('ratio_to_hello', '—')}"
                for page, f in data["pages"].items()
                if "requests_per_second" in f
            ]
            lines.append(f"http {size} {visitor}: " + "; ".join(parts))
    return lines


if __name__ == "__main__":
    if len(sys.argv) > 1 and sys.argv[1] == "prepare":
        _prepare_main(sys.argv[2:])
    else:
        raise SystemExit("run through tests/bench/run.py --only http (see its --http-* options)")

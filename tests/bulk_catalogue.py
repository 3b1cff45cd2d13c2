"""A catalogue of a few thousand listable products in a handful of bulk
inserts, for tests that ask PostgreSQL how it would run a query: with a
dozen rows the planner reads whole tables whatever indexes exist, so a plan
says something only over a catalogue big enough to make scans costly."""

import json
from datetime import date, timedelta
from decimal import Decimal

from django.db import connection
from oscar.core.loading import get_model

from marketplace.ocop.models import Certificate, Producer, Sector, expiry_from_issue
from marketplace.registry.addresses import PROVINCES_2025

Partner = get_model("partner", "Partner")
Product = get_model("catalogue", "Product")
ProductClass = get_model("catalogue", "ProductClass")
StockRecord = get_model("partner", "StockRecord")

PLANNED_TABLES = (
    "catalogue_product",
    "registry_certificate",
    "registry_producer",
    "partner_stockrecord",
    "partner_partner",
)


def catalogue_bulk_create(
    *, products: int = 3000, provinces: int = 30, producers_per_province: int = 5
) -> list[Producer]:
    """`products` listable products spread evenly over the first `provinces`
    provinces (a few producers each), 3★ to 5★, in three sectors; returns
    the producers. Then ANALYZE, so the planner knows the tables' sizes."""
    names = PROVINCES_2025[:provinces]
    count = len(names) * producers_per_province
    partners = Partner.objects.bulk_create(
        [Partner(name=f"HTX bulk {n}", code=f"bulk-{n}") for n in range(count)]
    )
    producers = Producer.objects.bulk_create(
        [
            Producer(
                registry_key=f"htx bulk {n}",
                registry_province=names[n % len(names)],
                name=f"HTX bulk {n}",
                province=names[n % len(names)],
                partner=partner,
            )
            for n, partner in enumerate(partners)
        ]
    )
    product_class, _ = ProductClass.objects.get_or_create(
        slug="ocop-bulk", defaults={"name": "OCOP bulk", "track_stock": True}
    )
    issued = date.today() - timedelta(days=200)
    sectors = [Sector.FOOD, Sector.BEVERAGE, Sector.HANDICRAFT]
    certificates = Certificate.objects.bulk_create(
        [
            Certificate(
                registry_id=9_000_000 + n,
                number=f"{9_000_000 + n}/QĐ-UBND",
                name=f"Sản phẩm bulk {n}",
                producer=producers[n % count],
                stars=3 + (n // count) % 3,
                issued_on=issued - timedelta(days=n % 300),
                expiry_date=expiry_from_issue(issued - timedelta(days=n % 300)),
                product_type="food",
                sector=sectors[(n // count // 3) % len(sectors)],
                raw={},
            )
            for n in range(products)
        ],
        batch_size=1000,
    )
    rows = Product.objects.bulk_create(
        [
            Product(
                title=cert.name,
                slug=f"san-pham-bulk-{n}",
                product_class=product_class,
                certificate=cert,
                is_public=True,
                search_text=f"san pham bulk {n}",
            )
            for n, cert in enumerate(certificates)
        ],
        batch_size=1000,
    )
    StockRecord.objects.bulk_create(
        [
            StockRecord(
                product=product,
                partner=producers[n % count].partner,
                partner_sku=f"bulk-{n}",
                price=Decimal(50_000 + 1_000 * (n % 200)),
                price_currency="VND",
                num_in_stock=10,
            )
            for n, product in enumerate(rows)
        ],
        batch_size=1000,
    )
    with connection.cursor() as cursor:
        for table in PLANNED_TABLES:
            cursor.execute(f"ANALYZE {table}")
    return producers


def query_plan(sql: str, *, analyze: bool = False, index_only: bool = False) -> dict:
    """PostgreSQL's plan for `sql` (as captured: its values written in).

    With `analyze`, the query runs and each step says how many rows it
    really read. With `index_only`, sequential scans are priced out of reach
    for this one EXPLAIN, so the plan shows the best path through indexes
    even where the planner would read a table this small whole."""
    options = "ANALYZE, FORMAT JSON" if analyze else "FORMAT JSON"
    with connection.cursor() as cursor:
        if index_only:
            cursor.execute("SET LOCAL enable_seqscan = off")
        try:
            cursor.execute(f"EXPLAIN ({options}) {sql}")
            plan = cursor.fetchone()[0]
        finally:
            if index_only:
                cursor.execute("SET LOCAL enable_seqscan = on")
    return (json.loads(plan) if isinstance(plan, str) else plan)[0]["Plan"]


def _nodes(node: dict):
    yield node
    for child in node.get("Plans", ()):
        yield from _nodes(child)


def whole_table_reads(plan: dict, tables=("catalogue_product", "registry_certificate")) -> list:
    """The plan's nodes that read all of one of `tables`: a sequential scan,
    or an index scan with no index condition (a walk of the whole index)."""
    reads = []
    for node in _nodes(plan):
        if node.get("Relation Name") not in tables:
            continue
        kind = node["Node Type"]
        if kind == "Seq Scan" or (
            kind in ("Index Scan", "Index Only Scan") and "Index Cond" not in node
        ):
            reads.append(f"{kind} on {node['Relation Name']} ({node.get('Index Name', '')})")
    return reads


def indexes_used(plan: dict) -> set[str]:
    return {node["Index Name"] for node in _nodes(plan) if "Index Name" in node}


def rows_read(plan: dict, table: str) -> int:
    """How many rows of `table` an analysed plan read, kept or filtered out."""
    total = 0
    for node in _nodes(plan):
        if node.get("Relation Name") == table:
            seen = (
                node.get("Actual Rows", 0)
                + node.get("Rows Removed by Filter", 0)
                + node.get("Rows Removed by Index Recheck", 0)
            )
            total += seen * node.get("Actual Loops", 1)
    return total

"""The checkout part of `make bench` (issue 5): orders placed per minute
through the COD path by 8 concurrent clients, with p95 checkout latency.

Each client is a `django.test.Client` on its own thread and database
connection: it adds one or two random listable products (usually from
different producers) to its basket and posts the one-page checkout, as a
browser would. Baseline, in the same run: one client alone.
"""

import random
import statistics
import threading
import time

FORM = {
    "name": "Khách hàng thử",
    "phone": "0912345678",
    "email": "bench@example.vn",
    "province": "Hà Nội",
    "ward": "Phường Tây Hồ",
    "street": "1 Quảng An",
    "payment": "cod",
}


def _client_run(product_ids: list[int], orders: int, seed: int, latencies: list, errors: list):
    from django.db import connection
    from django.test import Client
    from django.urls import reverse

    from tests.factories import checkout_shown

    rng = random.Random(seed)
    client = Client()
    try:
        for _ in range(orders):
            for pk in rng.sample(product_ids, rng.choice((1, 2))):
                client.post(reverse("basket:add", kwargs={"pk": pk}), {"quantity": 1})
            # the total the page shows (its script fetches it as the province is picked)
            confirmed = checkout_shown(client, FORM)
            started = time.perf_counter()
            response = client.post(reverse("checkout:index"), confirmed)
            latencies.append(time.perf_counter() - started)
            if response.status_code != 302:
                errors.append(response.status_code)
    finally:
        connection.close()


def _run(clients: int, orders_each: int, product_ids: list[int], seed: int) -> dict:
    from oscar.core.loading import get_model

    Order = get_model("order", "Order")
    before = Order.objects.count()
    latencies: list[float] = []
    errors: list = []
    threads = [
        threading.Thread(
            target=_client_run, args=(product_ids, orders_each, seed + i, latencies, errors)
        )
        for i in range(clients)
    ]
    started = time.perf_counter()
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    elapsed = time.perf_counter() - started
    placed = Order.objects.count() - before
    ordered = sorted(latencies)
    return {
        "clients": clients,
        "orders_placed": placed,
        "refused_or_failed": len(errors),
        "seconds": round(elapsed, 2),
        "orders_per_minute": round(placed / elapsed * 60, 1),
        "checkout_p50_ms": round(statistics.median(ordered) * 1000, 1),
        "checkout_p95_ms": round(ordered[int(0.95 * (len(ordered) - 1))] * 1000, 1),
    }


def bench_orders(*, clients: int = 8, orders_each: int = 25, seed: int = 2020) -> dict:
    from oscar.core.loading import get_model

    Product = get_model("catalogue", "Product")
    product_ids = list(
        Product.objects.listable().order_by("pk").values_list("pk", flat=True)[:5000]
    )
    baseline = _run(1, orders_each, product_ids, seed)
    concurrent = _run(clients, orders_each, product_ids, seed + 1000)
    return {
        "baseline_one_client": baseline,
        "concurrent": concurrent,
        "throughput_ratio_to_one_client": round(
            concurrent["orders_per_minute"] / baseline["orders_per_minute"], 2
        ),
        "p95_ratio_to_one_client": round(
            concurrent["checkout_p95_ms"] / baseline["checkout_p95_ms"], 2
        ),
        "method": "in-process django.test.Client per thread (own DB connection), basket add "
        "then POST /shop/checkout/ with COD; PostgreSQL; confirmation mail through eager "
        "Celery to the locmem backend; latency = the checkout POST alone",
    }

"""The search part of `make bench` (issue 4).

On the synced catalogue (20,000 listable products by default) it times:

- the full index rebuild (`index_rebuild`, alias swap included);
- 200 mixed queries (a word or two of a real title, some typed without
  accents, some with a typo, plus two facet selections), each
  1. through the view layer: `GET /shop/search/?q=…&facet=…` in-process,
     template and page search included;
  2. through our OpenSearch backend (`OpenSearchBackend.search`);
  3. straight to OpenSearch: the very query body the backend builds, sent
     with opensearch-py, no parsing (the baseline);
  4. through the database backend, for comparison.

Ratios compare each layer with (3) in the same run.
"""

import random
import statistics
import time

from marketplace.ocop.text import fold

FACET_CHOICES = ("stars", "sector", "group", "province", "price", "in_stock")


def _percentiles(samples: list[float]) -> dict:
    ordered = sorted(samples)
    return {
        "p50_ms": round(statistics.median(ordered) * 1000, 2),
        "p95_ms": round(ordered[int(0.95 * (len(ordered) - 1))] * 1000, 2),
    }


def _typo(word: str, rng: random.Random) -> str:
    if len(word) < 5:
        return word
    i = rng.randrange(1, len(word) - 1)
    return word[:i] + word[i + 1 :]


def query_mix(count: int, *, seed: int, titles: list[str], facets: dict) -> list[dict]:
    """`count` shopper queries: text plus two facet selections each."""
    rng = random.Random(seed)
    queries = []
    for _ in range(count):
        words = [w for w in rng.choice(titles).split() if len(w) > 1]
        start = rng.randrange(len(words))
        text = " ".join(words[start : start + rng.choice((1, 2))])
        roll = rng.random()
        if roll < 0.5:
            text = fold(text)  # typed without accents
        elif roll < 0.6:
            text = " ".join(_typo(w, rng) for w in fold(text).split())
        params = {"q": text}
        for name in rng.sample(FACET_CHOICES, 2):
            values = [value for value, _count in facets[name]]
            if values:
                params[name] = rng.choice(values)
        queries.append(params)
    return queries


def bench_search(*, queries: int, warmup: int, seed: int = 2020) -> dict:
    from django.conf import settings
    from django.test import Client
    from oscar.core.loading import get_model

    from marketplace.ocop.dates import today_in_vietnam
    from search.backends.base import SearchRequest
    from search.backends.database import DatabaseBackend
    from search.backends.opensearch import OpenSearchBackend
    from search.client import opensearch_client
    from search.indexing import ALIAS, index_rebuild
    from search.views import clean_filters

    Product = get_model("catalogue", "Product")
    client = opensearch_client(timeout=60)
    listable = Product.objects.listable().count()

    started = time.perf_counter()
    index_name = index_rebuild(client=client)
    rebuild_seconds = time.perf_counter() - started
    indexed = client.count(index=ALIAS)["count"]

    opensearch = OpenSearchBackend(client)
    database = DatabaseBackend()
    today = today_in_vietnam()
    titles = list(Product.objects.listable().values_list("title", flat=True)[:5000])
    everything = opensearch.search(SearchRequest(on=today))
    mix = query_mix(queries + warmup, seed=seed, titles=titles, facets=everything.facets)

    web = Client()
    samples = {"view": [], "backend": [], "direct": [], "database": []}
    hits = []
    for i, params in enumerate(mix):
        request = SearchRequest(
            on=today,
            text=params["q"],
            filters=clean_filters(_QueryParams(params)),
            limit=settings.OSCAR_PRODUCTS_PER_PAGE,
        )
        body = opensearch.build(request).to_dict()
        timings = {}
        t = time.perf_counter()
        response = web.get("/shop/search/", params)
        timings["view"] = time.perf_counter() - t
        assert response.status_code == 200, params
        t = time.perf_counter()
        result = opensearch.search(request)
        timings["backend"] = time.perf_counter() - t
        t = time.perf_counter()
        client.search(index=ALIAS, body=body)
        timings["direct"] = time.perf_counter() - t
        t = time.perf_counter()
        database.search(request)
        timings["database"] = time.perf_counter() - t
        if i >= warmup:
            for name, seconds in timings.items():
                samples[name].append(seconds)
            hits.append(result.total)

    figures = {name: _percentiles(values) for name, values in samples.items()}
    direct = figures["direct"]
    for name in ("view", "backend", "database"):
        figures[name]["p50_ratio_to_direct"] = round(figures[name]["p50_ms"] / direct["p50_ms"], 2)
        figures[name]["p95_ratio_to_direct"] = round(figures[name]["p95_ms"] / direct["p95_ms"], 2)
    return {
        "index": index_name,
        "listable_products": listable,
        "indexed_documents": indexed,
        "rebuild_seconds": round(rebuild_seconds, 2),
        "rebuild_target_seconds": 60,
        "queries": queries,
        "warmup_queries": warmup,
        "queries_with_hits": sum(1 for total in hits if total),
        "median_hits": statistics.median(hits),
        "latency": figures,
        "view_p95_target_ms": 50,
        "backend_overhead_target_ratio": 1.5,
        "example_queries": mix[warmup : warmup + 5],
        "method": "sequential, in-process; view = django.test.Client GET /shop/search/ "
        "(template and page search included); backend = OpenSearchBackend.search; "
        "direct = the same query body via opensearch-py client.search; database = "
        "DatabaseBackend.search; each query runs through all four in turn",
    }


class _QueryParams(dict):
    """Just enough of a QueryDict for `clean_filters`."""

    def getlist(self, key):
        return [self[key]] if key in self else []

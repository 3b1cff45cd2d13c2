"""How close a search page can come to OpenSearch's own time (issue 14, goal 3a).

Goal 3a asks that, with one client, a search page's round trip be at most
twice OpenSearch's round trip for the same body. This measures what is left
for the page after the parts no search page can do without, one client,
each address once per round, in turn:

- `raw`: the page's query body POSTed to OpenSearch over one kept
  connection (the goal's baseline, as `http_bench.search_one_client`);
- `empty`: an empty answer through gunicorn and the site's middleware;
- `search`: the page's search through the backend the page uses, answering
  the total (tests/bench/floor/urls.py);
- `cards`: that, plus the cards and facet links, without a template;
- `page`: the search page itself, a page-cache miss each time.

If `search` ÷ `raw` is already near 2, no template can meet the goal. It
runs on the HTTP bench's kept site (`make bench` builds it) with production
settings and 2 sync workers:

    .venv/bin/python tests/bench/search_floor.py --size 2000 --size 100000

and writes `bench-results/search-floor.json` and `.md`.
"""

from __future__ import annotations

import argparse
import json
import statistics
import sys
import time
import uuid
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parents[2]))

from tests.bench import http_bench  # noqa: E402

STEPS = ("raw", "empty", "search", "cards", "page")


class FloorSite(http_bench.SiteConfig):
    """The bench site, served with the floor views in front of its URLs."""

    def env(self) -> dict[str, str]:
        return {**super().env(), "DJANGO_SETTINGS_MODULE": "tests.bench.floor.settings"}


def measure(config: FloorSite, facts: dict, *, rounds: int) -> dict:
    import requests

    raw, site = requests.Session(), requests.Session()
    endpoint = f"{config.opensearch_url.rstrip('/')}/{config.products_alias}/_search"
    times: dict[str, list[float]] = {step: [] for step in STEPS}
    for round_number in range(rounds + 1):  # the first round warms up
        nonce = uuid.uuid4().hex[:8]
        for body, query in zip(facts["search_bodies"], facts["search_faceted"], strict=True):
            address = http_bench._ascii_path(f"?{query}")
            for step in STEPS:
                started = time.perf_counter()
                if step == "raw":
                    answer = raw.post(endpoint, json=body, timeout=60)
                elif step == "page":
                    answer = site.get(
                        f"{config.base_url}/shop/search/{address}&bench={nonce}", timeout=60
                    )
                    if answer.headers.get("X-Page-Cache", "").split(";")[0] != "miss":
                        raise RuntimeError(f"the search page was not a miss: {answer.url}")
                else:
                    answer = site.get(f"{config.base_url}/floor/{step}/{address}", timeout=60)
                elapsed = time.perf_counter() - started
                answer.raise_for_status()
                if round_number:
                    times[step].append(elapsed)
    p50 = {step: round(statistics.median(values) * 1000, 2) for step, values in times.items()}
    return {
        "queries": len(facts["search_bodies"]),
        "rounds": rounds,
        "p50_ms": p50,
        "to_raw": {step: round(p50[step] / p50["raw"], 2) for step in STEPS},
        "loadavg": http_bench._loadavg(),
    }


def markdown(results: dict) -> str:
    lines = [
        "# A search page's floor (goal 3a: page ≤ 2 × OpenSearch, one client)",
        "",
        "p50 of one client's round trips, each of the HTTP bench's 200 faceted searches "
        "once per round; ÷ raw in brackets.",
        "",
        "| products | raw OpenSearch | empty answer | + the search | + cards, facets | "
        "the page | load |",
        "|---|---|---|---|---|---|---|",
    ]
    for size, entry in results["sizes"].items():
        p50, ratio = entry["p50_ms"], entry["to_raw"]
        cells = [f"{p50[step]} ms ({ratio[step]}×)" for step in STEPS]
        lines.append(f"| {size} | {' | '.join(cells)} | {entry['loadavg'][0]} |")
    return "\n".join(lines) + "\n"


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--size", type=int, action="append", required=True)
    parser.add_argument("--rounds", type=int, default=2)
    parser.add_argument("--database-url", default="postgres://ocop:ocop@127.0.0.1:5432/ocop_bench")
    parser.add_argument("--redis-url", default="redis://127.0.0.1:6379/5")
    parser.add_argument("--opensearch-url", default="http://127.0.0.1:9200")
    parser.add_argument("--out", default="bench-results/search-floor.json")
    args = parser.parse_args(argv)
    app_root = Path(__file__).resolve().parents[2]
    results: dict = {"revision": http_bench._revision(app_root), "sizes": {}}
    for size in args.size:
        config = FloorSite(
            app_root=app_root,
            size=size,
            database_url=f"{args.database_url}_http_{size}",
            redis_url=args.redis_url,
            opensearch_url=args.opensearch_url,
            suffix="",
        )
        facts = http_bench._site_prepare(config, keep_index=True)["facts"]
        http_bench._static_prepare(config)
        http_bench._redis_flush(config.redis_url)
        server = http_bench.Gunicorn(config).start()
        try:
            results["sizes"][str(size)] = measure(config, facts, rounds=args.rounds)
        finally:
            server.stop()
        print(size, results["sizes"][str(size)]["to_raw"], file=sys.stderr)
    out = Path(args.out)
    out.parent.mkdir(parents=True, exist_ok=True)
    out.write_text(json.dumps(results, indent=1))
    out.with_suffix(".md").write_text(markdown(results))
    print(markdown(results))
    return 0


if __name__ == "__main__":
    sys.exit(main())

"""`make bench`: page timings, written to a JSON file.

Each page is timed against a same-run baseline (the `/healthz/` view, one
query and no template), so the figures compare across noisy machines as
ratios. Runs on a throwaway SQLite database with the demo content; it is
not part of `make test`.
"""

import argparse
import json
import os
import platform
import statistics
import sys
import time
from datetime import UTC, datetime
from pathlib import Path

ROOT = Path(__file__).resolve().parents[2]
sys.path.insert(0, str(ROOT))

PAGES = {"baseline_healthz": "/healthz/", "home": "/", "catalogue": "/shop/"}


def _setup_django(db_path: Path) -> None:
    os.environ["DJANGO_SETTINGS_MODULE"] = "marketplace.settings.dev"
    os.environ["DATABASE_URL"] = f"sqlite:///{db_path}"
    os.environ["DJANGO_DEBUG"] = "false"
    os.environ["DJANGO_ALLOWED_HOSTS"] = "testserver,127.0.0.1"
    os.environ["DJANGO_LOG_LEVEL"] = "WARNING"
    import django

    django.setup()


def _time_page(client, path: str, *, warmup: int, requests: int) -> dict:
    for _ in range(warmup):
        assert client.get(path).status_code == 200, path
    samples = []
    for _ in range(requests):
        started = time.perf_counter()
        response = client.get(path)
        samples.append(time.perf_counter() - started)
        assert response.status_code == 200, path
    total = sum(samples)
    return {
        "path": path,
        "requests": requests,
        "requests_per_second": round(requests / total, 1),
        "median_ms": round(statistics.median(samples) * 1000, 2),
        "p95_ms": round(sorted(samples)[int(0.95 * (len(samples) - 1))] * 1000, 2),
    }


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("--out", default="bench-results/bench.json")
    parser.add_argument("--requests", type=int, default=200)
    parser.add_argument("--warmup", type=int, default=20)
    args = parser.parse_args()

    out = ROOT / args.out
    out.parent.mkdir(parents=True, exist_ok=True)
    db_path = out.parent / "bench.sqlite3"
    db_path.unlink(missing_ok=True)
    _setup_django(db_path)

    from django.core.management import call_command
    from django.test import Client
    from tqdm import tqdm

    print("Preparing a fresh SQLite database with the demo content…", file=sys.stderr)
    call_command("migrate", verbosity=0, interactive=False)
    call_command("demo_setup", verbosity=0)

    client = Client()
    results = {}
    for name, path in tqdm(PAGES.items(), desc="pages", unit="page"):
        results[name] = _time_page(client, path, warmup=args.warmup, requests=args.requests)
    baseline = results["baseline_healthz"]["requests_per_second"]
    for figures in results.values():
        figures["ratio_to_baseline"] = round(figures["requests_per_second"] / baseline, 3)

    report = {
        "suite": "pages",
        "when": datetime.now(UTC).isoformat(timespec="seconds"),
        "method": "sequential in-process django.test.Client, DEBUG=False, SQLite, demo data",
        "machine": {"python": platform.python_version(), "cpus": os.cpu_count()},
        "results": results,
    }
    out.write_text(json.dumps(report, indent=2, ensure_ascii=False) + "\n")
    for name, figures in results.items():
        print(
            f"{name:18} {figures['requests_per_second']:8.1f} req/s  "
            f"median {figures['median_ms']:7.2f} ms  ×{figures['ratio_to_baseline']} of baseline"
        )
    print(f"Wrote {out}")


if __name__ == "__main__":
    main()

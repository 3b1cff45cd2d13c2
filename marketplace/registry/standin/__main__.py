"""`python -m marketplace.registry.standin`: run the stand-in registry in the foreground.

Handy for poking at the API with curl, and for trying the sync against a
misbehaving registry by hand. Ctrl-C stops it. It serves the snapshot it is
given (`--snapshot`); the demo's bundled Hanoi snapshot is
`marketplace/demo/data/hanoi_snapshot.json`, and the registry room knows
nothing of the demo that sits above it.
"""

from __future__ import annotations

import argparse
import signal
import sys
from pathlib import Path

from ..client import RegistryUnavailable, load_snapshot
from .faults import Faults, parse_page_list
from .server import StandinServer


def build_parser() -> argparse.ArgumentParser:
    """The CLI flags, one per fault switch."""
    parser = argparse.ArgumentParser(
        prog="python -m marketplace.registry.standin",
        description="Serve a registry snapshot through the national OCOP public API.",
    )
    parser.add_argument("--snapshot", type=Path, required=True, help="JSON (or .json.gz)")
    parser.add_argument("--host", default="127.0.0.1")
    parser.add_argument("--port", type=int, default=8765)
    parser.add_argument("--delay", type=float, default=0.0, help="seconds before each answer")
    parser.add_argument("--error-rate", type=float, default=0.0, help="0..1 chance of an error")
    parser.add_argument("--fail-pages", type=parse_page_list, default=[], help="e.g. 3,4")
    parser.add_argument("--truncate-after-page", type=int, default=None)
    parser.add_argument("--malformed", type=int, default=0, help="broken records to inject")
    parser.add_argument("--seed", type=int, default=0, help="seed for --error-rate")
    parser.add_argument("--error-status", type=int, default=500, help="status of fault answers")
    parser.add_argument("--retry-after", type=float, default=None, help="Retry-After on faults")
    parser.add_argument("--garbled-pages", type=parse_page_list, default=[], help="HTML, not JSON")
    parser.add_argument("--verbose", action="store_true", help="log every request to stderr")
    return parser


def main(argv: list[str] | None = None) -> int:
    """Load the snapshot, print the URL and serve until interrupted."""
    args = build_parser().parse_args(argv)
    # A process started in the background inherits SIGINT as "ignored", and
    # Python then never raises KeyboardInterrupt; make Ctrl-C and SIGTERM
    # (what `make run` and the benchmark send) stop the server either way.
    signal.signal(signal.SIGINT, signal.default_int_handler)
    signal.signal(signal.SIGTERM, signal.default_int_handler)
    try:
        records = load_snapshot(args.snapshot)
        faults = Faults(
            delay=args.delay,
            error_rate=args.error_rate,
            fail_pages=args.fail_pages,
            truncate_after_page=args.truncate_after_page,
            malformed=args.malformed,
            seed=args.seed,
            error_status=args.error_status,
            retry_after=args.retry_after,
            garbled_pages=args.garbled_pages,
        )
    except (RegistryUnavailable, ValueError) as exc:
        print(f"error: {exc}", file=sys.stderr)
        return 2
    server = StandinServer(
        records, host=args.host, port=args.port, faults=faults, verbose=args.verbose
    )
    server.bind()
    print(
        f"Stand-in OCOP registry serving {len(server.served_records())} records "
        f"from {args.snapshot} at {server.url}/v1/public/product-info/ (Ctrl-C stops)",
        flush=True,
    )
    try:
        server.serve_forever()
    except KeyboardInterrupt:
        print("stopped", flush=True)
    return 0


if __name__ == "__main__":
    raise SystemExit(main())

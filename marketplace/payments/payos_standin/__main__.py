"""`python -m marketplace.payments.payos_standin`: the stand-in payOS in the foreground.

`make run` starts it beside the shop with the demo keys below (the shop's
PAYOS_* settings default to them in `make run`), so VietQR works end to end
on a laptop: open the QR page's checkout link and press "pay", or

    curl -X POST localhost:8766/_standin/pay -d '{"orderCode": 10012301}'

Ctrl-C (or SIGTERM) stops it.
"""

from __future__ import annotations

import argparse
import signal

from .keys import STANDIN_API_KEY, STANDIN_CHECKSUM_KEY, STANDIN_CLIENT_ID
from .server import PayosStandin


def build_parser() -> argparse.ArgumentParser:
    parser = argparse.ArgumentParser(
        prog="python -m marketplace.payments.payos_standin",
        description="Serve payOS's merchant API on loopback, for development and tests.",
    )
    parser.add_argument("--host", default="127.0.0.1")
    parser.add_argument("--port", type=int, default=8766)
    parser.add_argument("--client-id", default=STANDIN_CLIENT_ID)
    parser.add_argument("--api-key", default=STANDIN_API_KEY)
    parser.add_argument("--checksum-key", default=STANDIN_CHECKSUM_KEY)
    parser.add_argument(
        "--webhook-url", default="", help="where to send webhooks (else: /confirm-webhook)"
    )
    parser.add_argument("--delay", type=float, default=0.0, help="seconds before each answer")
    parser.add_argument("--error-status", type=int, default=0, help="answer every call with it")
    parser.add_argument("--refuse", default="", help="answer every call with this payOS code")
    parser.add_argument("--verbose", action="store_true")
    return parser


def main(argv: list[str] | None = None) -> int:
    args = build_parser().parse_args(argv)
    # started in the background by `make run`: make SIGINT/SIGTERM stop it
    signal.signal(signal.SIGINT, signal.default_int_handler)
    signal.signal(signal.SIGTERM, signal.default_int_handler)
    server = PayosStandin(
        client_id=args.client_id,
        api_key=args.api_key,
        checksum_key=args.checksum_key,
        host=args.host,
        port=args.port,
        webhook_url=args.webhook_url,
        verbose=args.verbose,
    )
    server.set_faults(delay=args.delay, error_status=args.error_status, refuse=args.refuse)
    server.bind()
    print(f"Stand-in payOS at {server.url} (webhooks to {args.webhook_url or '-'})", flush=True)
    try:
        server.serve_forever()
    except KeyboardInterrupt:
        print("stopped", flush=True)
    return 0


if __name__ == "__main__":
    raise SystemExit(main())

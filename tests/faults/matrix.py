"""What the fault suite records: each page's outcome under each fault, the
shoppers and payments it made, and the fault × page table it writes to
var/fault-matrix.md for the issue's closing note."""

import time
from dataclasses import dataclass, field

from tests.faults.site import ROOT

# What a shopper waits for before giving up; the expectation is 2 s, the
# extra is there to tell a slow answer from none.
CLIENT_TIMEOUT = 4.0
ANSWER_WITHIN = 2.0
MATRIX_PATH = ROOT / "var" / "fault-matrix.md"


@dataclass
class Outcome:
    """One page under one fault: its worst answer and slowest time."""

    status: int | None = None  # None: no answer (the client gave up or the connection failed)
    seconds: float = 0.0
    error_page: bool = False  # the Vietnamese 500 page
    error: str = ""  # why there was no answer (ReadTimeout, ConnectionError)
    at: str = ""  # in a flow of several requests: the one that answered worst
    notes: list[str] = field(default_factory=list)
    problems: list[str] = field(default_factory=list)

    # problems the cell shows anyway (its status and time)
    SELF_EVIDENT = ("no answer", "slow", "500", "expected 200")

    def cell(self) -> str:
        mark = "✓" if not self.problems else "✗"
        if self.status is None:
            answer = f"no answer ({self.error})"
        else:
            answer = f"{self.status}{' vi-page' if self.error_page else ''}"
        seconds = f">{CLIENT_TIMEOUT:.0f}" if self.error == "ReadTimeout" else f"{self.seconds:.2f}"
        shown = [problem for problem in self.problems if problem not in self.SELF_EVIDENT]
        extra = ([f"at {self.at}"] if self.at else []) + self.notes + shown
        return f"{mark} {answer} · {seconds} s" + (f" ({'; '.join(extra)})" if extra else "")


@dataclass
class Catalogue:
    """What the pages under test look at, found once on the running site."""

    product_path: str
    product_pk: int
    product_title: str
    certificate_number: str
    search_query: str


@dataclass
class Ledger:
    """Everything the session saw, for the recovery test and the table."""

    run: str
    outcomes: dict = field(default_factory=dict)  # (episode, page) -> Outcome
    shoppers: dict = field(default_factory=dict)  # email -> (episode, order number seen)
    webhooks: dict = field(default_factory=dict)  # email -> (episode, event, status)
    recovery: dict = field(default_factory=dict)  # episode -> summary line
    recovery_notes: list = field(default_factory=list)

    def email(self, page: str, episode: str) -> str:
        return f"{page}.{episode}.{self.run}@faults.example.vn"


PAGES = ("home", "shop", "search", "product", "certificate", "cod_checkout", "stripe_webhook")


def matrix_write(ledger: Ledger) -> None:
    """The fault × page table, for the issue's closing note."""
    if not ledger.outcomes:
        return
    episodes = list(dict.fromkeys(episode for episode, _page in ledger.outcomes))
    lines = [
        "# Fault × page (tests/faults)",
        "",
        f"Run {ledger.run}, {time.strftime('%Y-%m-%d %H:%M')}: gunicorn (3 workers, "
        "production settings) and a Celery worker behind Toxiproxy. Each cell: ✓/✗ "
        f"against the expectation (no 500 except a database fault, which must show the "
        f"Vietnamese error page; every answer within {ANSWER_WITHIN:.0f} s), the worst "
        f"status (vi-page: the Vietnamese error page), the slowest answer (the client "
        f"gives up after {CLIENT_TIMEOUT:.0f} s). COD checkout (product, basket, checkout, "
        "order, thank-you) and the webhook are several requests: the worst is shown, "
        "with the request it was. Recovery: Stripe's retry of each webhook not "
        "answered 200, then the outbox sweep; orders counted from the database.",
        "",
        "| fault | " + " | ".join(PAGES) + " | orders after recovery |",
        "|---" * (len(PAGES) + 2) + "|",
    ]
    for episode in episodes:
        cells = [
            ledger.outcomes[(episode, page)].cell() if (episode, page) in ledger.outcomes else ""
            for page in PAGES
        ]
        lines.append(
            f"| {episode} | " + " | ".join(cells) + f" | {ledger.recovery.get(episode, '')} |"
        )
    if ledger.recovery_notes:
        lines += ["", *ledger.recovery_notes]
    MATRIX_PATH.parent.mkdir(parents=True, exist_ok=True)
    MATRIX_PATH.write_text("\n".join(lines) + "\n")

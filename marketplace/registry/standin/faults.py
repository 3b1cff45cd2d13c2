"""Fault switches for the stand-in registry, and the malformed records it injects.

The real registry is slow at times, drops pages, ends crawls early and
publishes records that break its own format. The sync must survive all of
that, so the stand-in can reproduce each failure on demand, deterministically:
the same switches and seed give the same answers, run after run.
"""

from __future__ import annotations

import copy
from dataclasses import asdict, dataclass, field, fields
from typing import Any

# How injected records are broken, in the order they are used (k % 4).
MALFORMATIONS = ("missing_id", "star_as_word", "impossible_date", "missing_manufacturer")

# Stands in for a source record when malformed ones are asked of an empty snapshot.
_BLANK_RECORD: dict[str, Any] = {
    "id": 0,
    "name": "Sản phẩm thử nghiệm",
    "type": "food",
    "ocop_star": 3,
    "description": "",
    "story": "",
    "ocop_certificate_number": "1/QĐ-UBND",
    "issued_on": "2025-01-01",
    "expiry_date": None,
    "is_national": False,
    "image": None,
    "manufacturer": {
        "name": "HTX Thử nghiệm",
        "representative": "Nguyễn Văn A",
        "address": "Xã Bát Tràng, Thành phố Hà Nội",
        "phone_number": "0912345678",
        "email": "thunghiem@example.vn",
    },
}


def _is_int(value: Any) -> bool:
    return isinstance(value, int) and not isinstance(value, bool)


def _is_number(value: Any) -> bool:
    return isinstance(value, int | float) and not isinstance(value, bool)


@dataclass
class Faults:
    """What the stand-in gets wrong on purpose; the defaults get nothing wrong.

    `error_status` and `retry_after` shape the failures that `error_rate`
    and `fail_pages` produce, so a test can also play a 429 with a
    `Retry-After` hint. `garbled_pages` answer 200 with an HTML maintenance
    page instead of JSON, as a misconfigured gateway in front of the
    registry would.
    """

    delay: float = 0.0
    error_rate: float = 0.0
    fail_pages: list[int] = field(default_factory=list)
    truncate_after_page: int | None = None
    malformed: int = 0
    seed: int = 0
    error_status: int = 500
    retry_after: float | None = None
    garbled_pages: list[int] = field(default_factory=list)

    def __post_init__(self) -> None:
        self.fail_pages = _page_list(self.fail_pages, "fail_pages")
        self.garbled_pages = _page_list(self.garbled_pages, "garbled_pages")
        if not _is_number(self.delay) or self.delay < 0:
            raise ValueError("delay must be a number of seconds >= 0")
        if not _is_number(self.error_rate) or not 0 <= self.error_rate <= 1:
            raise ValueError("error_rate must be between 0 and 1")
        if self.truncate_after_page is not None and not (
            _is_int(self.truncate_after_page) and self.truncate_after_page >= 1
        ):
            raise ValueError("truncate_after_page must be a page number >= 1, or null")
        if not _is_int(self.malformed) or self.malformed < 0:
            raise ValueError("malformed must be an integer >= 0")
        if not _is_int(self.seed):
            raise ValueError("seed must be an integer")
        if not _is_int(self.error_status) or not 400 <= self.error_status <= 599:
            raise ValueError("error_status must be an HTTP error status (400-599)")
        if self.retry_after is not None and (
            not _is_number(self.retry_after) or self.retry_after < 0
        ):
            raise ValueError("retry_after must be a number of seconds >= 0, or null")

    def replace(self, **changes: Any) -> Faults:
        """A copy with some switches changed; unknown switch names are refused."""
        known = {f.name for f in fields(self)}
        unknown = sorted(set(changes) - known)
        if unknown:
            raise ValueError(f"unknown fault(s): {', '.join(unknown)}")
        return Faults(**{**asdict(self), **changes})

    def as_dict(self) -> dict[str, Any]:
        """The switches as plain JSON-ready data."""
        return asdict(self)


def _page_list(value: Any, name: str) -> list[int]:
    pages = parse_page_list(value) if isinstance(value, str) else value
    if not isinstance(pages, list | tuple) or not all(_is_int(p) and p >= 1 for p in pages):
        raise ValueError(f"{name} must be a list of page numbers >= 1")
    return list(pages)


def parse_page_list(text: str) -> list[int]:
    """Page numbers from a comma-separated CLI value such as `3,4`."""
    try:
        return [int(part) for part in text.split(",") if part.strip()]
    except ValueError as exc:
        raise ValueError(f"fail_pages must be comma-separated integers, got {text!r}") from exc


def malform(record: dict, kind: str, *, new_id: int) -> dict:
    """A broken copy of `record`, under a fresh id so it never shadows a good one."""
    broken = copy.deepcopy(record)
    broken["id"] = new_id
    if kind == "missing_id":
        del broken["id"]
    elif kind == "star_as_word":
        broken["ocop_star"] = "năm"
    elif kind == "impossible_date":
        broken["issued_on"] = "31/02/2024"
    elif kind == "missing_manufacturer":
        broken.pop("manufacturer", None)
    else:
        raise ValueError(f"unknown malformation {kind!r}")
    return broken


def with_malformed(records: list[dict], count: int) -> list[dict]:
    """`records` with `count` broken copies spread evenly through them.

    The k-th broken record copies the record at position k*n/count, sits
    right after it and is broken the `MALFORMATIONS[k % 4]` way, so the
    result depends only on the inputs.
    """
    if count <= 0:
        return list(records)
    sources = records or [_BLANK_RECORD]
    ids = [r["id"] for r in sources if isinstance(r, dict) and _is_int(r.get("id"))]
    next_id = max(ids, default=0) + 1
    after: dict[int, list[dict]] = {}
    for k in range(count):
        position = (k * len(sources)) // count
        broken = malform(sources[position], MALFORMATIONS[k % 4], new_id=next_id + k)
        after.setdefault(position, []).append(broken)
    result: list[dict] = []
    for position, record in enumerate(sources):
        if records:
            result.append(record)
        result.extend(after.get(position, []))
    return result

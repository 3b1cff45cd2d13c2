"""Builds the bundled Hanoi demo snapshot, deterministically.

The stand-in registry serves this snapshot in development, tests and demos,
so it must exercise every rule the shop enforces: stars below 3 that never
list, certificates already expired, certificates expiring within the 30-day
warning window, national 5★ and the province's "potential 5★", explicit and
implied (null) expiry dates, and both address forms (design.md §7). About
three records in four name a photo (`image`, as the national API does), a
path on the registry itself that the stand-in draws from the record's sector
when asked (marketplace/registry/standin/photos.py): no picture is downloaded or committed. The
rest show the shop's sector illustration.

Everything is derived from `random.Random(seed)` and a reference date
passed in, never from the clock, so the committed JSON can be regenerated
byte for byte:

    python -m marketplace.demo.build_snapshot [--today 2026-11-28]
"""

from __future__ import annotations

import argparse
import calendar
import functools
import json
import math
import random
from collections.abc import Sequence
from dataclasses import dataclass
from datetime import date, timedelta
from pathlib import Path

from marketplace.ocop.text import fold

from .content import SNAPSHOT_PATH
from .families import (
    FAMILIES,
    FEMALE_GIVEN,
    FEMALE_MIDDLE,
    MALE_GIVEN,
    MALE_MIDDLE,
    PHONE_PREFIXES,
    PROVINCE,
    SURNAMES,
    Family,
    Place,
)

REFERENCE_DATE = date(2026, 11, 28)
VALIDITY_MONTHS = 36
EXPIRY_WARNING_DAYS = 30
TWO_LEVEL_ADDRESSES_FROM = date(2025, 7, 1)

# Shares of a 300-record snapshot; they scale with `count`.
EXPIRED_SHARE = 20 / 300
EXPIRING_SHARE = 15 / 300
LOW_STAR_SHARE = 8 / 300
NATIONAL_FIVE_STAR_SHARE = 7 / 300
POTENTIAL_FIVE_STAR_SHARE = 6 / 300
PHOTO_SHARE = 3 / 4
PHOTO_PATH = "/media/ocop/{id}.jpg"  # relative: the stand-in's port changes from run to run


def _seeded(seed: int | str) -> random.Random:
    """A reproducible generator: this is demo data, not secrets, so `random` is right."""
    return random.Random(seed)  # noqa: S311


def add_months(day: date, months: int) -> date:
    """`day` moved by whole months, clamped to the month's end (Jan 31 + 1 = Feb 28)."""
    index = day.year * 12 + day.month - 1 + months
    year, month = divmod(index, 12)
    last = calendar.monthrange(year, month + 1)[1]
    return date(year, month + 1, min(day.day, last))


def certificate_expiry(issued_on: date) -> date:
    """A certificate's last valid day: 36 months from the decision's signing date."""
    return add_months(issued_on, VALIDITY_MONTHS)


@dataclass(frozen=True)
class _Product:
    family: Family
    name: str
    producer: str


def _allocate(shares: Sequence[int], count: int) -> list[int]:
    """Split `count` in proportion to `shares` (largest remainder, so the sum is exact)."""
    total = sum(shares)
    exact = [share * count / total for share in shares]
    allotted = [math.floor(x) for x in exact]
    by_remainder = sorted(range(len(shares)), key=lambda i: exact[i] - allotted[i], reverse=True)
    for i in by_remainder[: count - sum(allotted)]:
        allotted[i] += 1
    return allotted


def _product_name(line: str, size: str) -> str:
    return f"{line} {size}".strip()


def _products(rng: random.Random, count: int) -> list[_Product]:
    """`count` distinct (name, producer) pairs spread over the families by share."""
    products: list[_Product] = []
    for family, wanted in zip(FAMILIES, _allocate([f.share for f in FAMILIES], count), strict=True):
        combos = [
            (_product_name(line, size), producer)
            for line in family.lines
            for size in family.sizes
            for producer in family.producers
        ]
        rng.shuffle(combos)
        for n in range(wanted):
            name, producer = combos[n % len(combos)]
            if n >= len(combos):  # only when asked for more than the family can offer
                name = f"{name} (mẫu {n // len(combos) + 1})"
            products.append(_Product(family=family, name=name, producer=producer))
    rng.shuffle(products)
    return products


_PRODUCER_KINDS = (
    ("Hộ kinh doanh ", "hkd"),
    ("Tổ hợp tác ", "tht"),
    ("Công ty TNHH ", "cty"),
    ("HTX ", "htx"),
)


def _email(producer: str) -> str:
    kind, rest = "cs", producer
    for prefix, code in _PRODUCER_KINDS:
        if producer.startswith(prefix):
            kind, rest = code, producer.removeprefix(prefix)
            break
    slug = "".join(ch for ch in fold(rest) if ch.isalnum())
    return f"{kind}.{slug}@example.vn"


def _person(rng: random.Random) -> str:
    if rng.random() < 0.5:
        return f"{rng.choice(SURNAMES)} {rng.choice(MALE_MIDDLE)} {rng.choice(MALE_GIVEN)}"
    return f"{rng.choice(SURNAMES)} {rng.choice(FEMALE_MIDDLE)} {rng.choice(FEMALE_GIVEN)}"


@functools.lru_cache(maxsize=65536)
def _contact(producer: str, seed: int) -> dict[str, str]:
    """A producer's representative, phone and e-mail; stable whatever the call order."""
    rng = _seeded(f"{seed}:contact:{producer}")
    household = "Hộ kinh doanh "
    representative = (
        producer.removeprefix(household) if producer.startswith(household) else _person(rng)
    )
    phone = rng.choice(PHONE_PREFIXES) + f"{rng.randrange(10**7):07d}"
    return {"representative": representative, "phone_number": phone, "email": _email(producer)}


def _address(place: Place, issued_on: date, rng: random.Random) -> str:
    """Two levels since 2025-07-01; older certificates mostly keep the district."""
    if issued_on < TWO_LEVEL_ADDRESSES_FROM and rng.random() < 0.85:
        return f"{place.legacy_commune}, {place.legacy_district}, {PROVINCE}"
    return f"{place.commune}, {PROVINCE}"


@functools.lru_cache(maxsize=4096)
def _decision_days(year: int, month: int, seed: int) -> tuple[date, ...]:
    """The two days a month on which decisions are signed; certificates share them."""
    rng = _seeded(f"{seed}:decisions:{year}-{month:02d}")
    return tuple(date(year, month, day) for day in sorted(rng.sample(range(2, 29), 2)))


def _snap_to_decision(target: date, seed: int) -> date:
    """The signing day in `target`'s month closest to it."""
    return min(
        _decision_days(target.year, target.month, seed),
        key=lambda day: (abs((day - target).days), day),
    )


@functools.lru_cache(maxsize=65536)
def _certificate_number(issued_on: date, *, national: bool, seed: int) -> str:
    """One decision number per signing day and issuer, as in real decision lists."""
    rng = _seeded(f"{seed}:{'bnn' if national else 'ubnd'}:{issued_on.isoformat()}")
    if national:
        return f"{rng.randint(100, 4999)}/QĐ-BNN-KTHT"
    day_of_year = issued_on.timetuple().tm_yday
    return f"{day_of_year * 13 + rng.randint(0, 12)}/QĐ-UBND"


def _issued_valid(rng: random.Random, today: date, seed: int) -> date:
    target = add_months(today, -rng.randint(1, 30)) - timedelta(days=rng.randint(0, 20))
    return _snap_to_decision(target, seed)


def _issued_expired(rng: random.Random, today: date, seed: int) -> date:
    target = add_months(today, -rng.randint(37, 48)) - timedelta(days=rng.randint(0, 20))
    return _snap_to_decision(target, seed)


def _issued_expiring(rng: random.Random, today: date, seed: int) -> date:
    """A signing day whose expiry falls within the next 30 days (the warning window)."""

    def in_window(issued: date) -> bool:
        return today < certificate_expiry(issued) <= today + timedelta(EXPIRY_WARNING_DAYS)

    target = add_months(today + timedelta(days=rng.randint(1, EXPIRY_WARNING_DAYS)), -36)
    candidates = [
        day
        for month_start in (add_months(target, -1), target, add_months(target, 1))
        for day in _decision_days(month_start.year, month_start.month, seed)
        if in_window(day)
    ]
    if candidates:
        return min(candidates, key=lambda day: (abs((day - target).days), day))
    for offset in range(1, EXPIRY_WARNING_DAYS + 1):
        issued = add_months(today + timedelta(days=offset), -36)
        if in_window(issued):
            return issued
    raise AssertionError(f"no signing day expires in the 30 days after {today}")


def _record(
    *,
    record_id: int,
    product: _Product,
    star: int,
    national: bool,
    issued_on: date,
    explicit_expiry: bool,
    address: str,
    seed: int,
    image: str | None = None,
) -> dict:
    """One registry record in the national API's shape (record_format.md)."""
    family = product.family
    expiry = certificate_expiry(issued_on).isoformat() if explicit_expiry else None
    return {
        "id": record_id,
        "name": product.name,
        "type": family.type,
        "ocop_star": star,
        "description": family.description.format(name=product.name),
        "story": family.story,
        "ocop_certificate_number": _certificate_number(issued_on, national=national, seed=seed),
        "issued_on": issued_on.isoformat(),
        "expiry_date": expiry,
        "is_national": national,
        "image": image,
        "manufacturer": {
            "name": product.producer,
            "representative": "",
            "address": address,
            "phone_number": "",
            "email": "",
        }
        | _contact(product.producer, seed),
    }


def build_records(*, today: date, count: int = 300, seed: int = 2020) -> list[dict]:
    """The demo snapshot: `count` Hanoi records around `today`, same output for same input.

    About 1 in 15 is expired, 1 in 20 expires within 30 days, 1 in 40 has 1–2★,
    and the premium families carry a few national and potential 5★.
    """
    rng = _seeded(seed)
    products = _products(rng, count)
    positions = list(range(count))
    rng.shuffle(positions)
    n_expired = round(count * EXPIRED_SHARE)
    n_expiring = round(count * EXPIRING_SHARE)
    expired = set(positions[:n_expired])
    expiring = set(positions[n_expired : n_expired + n_expiring])

    low = set(rng.sample(range(count), round(count * LOW_STAR_SHARE)))
    premium = [i for i in range(count) if products[i].family.premium and i not in low]
    n_national = min(len(premium), round(count * NATIONAL_FIVE_STAR_SHARE))
    n_potential = min(len(premium) - n_national, round(count * POTENTIAL_FIVE_STAR_SHARE))
    chosen = rng.sample(premium, n_national + n_potential)
    five, national = set(chosen), set(chosen[:n_national])

    records: list[dict] = []
    record_id = 10_000
    for i, product in enumerate(products):
        record_id += rng.randint(1, 37)
        if i in low:
            star = rng.choice((1, 2, 2))
        elif i in five:
            star = 5
        else:
            star = 3 if rng.random() < 0.45 else 4
        if i in expired:
            issued_on = _issued_expired(rng, today, seed)
        elif i in expiring:
            issued_on = _issued_expiring(rng, today, seed)
        else:
            issued_on = _issued_valid(rng, today, seed)
        records.append(
            _record(
                record_id=record_id,
                product=product,
                star=star,
                national=i in national,
                issued_on=issued_on,
                explicit_expiry=rng.random() >= 1 / 3,
                address=_address(product.family.place, issued_on, rng),
                seed=seed,
                image=_photo(record_id, seed),
            )
        )
    return records


def _photo(record_id: int, seed: int) -> str | None:
    """The photo path of about 3 records in 4, drawn from its own seed so
    the rest of the snapshot stays as it was."""
    if _seeded(f"{seed}:photo:{record_id}").random() < PHOTO_SHARE:
        return PHOTO_PATH.format(id=record_id)
    return None


def build_scaled_records(*, today: date, count: int, seed: int) -> list[dict]:
    """Many valid-looking records with unique ids, fast, for load tests and the benchmark.

    Ids start at 100001 so they never clash with the demo snapshot's. Names
    repeat; producers get numbered branches so there are roughly 2.4
    products per producer, the national ratio (design.md §7).
    """
    rng = _seeded(seed)
    cum_weights = list(_running_total([f.share for f in FAMILIES]))
    base_producers = {p for family in FAMILIES for p in family.producers}
    branches = max(1, math.ceil(count / (2.4 * len(base_producers))))
    records: list[dict] = []
    for i in range(count):
        family = rng.choices(FAMILIES, cum_weights=cum_weights)[0]
        producer = rng.choice(family.producers)
        branch = rng.randrange(branches)
        if branch:
            producer = f"{producer} (cơ sở {branch + 1})"
        roll = rng.random()
        star = 3 if roll < 0.45 else 4 if roll < 0.97 else 5
        issued_on = today - timedelta(days=rng.randint(30, 900))
        product = _Product(
            family=family,
            name=_product_name(rng.choice(family.lines), rng.choice(family.sizes)),
            producer=producer,
        )
        records.append(
            _record(
                record_id=100_001 + i,
                product=product,
                star=star,
                national=star == 5 and rng.random() < 0.5,
                issued_on=issued_on,
                explicit_expiry=rng.random() >= 1 / 3,
                address=_address(family.place, issued_on, rng),
                seed=seed,
            )
        )
    return records


def _running_total(values: Sequence[int]) -> list[int]:
    total, out = 0, []
    for value in values:
        total += value
        out.append(total)
    return out


def dump_records(records: list[dict]) -> str:
    """The snapshot file's text: indented, UTF-8 Vietnamese left readable."""
    return json.dumps(records, ensure_ascii=False, indent=1) + "\n"


def main(argv: list[str] | None = None) -> int:
    """Write the snapshot and print a one-line summary."""
    parser = argparse.ArgumentParser(
        prog="python -m marketplace.demo.build_snapshot",
        description="Generate the bundled Hanoi OCOP registry snapshot.",
    )
    parser.add_argument("--today", type=date.fromisoformat, default=REFERENCE_DATE)
    parser.add_argument("--count", type=int, default=300)
    parser.add_argument("--seed", type=int, default=2020)
    parser.add_argument("--out", type=Path, default=SNAPSHOT_PATH)
    parser.add_argument(
        "--scaled", action="store_true", help="many valid-looking records, for benchmarks"
    )
    args = parser.parse_args(argv)
    build = build_scaled_records if args.scaled else build_records
    records = build(today=args.today, count=args.count, seed=args.seed)
    text = dump_records(records)
    args.out.write_text(text, encoding="utf-8")
    print(f"Wrote {len(records)} records ({len(text.encode()) // 1024} KB) to {args.out}")
    return 0


if __name__ == "__main__":
    raise SystemExit(main())

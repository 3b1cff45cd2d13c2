"""The Hanoi craft villages and product lines the demo snapshot is built
from, read from `data/families.json` and `data/people.json`.

The village and product names come from Hanoi's 2020 OCOP report (Bát Tràng
ceramics, Tam Hưng's Bắc thơm số 7 rice, Đồng Phú organic rice, Thanh Hà
sprouts, Kinoco Thanh Cao enoki, Phù Đổng milk, Minh Dương vermicelli,
Chuyên Mỹ mother-of-pearl inlay, Phú Vinh rattan, Hạ Thái lacquer, Vạn Phúc
silk) plus a few well-known herb and tea villages so that every registry
`type` appears. Producers, people and contact details are invented; the
post-2025 commune each old commune merged into is a best-effort mapping.
Demo data only: nothing here is an official record.
"""

from __future__ import annotations

from dataclasses import dataclass

from .content import data_load


@dataclass(frozen=True)
class Place:
    """A producer's locality under both address systems (design.md §7)."""

    commune: str  # two-level, since 2025-07-01: "Xã Bát Tràng"
    legacy_commune: str  # three-level, before: "Xã Bát Tràng"
    legacy_district: str  # "Huyện Gia Lâm"


@dataclass(frozen=True)
class Family:
    """A village's product lines, the size variants they come in and who makes them.

    `share` is the family's weight in a 300-record snapshot; `premium`
    families are the only ones that may carry 5★ (national or potential).
    """

    key: str
    type: str
    place: Place
    lines: tuple[str, ...]
    sizes: tuple[str, ...]
    producers: tuple[str, ...]
    description: str
    story: str
    share: int
    premium: bool = False


def _family(spec: dict) -> Family:
    return Family(
        key=spec["key"],
        type=spec["type"],
        place=Place(**spec["place"]),
        lines=tuple(spec["lines"]),
        sizes=tuple(spec["sizes"]),
        producers=tuple(spec["producers"]),
        description=spec["description"],
        story=spec["story"],
        share=spec["share"],
        premium=spec["premium"],
    )


_families = data_load("families.json")
PROVINCE: str = _families["province"]
FAMILIES: tuple[Family, ...] = tuple(_family(spec) for spec in _families["families"])

_people = data_load("people.json")
SURNAMES: tuple[str, ...] = tuple(_people["surnames"])
MALE_MIDDLE: tuple[str, ...] = tuple(_people["male_middle"])
FEMALE_MIDDLE: tuple[str, ...] = tuple(_people["female_middle"])
MALE_GIVEN: tuple[str, ...] = tuple(_people["male_given"])
FEMALE_GIVEN: tuple[str, ...] = tuple(_people["female_given"])
PHONE_PREFIXES: tuple[str, ...] = tuple(_people["phone_prefixes"])

"""The demo's own values, read from the JSON files under `data/`: the
operator account, the prices the demo gives synced products so the shop is
alive, and the fairs, events and craft villages of the CMS sections.

Product data itself comes from the bundled Hanoi registry snapshot
(`data/hanoi_snapshot.json`), through the real sync.

The fairs' and events' names and venues come from Hanoi's 2020 OCOP report;
their days and hours (`start_at`/`end_at`, Hanoi wall-clock times) are
approximate, as the report gives no timetable, and each page says so.
Villages are real and well known: their texts stay general and give no
figures. The producers linked to them, like every producer in the demo, are
invented (`data/families.json`). A fair's `exhibitors` and a village's
`families` name those producer families by key.

Read at import, so a missing or broken file stops `demo_setup` at once
rather than half-way through seeding.
"""

import json
from decimal import Decimal
from pathlib import Path

DATA_DIR = Path(__file__).resolve().with_name("data")
# What the stand-in registry serves in `make run` (settings.dev REGISTRY_URL).
SNAPSHOT_PATH = DATA_DIR / "hanoi_snapshot.json"


def data_load(name: str):
    """One JSON file of `data/`, parsed."""
    return json.loads((DATA_DIR / name).read_text(encoding="utf-8"))


_site = data_load("site.json")
OPERATOR_USERNAME: str = _site["operator"]["username"]
OPERATOR_EMAIL: str = _site["operator"]["email"]
# (lowest, highest) price in đồng by the registry's type code
PRICE_RANGES: dict[str, tuple[Decimal, Decimal]] = {
    code: (Decimal(low), Decimal(high)) for code, (low, high) in _site["price_ranges"].items()
}

_fairs = data_load("fairs.json")
ORGANIZER_HANOI: str = _fairs["organizer"]
APPROXIMATE_NOTE: str = _fairs["approximate_note"]
SAMPLE_NOTE: str = _fairs["sample_note"]
# `products` picks a query ("query") or a hand-chosen ("chosen") products block
FAIRS_2020: list[dict] = _fairs["fairs_2020"]
SAMPLE_FAIR: dict = _fairs["sample_fair"]

EVENTS_2020: list[dict] = data_load("events.json")["events_2020"]

_villages = data_load("villages.json")
VILLAGE_DEMO_NOTE: str = _villages["demo_note"]
VILLAGE_PROVINCE: str = _villages["province"]  # as the registry sync stores Producer.province
# `ward` is the post-2025 commune (families.json `place.commune`)
VILLAGES: list[dict] = _villages["villages"]

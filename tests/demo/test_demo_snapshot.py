"""The bundled Hanoi snapshot exercises every listing rule and stays reproducible."""

import json
import re
import time
from collections import Counter
from datetime import date, timedelta

import pytest

from marketplace.demo.build_snapshot import (
    REFERENCE_DATE,
    build_records,
    build_scaled_records,
    certificate_expiry,
    dump_records,
)
from marketplace.demo.content import SNAPSHOT_PATH

TYPES = {"food", "drink", "herbs", "cloth", "keepsake", "travel"}
KEYS = {
    "id",
    "name",
    "type",
    "ocop_star",
    "description",
    "story",
    "ocop_certificate_number",
    "issued_on",
    "expiry_date",
    "is_national",
    "image",
    "manufacturer",
}
MANUFACTURER_KEYS = {"name", "representative", "address", "phone_number", "email"}
TWO_LEVEL = re.compile(r"^(Xã|Phường) [^,]+, Thành phố Hà Nội$")
THREE_LEVEL = re.compile(r"^(Xã|Phường) [^,]+, (Huyện|Quận|Thị xã) [^,]+, Thành phố Hà Nội$")


@pytest.fixture(scope="module")
def snapshot() -> list[dict]:
    return json.loads(SNAPSHOT_PATH.read_text(encoding="utf-8"))


def _expiry(record: dict) -> date:
    if record["expiry_date"]:
        return date.fromisoformat(record["expiry_date"])
    return certificate_expiry(date.fromisoformat(record["issued_on"]))


def test_committed_snapshot_matches_the_generator(snapshot):
    # given the generator's defaults (reference date 2026-11-28, seed 2020)
    # when it is run again
    text = dump_records(build_records(today=REFERENCE_DATE))
    # then it reproduces the committed file byte for byte
    assert text == SNAPSHOT_PATH.read_text(encoding="utf-8")


def test_snapshot_is_small_enough_to_commit():
    # then the file stays under 600 KB
    assert SNAPSHOT_PATH.stat().st_size < 600 * 1024


def test_snapshot_has_about_300_records_with_unique_ids(snapshot):
    # then there are about 300 records and no id repeats
    ids = [r["id"] for r in snapshot]
    assert 280 <= len(snapshot) <= 320
    assert len(set(ids)) == len(ids)
    assert all(isinstance(i, int) and i > 0 for i in ids)


def test_records_have_the_registry_shape(snapshot):
    # then every record carries exactly the API's fields, well typed
    for record in snapshot:
        assert set(record) == KEYS
        assert set(record["manufacturer"]) == MANUFACTURER_KEYS
        assert record["type"] in TYPES
        assert record["ocop_star"] in {1, 2, 3, 4, 5}
        assert record["image"] in (None, f"/media/ocop/{record['id']}.jpg")
        assert record["name"] and record["description"] and record["story"]
        date.fromisoformat(record["issued_on"])
        maker = record["manufacturer"]
        assert re.fullmatch(r"0[983]\d{8}", maker["phone_number"]), maker
        assert re.fullmatch(r"[a-z0-9.]+@example\.vn", maker["email"]), maker
        assert maker["representative"]


def test_about_three_records_in_four_name_a_photo_on_the_registry(snapshot):
    # then the photos are paths on the registry (the stand-in draws them),
    # never downloads, and a quarter of the products show the sector picture
    with_photo = [r for r in snapshot if r["image"]]
    assert 0.65 <= len(with_photo) / len(snapshot) <= 0.85
    assert {r["type"] for r in with_photo} == TYPES


def test_explicit_expiry_is_36_months_after_issue_and_a_third_are_null(snapshot):
    # given the records that carry an expiry date
    explicit = [r for r in snapshot if r["expiry_date"] is not None]
    # then each is the signing date + 36 months, and about a third leave it null
    for record in explicit:
        issued = date.fromisoformat(record["issued_on"])
        assert record["expiry_date"] == certificate_expiry(issued).isoformat()
    assert 0.25 <= 1 - len(explicit) / len(snapshot) <= 0.42


def test_all_six_types_are_present(snapshot):
    # then every registry type code appears, tourism included
    types = Counter(r["type"] for r in snapshot)
    assert set(types) == TYPES
    assert types["travel"] >= 5
    assert any("Du lịch trải nghiệm làng gốm Bát Tràng" in r["name"] for r in snapshot)


def test_stars_are_mostly_three_and_four_with_a_few_low_ones(snapshot):
    # then 3★/4★ dominate, and about 8 records have 1–2★ (never to be listed)
    stars = Counter(r["ocop_star"] for r in snapshot)
    assert stars[3] + stars[4] >= 0.85 * len(snapshot)
    assert 6 <= stars[1] + stars[2] <= 10


def test_five_stars_are_national_or_potential(snapshot):
    # then some 5★ are national, some are the province's "potential 5★"
    five = [r for r in snapshot if r["ocop_star"] == 5]
    national = [r for r in five if r["is_national"]]
    potential = [r for r in five if not r["is_national"]]
    assert len(national) >= 3 and len(potential) >= 3
    assert all(r["ocop_certificate_number"].endswith("/QĐ-BNN-KTHT") for r in national)
    # and only national 5★ are national
    assert all(r["ocop_star"] == 5 for r in snapshot if r["is_national"])


def test_certificate_numbers_look_like_decisions(snapshot):
    # then each is a decision number of the province or the ministry
    pattern = re.compile(r"\d+/QĐ-(UBND|BNN-KTHT)")
    assert all(pattern.fullmatch(r["ocop_certificate_number"]) for r in snapshot)


def test_validity_mix_around_the_reference_date(snapshot):
    # given the reference date the snapshot was built for
    today = REFERENCE_DATE
    expiries = [_expiry(r) for r in snapshot]
    issued = [date.fromisoformat(r["issued_on"]) for r in snapshot]
    # then about 20 have expired, about 15 expire within 30 days, the rest are valid
    expired = sum(e < today for e in expiries)
    expiring = sum(today <= e <= today + timedelta(days=30) for e in expiries)
    assert 15 <= expired <= 25
    assert 10 <= expiring <= 20
    # and nothing is signed in the future
    assert max(issued) < today


def test_both_address_forms_follow_the_2025_reform(snapshot):
    # given each record's producer address and signing date
    reform = date(2025, 7, 1)
    two = [r for r in snapshot if TWO_LEVEL.match(r["manufacturer"]["address"])]
    three = [r for r in snapshot if THREE_LEVEL.match(r["manufacturer"]["address"])]
    # then every address has one of the two forms, and both forms occur
    assert len(two) + len(three) == len(snapshot)
    assert two and three
    # and certificates signed since the reform carry the two-level form
    assert all(date.fromisoformat(r["issued_on"]) < reform for r in three)
    older = [r for r in snapshot if date.fromisoformat(r["issued_on"]) < reform]
    assert len([r for r in older if r in three]) >= 0.7 * len(older)


def test_key_real_names_are_present(snapshot):
    # given the text of all product and producer names and addresses
    text = " ".join(
        f"{r['name']} {r['manufacturer']['name']} {r['manufacturer']['address']}" for r in snapshot
    )
    # then the names from Hanoi's 2020 OCOP report are there
    for name in (
        "Bát Tràng",
        "Gia Lâm",
        "Bắc thơm số 7",
        "Tam Hưng",
        "Thanh Oai",
        "Đồng Phú",
        "Chương Mỹ",
        "Giá đỗ Thanh Hà",
        "Nấm kim châm Kinoco",
        "Thanh Cao",
        "Sữa tươi Phù Đổng",
        "Minh Dương",
        "Khảm trai Chuyên Mỹ",
        "Phú Xuyên",
        "Mây tre đan Phú Vinh",
        "Sơn mài Hạ Thái",
        "Thường Tín",
        "Lụa Vạn Phúc",
        "Hà Đông",
    ):
        assert name.lower() in text.lower(), name


def test_producers_span_all_four_kinds(snapshot):
    # then cooperatives, companies, household businesses and cooperative groups appear
    makers = {r["manufacturer"]["name"] for r in snapshot}
    for prefix in ("HTX ", "Công ty TNHH ", "Hộ kinh doanh ", "Tổ hợp tác "):
        assert any(m.startswith(prefix) for m in makers), prefix
    # and several producers share a village
    assert len(makers) < len(snapshot) / 2


@pytest.mark.parametrize("today", [date(2025, 3, 1), date(2028, 2, 29)])
def test_mix_holds_for_other_reference_dates(today):
    # given a snapshot built for another day (one a leap day)
    records = build_records(today=today)
    expiries = [_expiry(r) for r in records]
    # then the validity mix is the same
    assert sum(e < today for e in expiries) == 20
    assert sum(today <= e <= today + timedelta(days=30) for e in expiries) == 15


def test_scaled_records_are_many_unique_and_valid_looking():
    # given a request for 20,000 records
    started = time.monotonic()
    records = build_scaled_records(today=REFERENCE_DATE, count=20_000, seed=1)
    elapsed = time.monotonic() - started
    # then they come quickly, with unique ids clear of the demo's
    assert len(records) == 20_000
    assert len({r["id"] for r in records}) == 20_000
    assert min(r["id"] for r in records) > 100_000
    assert elapsed < 10
    # and they are listable-looking: 3★+ and in date
    assert all(r["ocop_star"] >= 3 for r in records)
    assert all(_expiry(r) > REFERENCE_DATE for r in records)
    # and producers are shared roughly as nationally (about 2 products each)
    makers = {r["manufacturer"]["name"] for r in records}
    assert 5_000 <= len(makers) <= 12_000

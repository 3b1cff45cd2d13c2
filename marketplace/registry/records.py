"""Validation of one raw registry record.

The registry is an outside system: any field may be missing, mistyped or
nonsensical. Each record is checked on its own, so one bad record is
rejected with a reason while the rest of the crawl still syncs.
"""

import hashlib
import json
import re
from dataclasses import dataclass
from datetime import date

from marketplace.registry.addresses import ParsedAddress, address_parse
from marketplace.registry.models import (
    SECTOR_BY_TYPE,
    ProducerKind,
    ProductType,
    expiry_from_issue,
)
from search.folding import nfc

_EMAIL = re.compile(r"^[^@\s]+@[^@\s]+\.[^@\s]+$")


class RecordRejected(ValueError):
    """A record we refuse, with a reason an operator can act on."""


@dataclass(frozen=True)
class ProducerData:
    registry_key: str
    name: str
    kind: str
    representative: str
    phone: str
    email: str
    address: ParsedAddress


@dataclass(frozen=True)
class CertificateData:
    registry_id: int
    number: str
    name: str
    stars: int
    is_potential_five_star: bool
    is_national: bool
    issued_on: date
    expiry_date: date
    product_type: str
    sector: str
    description: str
    story: str
    producer: ProducerData
    raw: dict
    raw_digest: str


def raw_digest(record: dict) -> str:
    """A stable fingerprint of the raw record, to spot changes in fields we
    do not track one by one (description, story, contacts)."""
    canonical = json.dumps(record, sort_keys=True, ensure_ascii=False, separators=(",", ":"))
    return hashlib.blake2b(canonical.encode(), digest_size=16).hexdigest()


def producer_key(name: str) -> str:
    """The identity of a producer across syncs: its folded name."""
    return nfc(name).casefold()


def producer_kind(name: str) -> str:
    """Guess the legal form from the name's customary prefix."""
    folded = nfc(name).casefold()
    if folded.startswith(("tổ hợp tác", "tht ")):
        return ProducerKind.COOPERATIVE_GROUP
    if folded.startswith(("hợp tác xã", "htx")):
        return ProducerKind.COOPERATIVE
    if folded.startswith(("công ty", "cty", "doanh nghiệp", "dntn")):
        return ProducerKind.COMPANY
    if folded.startswith(("hộ kinh doanh", "hkd", "hộ sản xuất", "cơ sở")):
        return ProducerKind.HOUSEHOLD
    return ProducerKind.OTHER


def _date(record: dict, field: str, *, required: bool) -> date | None:
    value = record.get(field)
    if value in (None, ""):
        if required:
            raise RecordRejected(f"thiếu {field} (missing {field})")
        return None
    try:
        return date.fromisoformat(str(value)[:10])
    except ValueError:
        raise RecordRejected(
            f"{field} không hợp lệ: {value!r} (invalid {field}, expected YYYY-MM-DD)"
        ) from None


def _stars(record: dict) -> int:
    value = record.get("ocop_star")
    if isinstance(value, bool) or not isinstance(value, int | str):
        raise RecordRejected(f"ocop_star không hợp lệ: {value!r} (invalid star rating)")
    try:
        stars = int(value)
    except ValueError:
        raise RecordRejected(f"ocop_star không hợp lệ: {value!r} (invalid star rating)") from None
    if not 1 <= stars <= 5:
        raise RecordRejected(f"ocop_star ngoài khoảng 1-5: {stars} (star rating out of range)")
    return stars


def _producer(record: dict) -> ProducerData:
    manufacturer = record.get("manufacturer")
    if not isinstance(manufacturer, dict):
        raise RecordRejected("thiếu thông tin chủ thể (missing manufacturer)")
    name = nfc(manufacturer.get("name"))
    if not name:
        raise RecordRejected("thiếu tên chủ thể (missing manufacturer.name)")
    email = nfc(manufacturer.get("email"))
    if email and not _EMAIL.match(email):
        email = ""  # a bad e-mail must not sink an otherwise good record
    return ProducerData(
        registry_key=producer_key(name),
        name=name[:255],
        kind=producer_kind(name),
        representative=nfc(manufacturer.get("representative"))[:255],
        phone=nfc(manufacturer.get("phone_number"))[:40],
        email=email[:254],
        address=address_parse(nfc(manufacturer.get("address"))[:500]),
    )


def record_validate(record) -> CertificateData:
    """Turn a raw record into typed data, or raise RecordRejected."""
    if not isinstance(record, dict):
        raise RecordRejected(f"bản ghi không phải đối tượng JSON: {type(record).__name__}")
    if "_rejected_reason" in record:  # a decision-list row the importer refused
        raise RecordRejected(str(record["_rejected_reason"]))
    registry_id = record.get("id")
    if isinstance(registry_id, bool) or not isinstance(registry_id, int):
        raise RecordRejected(f"thiếu hoặc sai id: {registry_id!r} (missing or invalid id)")
    name = nfc(record.get("name"))
    if not name:
        raise RecordRejected("thiếu tên sản phẩm (missing name)")
    number = nfc(record.get("ocop_certificate_number"))
    if not number:
        raise RecordRejected("thiếu số chứng nhận (missing ocop_certificate_number)")
    product_type = nfc(record.get("type")).lower()
    if product_type not in ProductType.values:
        raise RecordRejected(f"nhóm sản phẩm không rõ: {record.get('type')!r} (unknown type)")
    stars = _stars(record)
    issued_on = _date(record, "issued_on", required=True)
    expiry_date = _date(record, "expiry_date", required=False) or expiry_from_issue(issued_on)
    if expiry_date < issued_on:
        raise RecordRejected(
            f"ngày hết hạn {expiry_date} trước ngày cấp {issued_on} (expiry before issue)"
        )
    is_national = bool(record.get("is_national"))
    return CertificateData(
        registry_id=registry_id,
        number=number[:100],
        name=name[:255],
        stars=stars,
        is_potential_five_star=stars == 5 and not is_national,
        is_national=is_national,
        issued_on=issued_on,
        expiry_date=expiry_date,
        product_type=product_type,
        sector=SECTOR_BY_TYPE[ProductType(product_type)],
        description=nfc(record.get("description")),
        story=str(record.get("story") or "").strip(),
        producer=_producer(record),
        raw=record,
        raw_digest=raw_digest(record),
    )

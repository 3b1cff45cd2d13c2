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

from marketplace.registry.addresses import ParsedAddress, address_parse, province_2025
from marketplace.registry.models import (
    SECTOR_BY_TYPE,
    Certificate,
    Producer,
    ProducerKind,
    ProductType,
    expiry_from_issue,
)
from search.folding import fold, nfc

_PRODUCT_TYPES = frozenset(ProductType.values)
_EMAIL = re.compile(r"^[^@\s]+@[^@\s]+\.[^@\s]+$")


class RecordRejected(ValueError):
    """A record we refuse, with a reason an operator can act on."""


@dataclass(frozen=True)
class ProducerData:
    registry_key: str
    registry_province: str
    name: str
    kind: str
    representative: str
    phone: str
    email: str
    address: ParsedAddress

    @property
    def identity(self) -> tuple[str, str]:
        """Who this producer is across records and syncs: (folded name,
        post-2025 province). The registry has no producer id."""
        return (self.registry_key, self.registry_province)


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
    """The name half of a producer's identity: its folded name."""
    return nfc(name).casefold()


def certificate_match_keys(
    *, number: str, name: str, producer: tuple[str, str], issued_on: date
) -> tuple[tuple, tuple]:
    """What makes a list row and a national record the same certification,
    used only across sources (within one, the registry id is the identity).

    The producer's identity and the folded product name, with either the
    decision number (without spaces or diacritics: "QĐ" ≡ "QD") or the
    decision date: the national API's number may be the certificate's own
    number rather than the decision's that a list prints.
    """
    product = (fold(name), producer)
    return (("number", fold(number).replace(" ", ""), *product), ("date", issued_on, *product))


def _limit(value: str, model, field: str, label: str) -> str:
    """Refuse a value longer than its column rather than cut it: a cut name
    is a different name, silently."""
    limit = model._meta.get_field(field).max_length
    if len(value) > limit:
        raise RecordRejected(f"{label} dài {len(value)} ký tự, tối đa {limit} ({label}: too long)")
    return value


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
    if email and (not _EMAIL.match(email) or len(email) > 254):
        email = ""  # a bad e-mail must not sink an otherwise good record
    address = address_parse(
        _limit(nfc(manufacturer.get("address")), Producer, "address_raw", "manufacturer.address")
    )
    return ProducerData(
        registry_key=producer_key(_limit(name, Producer, "name", "manufacturer.name")),
        registry_province=province_2025(address.province),
        name=name,
        kind=producer_kind(name),
        representative=_limit(
            nfc(manufacturer.get("representative")),
            Producer,
            "representative",
            "manufacturer.representative",
        ),
        phone=_limit(
            nfc(manufacturer.get("phone_number")), Producer, "phone", "manufacturer.phone_number"
        ),
        email=email,
        address=address,
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
    _limit(name, Certificate, "name", "name")
    number = nfc(record.get("ocop_certificate_number"))
    if not number:
        raise RecordRejected("thiếu số chứng nhận (missing ocop_certificate_number)")
    _limit(number, Certificate, "number", "ocop_certificate_number")
    product_type = nfc(record.get("type")).lower()
    if product_type not in _PRODUCT_TYPES:
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
        number=number,
        name=name,
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

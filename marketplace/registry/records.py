"""Validation of one raw registry record.

The registry is an outside system: any field may be missing, mistyped or
nonsensical. Each record is checked on its own, so one bad record is
rejected with a reason while the rest of the crawl still syncs.
"""

import hashlib
import json
import re
import unicodedata
from dataclasses import dataclass
from datetime import date

from marketplace.ocop.models import (
    SECTOR_BY_TYPE,
    Certificate,
    Producer,
    ProducerKind,
    ProductType,
    expiry_from_issue,
)
from marketplace.ocop.text import fold, nfc
from marketplace.registry.addresses import ParsedAddress, address_parse, province_2025

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
    # The photo URLs the record names, main one first (`record_photos`).
    photos: tuple[str, ...] = ()


def raw_digest(record: dict) -> str:
    """A stable fingerprint of the raw record, to spot changes in fields we
    do not track one by one (description, story, contacts)."""
    canonical = json.dumps(record, sort_keys=True, ensure_ascii=False, separators=(",", ":"))
    return hashlib.blake2b(canonical.encode(), digest_size=16).hexdigest()


# Vietnamese writes a tone mark on "oa", "oe" and "uy" two ways: the old
# style on the first vowel ("Hoà", "thuỷ") and the new on the second ("Hòa",
# "thủy"). The registry mixes them, even for one producer.
_TONES = "\u0300\u0301\u0309\u0303\u0323"  # huyền, sắc, hỏi, ngã, nặng
_OLD_STYLE_TONE = re.compile(rf"([oO])([{_TONES}])([aAeE])|([uU])([{_TONES}])([yY])")


def _tone_new_style(text: str) -> str:
    decomposed = unicodedata.normalize("NFD", text)
    moved = _OLD_STYLE_TONE.sub(
        lambda m: f"{m[1]}{m[3]}{m[2]}" if m[1] else f"{m[4]}{m[6]}{m[5]}", decomposed
    )
    return unicodedata.normalize("NFC", moved)


def producer_key(name: str) -> str:
    """The name half of a producer's identity: its folded name, with tone
    marks in one placement ("HTX Hoà Bình" ≡ "HTX Hòa Bình")."""
    return _tone_new_style(nfc(name)).casefold()


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
    return (("number", decision_number_key(number), *product), ("date", issued_on, *product))


_DASHES = re.compile(r"[\u2010-\u2015\u2212]")


def decision_number_key(number: str) -> str:
    """A decision number as written many ways, one way: "Số 01234/QĐ–UBND",
    "1234 / QD-UBND" and "1234/QĐ-UBND" are one decision."""
    text = fold(_DASHES.sub("-", number)).replace(" ", "")
    text = re.sub(r"^(so|qdso|quyetdinhso)[:.]?", "", text)
    return re.sub(r"^0+(?=[0-9])", "", text)


REGISTRY_ID_RANGE = range(-(2**63) + 1, 2**63)  # a PostgreSQL bigint
_DIGITS = re.compile(r"^-?[0-9]+$")  # [0-9], not str.isdigit(), which takes "²"
_DATE_RANGE = (date(2000, 1, 1), date(2100, 12, 31))


def record_id(record) -> int | None:
    """The id a record names, even one sent as "123" or 123.0, or None:
    a record that is unreadable otherwise may still name a known product,
    which must then count as seen, not absent."""
    value = record.get("id") if isinstance(record, dict) else None
    if isinstance(value, bool):
        return None
    if isinstance(value, float) and value.is_integer():
        value = int(value)
    if isinstance(value, str) and _DIGITS.match(value.strip()):
        value = int(value.strip())
    return value if isinstance(value, int) and value in REGISTRY_ID_RANGE else None


def _text(
    mapping: dict, field: str, label: str, *, numbers: bool = False, paragraphs: bool = False
) -> str:
    """A text field as NFC (single-spaced, unless it keeps `paragraphs`),
    refusing lists, objects and the like: str() of ["HTX A"] would name a
    producer "['HTX A']"."""
    value = mapping.get(field)
    if value is None:
        return ""
    if numbers and isinstance(value, int | float) and not isinstance(value, bool):
        value = str(value)
    if not isinstance(value, str):
        raise RecordRejected(
            f"{label} không phải chuỗi: {type(value).__name__} ({label}: not a string)"
        )
    return unicodedata.normalize("NFC", value).strip() if paragraphs else nfc(value)


def storable(value):
    """A raw value PostgreSQL can store: its text cannot hold NUL."""
    if isinstance(value, str):
        return value.replace("\x00", "\ufffd")
    if isinstance(value, dict):
        return {storable(k): storable(v) for k, v in value.items()}
    if isinstance(value, list):
        return [storable(v) for v in value]
    return value


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
    if not isinstance(value, str):
        raise RecordRejected(
            f"{field} không phải chuỗi ngày: {type(value).__name__} ({field}: not a date string)"
        )
    try:
        parsed = date.fromisoformat(value[:10])
    except ValueError:
        raise RecordRejected(
            f"{field} không hợp lệ: {str(value)[:40]!r} (invalid {field}, expected YYYY-MM-DD)"
        ) from None
    if not _DATE_RANGE[0] <= parsed <= _DATE_RANGE[1]:
        raise RecordRejected(f"{field} ngoài khoảng 2000-2100: {parsed} (implausible {field})")
    return parsed


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


MAX_PHOTOS = 8
_URL_MAX = 2000


def record_photos(record: dict) -> tuple[str, ...]:
    """The photo URLs a record names, in order, each once, at most 8.

    The national API sends one URL (or null) in `image`; a list of URLs is
    taken too. A photo is never a reason to refuse a record: a value that is
    no URL at all is kept as its text, so the photo step refuses it with a
    reason while the certificate syncs."""
    value = record.get("image")
    values = value if isinstance(value, list) else [value]
    photos: list[str] = []
    for item in values:
        if item is None or item == "":
            continue
        text = item.strip() if isinstance(item, str) else json.dumps(item, ensure_ascii=False)
        text = storable(text)[:_URL_MAX]
        if text and text not in photos:
            photos.append(text)
    return tuple(photos[:MAX_PHOTOS])


def _producer(record: dict) -> ProducerData:
    manufacturer = record.get("manufacturer")
    if not isinstance(manufacturer, dict):
        raise RecordRejected("thiếu thông tin chủ thể (missing manufacturer)")
    name = _text(manufacturer, "name", "manufacturer.name")
    if not name:
        raise RecordRejected("thiếu tên chủ thể (missing manufacturer.name)")
    email = _text(manufacturer, "email", "manufacturer.email")
    if email and (not _EMAIL.match(email) or len(email) > 254):
        email = ""  # a bad e-mail must not sink an otherwise good record
    address = address_parse(
        _limit(
            _text(manufacturer, "address", "manufacturer.address"),
            Producer,
            "address_raw",
            "manufacturer.address",
        )
    )
    return ProducerData(
        registry_key=producer_key(_limit(name, Producer, "name", "manufacturer.name")),
        registry_province=province_2025(address.province),
        name=name,
        kind=producer_kind(name),
        representative=_limit(
            _text(manufacturer, "representative", "manufacturer.representative"),
            Producer,
            "representative",
            "manufacturer.representative",
        ),
        phone=_limit(
            _text(manufacturer, "phone_number", "manufacturer.phone_number", numbers=True),
            Producer,
            "phone",
            "manufacturer.phone_number",
        ),
        email=email,
        address=address,
    )


def record_validate(record) -> CertificateData:
    """Turn a raw record into typed data, or raise RecordRejected.

    Never raises anything else: one record the registry garbled in a way we
    did not foresee must be rejected with a reason, not fail the sync.
    """
    try:
        return _record_validate(record)
    except RecordRejected:
        raise
    except Exception as exc:
        raise RecordRejected(
            f"bản ghi không đọc được ({type(exc).__name__}: {str(exc)[:80]}) (unreadable record)"
        ) from None


def _record_validate(record) -> CertificateData:
    if not isinstance(record, dict):
        raise RecordRejected(f"bản ghi không phải đối tượng JSON: {type(record).__name__}")
    if "_rejected_reason" in record:  # a decision-list row the importer refused
        raise RecordRejected(str(record["_rejected_reason"]))
    registry_id = record.get("id")
    if (
        isinstance(registry_id, bool)
        or not isinstance(registry_id, int)
        or registry_id not in REGISTRY_ID_RANGE
    ):
        raise RecordRejected(
            f"thiếu hoặc sai id: {str(registry_id)[:40]!r} (missing or invalid id)"
        )
    digest = raw_digest(record)
    if "\\u0000" in json.dumps(record, ensure_ascii=False):
        raise RecordRejected("bản ghi chứa ký tự NUL (record contains a NUL character)")
    name = _text(record, "name", "name")
    if not name:
        raise RecordRejected("thiếu tên sản phẩm (missing name)")
    _limit(name, Certificate, "name", "name")
    number = _text(record, "ocop_certificate_number", "ocop_certificate_number", numbers=True)
    if not number:
        raise RecordRejected("thiếu số chứng nhận (missing ocop_certificate_number)")
    _limit(number, Certificate, "number", "ocop_certificate_number")
    product_type = _text(record, "type", "type").lower()
    if product_type not in _PRODUCT_TYPES:
        raise RecordRejected(f"nhóm sản phẩm không rõ: {product_type[:40]!r} (unknown type)")
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
        description=_text(record, "description", "description"),
        story=_text(record, "story", "story", paragraphs=True),
        producer=_producer(record),
        raw=record,
        raw_digest=digest,
        photos=record_photos(record),
    )

"""payOS's two HMAC-SHA256 signatures and the VietQR string, without the SDK.

The stand-in must sign exactly as payOS does, or the SDK refuses its answers;
written out here (stdlib only) so the stand-in runs in a bare interpreter,
and checked against the SDK's own verifier in tests/payments.
"""

from __future__ import annotations

import hashlib
import hmac
import json
from typing import Any

# The fields payOS signs a create request over, in this order.
CREATE_FIELDS = ("amount", "cancelUrl", "description", "orderCode", "returnUrl")


def _text(value: Any) -> str:
    if isinstance(value, bool):
        return "true" if value else "false"
    if value is None:
        return ""
    return str(value)


def data_query(data: dict[str, Any]) -> str:
    """`key=value&…` over sorted keys, as payOS signs response and webhook
    data: null (and the strings "null"/"undefined") as empty, lists as
    compact JSON with each object's keys sorted."""
    parts = []
    for key in sorted(data):
        value = data[key]
        if isinstance(value, list):
            items = [
                {k: item[k] for k in sorted(item)} if isinstance(item, dict) else item
                for item in value
            ]
            text = json.dumps(items, separators=(",", ":"), ensure_ascii=False)
        elif isinstance(value, str) and value in ("null", "undefined"):
            text = ""
        else:
            text = _text(value)
        parts.append(f"{key}={text}")
    return "&".join(parts)


def _hmac(key: str, message: str) -> str:
    return hmac.new(key.encode(), message.encode(), hashlib.sha256).hexdigest()


def sign_data(data: dict[str, Any], checksum_key: str) -> str:
    """The `signature` of a response's or webhook's `data`."""
    return _hmac(checksum_key, data_query(data))


def sign_create_request(body: dict[str, Any], checksum_key: str) -> str:
    """The `signature` a merchant puts on a create request."""
    return _hmac(checksum_key, "&".join(f"{f}={_text(body.get(f))}" for f in CREATE_FIELDS))


def _tlv(tag: str, value: str) -> str:
    return f"{tag}{len(value):02d}{value}"


def _crc16(text: str) -> str:
    """CRC-16/CCITT-FALSE, the checksum EMVCo QR payloads end with."""
    crc = 0xFFFF
    for byte in text.encode():
        crc ^= byte << 8
        for _bit in range(8):
            crc = ((crc << 1) ^ 0x1021) if crc & 0x8000 else crc << 1
            crc &= 0xFFFF
    return f"{crc:04X}"


def vietqr_string(*, bin_code: str, account_number: str, amount: int, content: str) -> str:
    """A NAPAS 247 VietQR payload (EMVCo): what every Vietnamese bank app
    scans to prefill account, amount and transfer content."""
    account = _tlv("00", bin_code) + _tlv("01", account_number)
    merchant = _tlv("00", "A000000727") + _tlv("01", account) + _tlv("02", "QRIBFTTA")
    payload = (
        _tlv("00", "01")
        + _tlv("01", "12")
        + _tlv("38", merchant)
        + _tlv("53", "704")
        + _tlv("54", str(amount))
        + _tlv("58", "VN")
        + _tlv("62", _tlv("08", content))
        + "6304"
    )
    return payload + _crc16(payload)

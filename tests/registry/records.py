"""Raw registry records for tests, in the national API's shape."""

from datetime import date, timedelta


def registry_record(registry_id: int, **overrides) -> dict:
    """A valid 4★ record issued a year ago; override any field."""
    issued = date.today() - timedelta(days=365)
    record = {
        "id": registry_id,
        "name": f"Sản phẩm thử {registry_id}",
        "type": "food",
        "ocop_star": 4,
        "description": "Mô tả",
        "story": "",
        "ocop_certificate_number": f"{registry_id}/QĐ-UBND",
        "issued_on": issued.isoformat(),
        "expiry_date": None,
        "is_national": False,
        "image": None,
        "manufacturer": {
            "name": f"HTX Thử nghiệm {registry_id % 3}",
            "representative": "Nguyễn Văn A",
            "address": "Xã Bát Tràng, Thành phố Hà Nội",
            "phone_number": "0912345678",
            "email": f"htx{registry_id % 3}@example.vn",
        },
    }
    record.update(overrides)
    return record

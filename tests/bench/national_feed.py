"""A national-shaped registry feed for `make bench` (issue 12), built from a seed.

The national OCOP API holds about 17,000 certified products from 8,500
producers in the 34 post-2025 provinces (design.md §7, "Scale"). This builds
a feed of that shape, in the API's record format (record_format.md), with the
features that make producer identity hard (design.md §7, "The registry"):

- every producer sits in one of the 34 provinces; Hà Nội has about a fifth
  of the products, the rest are spread by how many old provinces each new one
  absorbed;
- about a third of producers carry their address in both forms on different
  records: the legacy three-level form with the pre-2025 province, often one
  merged away ("Xã Tân Lập, Huyện Lục Ngạn, Tỉnh Bắc Giang"), and the 2025
  two-level form ("Xã Tân Lập, Tỉnh Bắc Ninh"). Of the rest, about a quarter
  use only the legacy form and the others only the 2025 form;
- about 1 producer in 100 shares its name with a producer in another province
  (85 pairs at 8,500), such as "HTX Dịch vụ An Khánh" in Huế and in Hà Nội;
- names carry the usual legal-form prefixes (HTX / Hợp tác xã, Công ty TNHH /
  Cổ phần, Hộ kinh doanh, Tổ hợp tác); stars 3–5 (national 5★ and the
  provinces' "potential 5★"); issued_on within the 3 years before `today`,
  legacy addresses on records signed before 2025-07-01; all six `type` codes.

A producer's contacts are the same on all its records; only the address form
differs, so a sync that is stable under reordering writes no producer row on
a re-sync. Every address string is checked with `address_parse` and
`province_2025` to land in its producer's province; a generator change that
breaks this raises.

    records = national_feed(seed=2025)            # in id order, as the API pages
    again = shuffled(records, seed=7)             # the same records, another order
"""

from __future__ import annotations

import calendar
import math
import random
import unicodedata
from collections.abc import Sequence
from dataclasses import dataclass, field
from datetime import date, timedelta

from marketplace.registry.addresses import (
    PROVINCES_2025,
    PROVINCES_LEGACY,
    address_parse,
    province_2025,
)

REFERENCE_DATE = date(2026, 12, 1)
REFORM_DATE = date(2025, 7, 1)  # two-level addresses from this day (design.md §7)
VALIDITY_MONTHS = 36

DUAL_FORM_SHARE = 1 / 3
LEGACY_ONLY_SHARE = 0.25  # of the producers that use one form only
SHARED_NAME_PAIRS_PER_PRODUCER = 85 / 8500
HANOI_SHARE = 0.2  # ~3,400 of 17,000 products (design.md §7)

# Centrally-run cities write "Thành phố …"; the others "Tỉnh …".
CITIES_2025 = frozenset({"Hà Nội", "Huế", "Hải Phòng", "Đà Nẵng", "Hồ Chí Minh", "Cần Thơ"})
CITIES_LEGACY = frozenset({"Hà Nội", "Hải Phòng", "Đà Nẵng", "Hồ Chí Minh", "Cần Thơ"})

PLACE_SYLLABLES = (
    "An", "Bình", "Hòa", "Phú", "Tân", "Thạnh", "Đông", "Tây", "Nam", "Bắc", "Hưng", "Long",
    "Phước", "Thịnh", "Trung", "Vĩnh", "Quang", "Xuân", "Hải", "Sơn", "Minh", "Đức", "Thành",
    "Thuận", "Lợi", "Khánh", "Lộc", "Mỹ", "Hiệp", "Nghĩa", "Phong", "Yên", "Lạc", "Tiến",
    "Hồng", "Cát", "Tường", "Định", "Kim", "Lâm", "Đồng", "Thái", "Hợp", "Thắng", "Cường",
    "Điền", "Lập", "Chánh",
)  # fmt: skip
SURNAMES = (
    "Nguyễn", "Trần", "Lê", "Phạm", "Hoàng", "Huỳnh", "Vũ", "Võ", "Phan", "Trương", "Bùi",
    "Đặng", "Đỗ", "Ngô", "Hồ", "Dương", "Đinh", "Lý", "Lương", "Mai", "Hà", "Tạ", "Cao",
    "Lò", "Quàng", "Triệu", "Vi", "Nông", "Châu", "Thạch",
)  # fmt: skip
MIDDLE_NAMES = (
    "Văn", "Thị", "Đức", "Minh", "Quang", "Hữu", "Thu", "Ngọc", "Thanh", "Xuân", "Công",
    "Kim", "Bá", "Đình", "Quốc",
)  # fmt: skip
GIVEN_NAMES = (
    "Hùng", "Dũng", "Thắng", "Tuấn", "Cường", "Long", "Sơn", "Hải", "Bình", "Khánh", "Lan",
    "Hoa", "Hương", "Thủy", "Hạnh", "Mai", "Dung", "Huyền", "Nga", "Yến", "Phúc", "Tâm",
    "Trung", "Nam", "Việt", "Hòa", "Linh", "Quyên", "Thảo", "Trang", "Vân", "Hiền", "Lực",
    "Toàn", "Thành", "Đạt", "Hiếu", "Nhung", "Oanh", "Loan",
)  # fmt: skip
PHONE_PREFIXES = ("091", "094", "096", "097", "098", "088", "086", "083", "035", "036", "038")

TYPE_WEIGHTS = {
    "food": 50,
    "drink": 16,
    "herbs": 12,
    "keepsake": 11,
    "cloth": 5,
    "travel": 6,
}
ACTIVITIES = {
    "food": (
        "Nông nghiệp", "Dịch vụ nông nghiệp", "Dịch vụ", "Chăn nuôi", "Thủy sản", "Nấm",
        "Mật ong", "Chế biến nông sản", "Rau an toàn", "Cây ăn quả", "Lúa gạo",
    ),
    "drink": ("Chè", "Cà phê", "Rượu truyền thống", "Trà", "Chè Shan tuyết"),
    "herbs": ("Dược liệu", "Trồng và chế biến dược liệu", "Quế hồi", "Sâm", "Tinh dầu"),
    "keepsake": ("Mây tre đan", "Gốm", "Mộc mỹ nghệ", "Sơn mài", "Cói", "Thủ công mỹ nghệ"),
    "cloth": ("Dệt thổ cẩm", "Dệt lụa", "Thêu ren", "Dệt may"),
    "travel": ("Du lịch cộng đồng", "Du lịch sinh thái", "Du lịch nông nghiệp"),
}  # fmt: skip
COMPANY_ACTIVITIES = (
    "Thực phẩm", "Nông sản", "Thương mại và Dịch vụ", "Đầu tư Nông nghiệp", "Xuất nhập khẩu",
    "Sản xuất và Thương mại", "Chế biến Nông sản",
)  # fmt: skip
PRODUCT_LINES = {
    "food": (
        "Mật ong rừng", "Gạo thơm", "Gạo nếp cái hoa vàng", "Nước mắm cá cơm", "Tương bần",
        "Miến dong", "Bánh đa nem", "Chả cá", "Giò lụa", "Mắm tôm", "Nem chua", "Bánh chưng",
        "Bưởi da xanh", "Cam sành", "Vải thiều sấy khô", "Nhãn lồng", "Mít sấy", "Hạt điều rang",
        "Tỏi cô đơn", "Lạp xưởng", "Khô cá lóc", "Chuối sấy dẻo", "Thịt trâu gác bếp",
        "Hạt mắc ca", "Mứt gừng", "Kẹo lạc", "Bột sắn dây", "Trứng vịt muối",
    ),
    "drink": (
        "Chè Shan tuyết", "Trà xanh", "Trà móc câu", "Cà phê Robusta rang xay",
        "Cà phê Arabica", "Rượu ngô men lá", "Rượu nếp cái", "Rượu sim", "Trà hoa vàng",
        "Trà atiso", "Nước cốt gừng", "Sữa tươi thanh trùng", "Rượu chuối hột",
    ),
    "herbs": (
        "Tinh dầu quế", "Tinh dầu sả chanh", "Cao actiso", "Trà cà gai leo", "Đông trùng hạ thảo",
        "Nấm linh chi", "Cao xương khớp", "Hoài sơn", "Tam thất", "Ba kích tím",
        "Trà giảo cổ lam", "Tinh bột nghệ", "Cao dây thìa canh",
    ),
    "keepsake": (
        "Bình gốm men lam", "Giỏ mây tre đan", "Tranh sơn mài", "Tượng gỗ mỹ nghệ", "Chiếu cói",
        "Nón lá", "Đèn lồng", "Bộ ấm chén gốm", "Khay sơn mài khảm trai", "Lục bình gốm",
        "Hộp gỗ khảm trai", "Túi cói",
    ),
    "cloth": (
        "Khăn thổ cẩm", "Túi thổ cẩm", "Vải lanh", "Khăn lụa tơ tằm", "Áo dài lụa", "Khăn piêu",
        "Tranh thêu tay",
    ),
    "travel": (
        "Du lịch cộng đồng bản", "Điểm du lịch sinh thái", "Homestay làng", "Trải nghiệm làng nghề",
        "Tour miệt vườn",
    ),
}  # fmt: skip
SIZES = {
    "food": ("", "", "hộp 250 g", "hộp 500 g", "túi 1 kg", "loại đặc biệt"),
    "drink": ("", "hộp 100 g", "hộp 200 g", "chai 500 ml", "bình 2 lít"),
    "herbs": ("", "lọ 50 ml", "hộp 100 g", "túi 20 gói"),
    "keepsake": ("", "", "cỡ nhỏ", "cỡ lớn", "bộ quà tặng"),
    "cloth": ("", "", "khổ 40 cm", "khổ 80 cm"),
}
STORIES = (
    "",
    "",
    "Sản phẩm gắn với nghề truyền thống của địa phương, được gìn giữ qua nhiều thế hệ.",
    "Nguyên liệu do các hộ thành viên trồng và thu hái theo quy trình an toàn.",
    "Chủ thể liên kết với nông dân trong vùng để bao tiêu nguyên liệu.",
)


def _seeded(seed: int | str) -> random.Random:
    """Bench data, not secrets: a seeded `random` makes it repeatable."""
    return random.Random(seed)  # noqa: S311


def add_months(day: date, months: int) -> date:
    """`day` moved by whole months, clamped to the month's end."""
    index = day.year * 12 + day.month - 1 + months
    year, month = divmod(index, 12)
    return date(year, month + 1, min(day.day, calendar.monthrange(year, month + 1)[1]))


def name_key(name: str) -> str:
    """Lower-case, accent-free, single-spaced: two names that fold alike are one name."""
    text = unicodedata.normalize("NFC", name).lower().replace("đ", "d")
    text = "".join(c for c in unicodedata.normalize("NFD", text) if not unicodedata.combining(c))
    return " ".join(text.split())


def _allocate(shares: Sequence[float], count: int) -> list[int]:
    """Split `count` in proportion to `shares` (largest remainder, so the sum is exact)."""
    total = sum(shares)
    exact = [share * count / total for share in shares]
    allotted = [math.floor(x) for x in exact]
    by_remainder = sorted(range(len(shares)), key=lambda i: exact[i] - allotted[i], reverse=True)
    for i in by_remainder[: count - sum(allotted)]:
        allotted[i] += 1
    return allotted


@dataclass
class _Producer:
    province: str  # post-2025
    legacy_province: str  # pre-2025, possibly merged into `province` since
    kind: str  # htx | tht | cty | hkd
    main_type: str
    forms: str  # both | legacy | 2025
    name: str = ""
    legacy_address: str = ""
    address_2025: str = ""
    contact: dict = field(default_factory=dict)
    products: int = 1


def _place(rng: random.Random) -> str:
    first, second = rng.sample(PLACE_SYLLABLES, 2)
    return f"{first} {second}"


def _person(rng: random.Random) -> str:
    return f"{rng.choice(SURNAMES)} {rng.choice(MIDDLE_NAMES)} {rng.choice(GIVEN_NAMES)}"


def _producer_name(rng: random.Random, producer: _Producer) -> str:
    activity = rng.choice(ACTIVITIES[producer.main_type])
    if producer.kind == "htx":
        prefix = "Hợp tác xã" if rng.random() < 0.2 else "HTX"
        return f"{prefix} {activity} {_place(rng)}"
    if producer.kind == "tht":
        return f"Tổ hợp tác {activity} {_place(rng)}"
    if producer.kind == "hkd":
        return f"Hộ kinh doanh {_person(rng)}"
    form = rng.choice(("Công ty TNHH", "Công ty TNHH MTV", "Công ty Cổ phần"))
    return f"{form} {rng.choice(COMPANY_ACTIVITIES)} {_place(rng)}"


def _province_label(rng: random.Random, name: str, *, city: bool) -> str:
    if city:
        return rng.choice((f"Thành phố {name}",) * 6 + (f"TP. {name}", f"TP {name}"))
    return rng.choice((f"Tỉnh {name}",) * 9 + (name,))


def _addresses(rng: random.Random, producer: _Producer) -> tuple[str, str]:
    """The producer's (legacy three-level, 2025 two-level) addresses."""
    legacy_city = producer.legacy_province in CITIES_LEGACY
    district_kind = rng.choices(
        ("Quận", "Huyện") if legacy_city else ("Huyện", "Thị xã", "Thành phố"),
        weights=(3, 7) if legacy_city else (80, 12, 8),
    )[0]
    urban = district_kind != "Huyện"
    if urban:
        legacy_ward = "Phường" if rng.random() < 0.7 else "Xã"
    else:
        legacy_ward = "Thị trấn" if rng.random() < 0.15 else "Xã"
    ward_2025 = "Phường" if legacy_ward == "Phường" else "Xã"
    commune = _place(rng)
    # communes merged too: half of them took a new name in 2025
    commune_2025 = commune if rng.random() < 0.5 else _place(rng)
    hamlet = ""
    roll = rng.random()
    if roll < 0.25:
        hamlet = f"{rng.choice(('Thôn', 'Xóm', 'Ấp', 'Bản'))} {_place(rng)}, "
    elif roll < 0.35:
        hamlet = f"Số {rng.randint(1, 250)} đường {_place(rng)}, "
    elif roll < 0.4:
        hamlet = f"Tổ dân phố {rng.randint(1, 20)}, "
    legacy = f"{hamlet}{legacy_ward} {commune}, {district_kind} {_place(rng)}, " + _province_label(
        rng, producer.legacy_province, city=legacy_city
    )
    two_level = f"{hamlet}{ward_2025} {commune_2025}, " + _province_label(
        rng, producer.province, city=producer.province in CITIES_2025
    )
    return legacy, two_level


def _check_address(address: str, province: str, *, legacy: bool) -> None:
    parsed = address_parse(address)
    if province_2025(parsed.province) != province or parsed.is_legacy != legacy or not parsed.ward:
        raise AssertionError(f"{address!r} parsed as {parsed}, meant for {province}")


def _email(name: str, province: str, rng: random.Random) -> str:
    slug = "".join(c for c in name_key(" ".join(name.split()[-2:])) if c.isalnum())
    area = "".join(word[0] for word in name_key(province).split())
    return f"{slug}.{area}{rng.randint(1, 99)}@example.vn"


def _provinces(rng: random.Random, producers: int) -> list[str]:
    """Each producer's post-2025 province: Hà Nội a fifth, the rest by constituents."""
    constituents = {
        p: [q for q in PROVINCES_LEGACY if province_2025(q) == p] for p in PROVINCES_2025
    }
    others = sum(len(v) for p, v in constituents.items() if p != "Hà Nội")
    shares = [
        HANOI_SHARE if p == "Hà Nội" else (1 - HANOI_SHARE) * len(constituents[p]) / others
        for p in PROVINCES_2025
    ]
    provinces = [
        p
        for p, n in zip(PROVINCES_2025, _allocate(shares, producers), strict=True)
        for _ in range(n)
    ]
    rng.shuffle(provinces)
    return provinces


def _producers(rng: random.Random, count: int, products: int) -> list[_Producer]:
    constituents = {
        p: [q for q in PROVINCES_LEGACY if province_2025(q) == p] for p in PROVINCES_2025
    }
    provinces = _provinces(rng, count)
    n_dual = round(count * DUAL_FORM_SHARE)
    n_legacy = round((count - n_dual) * LEGACY_ONLY_SHARE)
    forms = ["both"] * n_dual + ["legacy"] * n_legacy + ["2025"] * (count - n_dual - n_legacy)
    rng.shuffle(forms)
    kinds = rng.choices(("htx", "cty", "hkd", "tht"), weights=(40, 22, 28, 10), k=count)
    types = list(TYPE_WEIGHTS)
    main_types = rng.choices(types, weights=list(TYPE_WEIGHTS.values()), k=count)
    producers = [
        _Producer(
            province=province,
            legacy_province=rng.choice(constituents[province]),
            kind=kind,
            main_type=main_type,
            forms=form,
        )
        for province, kind, main_type, form in zip(provinces, kinds, main_types, forms, strict=True)
    ]

    # unique names, then ~1 in 100 producers share theirs with one in another province
    taken: set[str] = set()
    for producer in producers:
        while True:
            name = _producer_name(rng, producer)
            if name_key(name) not in taken:
                break
        taken.add(name_key(name))
        producer.name = name
    cooperatives = [p for p in producers if p.kind in ("htx", "tht")]
    rng.shuffle(cooperatives)
    pairs = round(count * SHARED_NAME_PAIRS_PER_PRODUCER)
    hue = next((p for p in cooperatives if p.province == "Huế"), None)
    hanoi = next((p for p in cooperatives if p.province == "Hà Nội"), None)
    paired: set[int] = set()
    if pairs and hue and hanoi:  # the case design.md names
        hue.name = hanoi.name = "HTX Dịch vụ An Khánh"
        paired |= {id(hue), id(hanoi)}
        pairs -= 1
    pool = [p for p in cooperatives if id(p) not in paired]
    while pairs and len(pool) >= 2:
        first = pool.pop()
        second = next((p for p in pool if p.province != first.province), None)
        if second is None:
            break
        pool.remove(second)
        second.name = first.name
        pairs -= 1

    for producer in producers:
        producer.legacy_address, producer.address_2025 = _addresses(rng, producer)
        _check_address(producer.legacy_address, producer.province, legacy=True)
        _check_address(producer.address_2025, producer.province, legacy=False)
        representative = (
            producer.name.removeprefix("Hộ kinh doanh ") if producer.kind == "hkd" else _person(rng)
        )
        producer.contact = {
            "representative": representative,
            "phone_number": rng.choice(PHONE_PREFIXES) + f"{rng.randrange(10**7):07d}",
            "email": _email(producer.name, producer.province, rng),
        }

    # products per producer: 1 each, 2 for both-form producers, the rest long-tailed
    for producer in producers:
        producer.products = 2 if producer.forms == "both" else 1
    extra = products - sum(p.products for p in producers)
    if extra < 0:
        raise ValueError(f"{products} products cannot cover {count} producers ({n_dual} dual)")
    weights = [min(rng.paretovariate(1.3), 40.0) for _ in producers]
    for producer in rng.choices(producers, weights=weights, k=extra):
        producer.products += 1
    return producers


def _random_day(rng: random.Random, start: date, end: date) -> date:
    return start + timedelta(days=rng.randint(0, max(0, (end - start).days)))


def national_feed(
    *,
    seed: int = 2025,
    products: int = 17_000,
    producers: int = 8_500,
    today: date = REFERENCE_DATE,
) -> list[dict]:
    """`products` registry records from `producers` producers, in id order.

    Same arguments, same records. `today` anchors the issue dates (the last
    3 years), not the clock, so the feed does not change from day to day.
    """
    rng = _seeded(seed)
    owners = _producers(rng, producers, products)
    window_start = add_months(today, -VALIDITY_MONTHS) + timedelta(days=1)
    legacy_end = min(REFORM_DATE - timedelta(days=1), today)
    two_level_start = max(REFORM_DATE, window_start)
    if legacy_end < window_start or two_level_start > today:  # `today` far from the reform
        legacy_end, two_level_start = today, window_start

    slots: list[tuple[_Producer, bool]] = []  # (producer, legacy form?)
    for producer in owners:
        if producer.forms == "both":
            legacy = rng.randint(1, producer.products - 1)
        elif producer.forms == "legacy":
            legacy = producer.products
        else:
            legacy = 0
        slots += [(producer, True)] * legacy + [(producer, False)] * (producer.products - legacy)
    rng.shuffle(slots)  # the API interleaves producers
    ids = sorted(rng.sample(range(100_000, 100_000 + 3 * products), products))

    decisions: dict[tuple[str, date, bool], str] = {}
    records = []
    types = list(TYPE_WEIGHTS)
    for record_id, (producer, legacy) in zip(ids, slots, strict=True):
        if legacy:
            issued = _random_day(rng, window_start, legacy_end)
            address = producer.legacy_address
            issuer = producer.legacy_province
        else:
            issued = _random_day(rng, two_level_start, today)
            address = producer.address_2025
            issuer = producer.province
        product_type = (
            producer.main_type
            if rng.random() < 0.8
            else rng.choices(types, weights=list(TYPE_WEIGHTS.values()))[0]
        )
        roll = rng.random()
        stars = 3 if roll < 0.62 else 4 if roll < 0.97 else 5
        national = stars == 5 and rng.random() < 0.5
        decision_key = (issuer, issued, national)
        if decision_key not in decisions:
            d = _seeded(f"{seed}:{issuer}:{issued.isoformat()}:{national}")
            decisions[decision_key] = (
                f"{d.randint(100, 4999)}/QĐ-BNN-KTHT"
                if national
                else f"{d.randint(1, 3999)}/QĐ-UBND"
            )
        line = rng.choice(PRODUCT_LINES[product_type])
        place = producer.address_2025.split(", ")[-2].split(" ", 1)[1]
        if product_type == "travel":
            name = f"{line} {place}"
        else:
            name = " ".join(part for part in (line, place, rng.choice(SIZES[product_type])) if part)
        records.append(
            {
                "id": record_id,
                "name": name,
                "type": product_type,
                "ocop_star": stars,
                "description": f"{name}, sản phẩm OCOP {stars} sao của {producer.name}.",
                "story": rng.choice(STORIES),
                "ocop_certificate_number": decisions[decision_key],
                "issued_on": issued.isoformat(),
                "expiry_date": add_months(issued, VALIDITY_MONTHS).isoformat()
                if rng.random() < 0.5
                else None,
                "is_national": national,
                "image": f"https://ocop.example.vn/media/{record_id}.jpg"
                if rng.random() < 0.6
                else None,
                "manufacturer": {
                    "name": producer.name,
                    "address": address,
                    **producer.contact,
                },
            }
        )
    return records


def shuffled(records: list[dict], seed: int) -> list[dict]:
    """The same records in another order (a new list; the records are shared)."""
    out = list(records)
    _seeded(seed).shuffle(out)
    return out


def feed_profile(records: list[dict]) -> dict:
    """What the feed holds, by the identity issue 12 asks for: (folded name, 2025 province)."""
    forms: dict[tuple[str, str], set[bool]] = {}
    provinces_by_name: dict[str, set[str]] = {}
    legacy_records = 0
    for record in records:
        manufacturer = record["manufacturer"]
        parsed = address_parse(manufacturer["address"])
        key = (name_key(manufacturer["name"]), province_2025(parsed.province))
        forms.setdefault(key, set()).add(parsed.is_legacy)
        provinces_by_name.setdefault(key[0], set()).add(key[1])
        legacy_records += parsed.is_legacy
    return {
        "records": len(records),
        "producers": len(forms),
        "producer_names": len(provinces_by_name),
        "provinces": len({province for _, province in forms}),
        "producers_with_both_address_forms": sum(len(f) == 2 for f in forms.values()),
        "names_shared_across_provinces": sum(len(p) > 1 for p in provinces_by_name.values()),
        "records_with_legacy_address": legacy_records,
    }


if __name__ == "__main__":
    import json
    import sys

    print(json.dumps(feed_profile(national_feed()), ensure_ascii=False, indent=2), file=sys.stderr)

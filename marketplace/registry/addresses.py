"""Vietnamese postal addresses as the OCOP registry and provincial lists write them.

On 2025-07-01 Vietnam reorganised its administrative units: 63 provinces
became 34, and districts (huyện, quận, thị xã, thành phố thuộc tỉnh) were
abolished, so an address now has two levels: ward/commune → province.
Certificates signed before then keep their three-level addresses with a
district, and a certificate is valid for 36 months, so both forms live side by
side for years. The parser reads both and says which one it saw.

Conventions: every name is stored bare, without its level prefix ("Hà Nội",
not "Thành phố Hà Nội"; "Bát Tràng", not "Xã Bát Tràng"), because the prefix is
written a dozen ways (Tỉnh, TP., Tp, Thành phố, Thanh pho…) and is implied by
the field anyway. Known provinces are spelled the way `PROVINCES_2025` and
`PROVINCES_LEGACY` spell them, so a filter by province matches however the
source wrote it. A legacy province stays under its own name; `province_2025`
says which merged province it belongs to now.
"""

import re
import unicodedata
from dataclasses import dataclass
from enum import Enum
from functools import lru_cache

from marketplace.ocop.text import fold_keeping_length

PROVINCES_2025: tuple[str, ...] = (
    "Hà Nội",
    "Huế",
    "Lai Châu",
    "Điện Biên",
    "Sơn La",
    "Lạng Sơn",
    "Quảng Ninh",
    "Thanh Hóa",
    "Nghệ An",
    "Hà Tĩnh",
    "Cao Bằng",
    "Tuyên Quang",
    "Lào Cai",
    "Thái Nguyên",
    "Phú Thọ",
    "Bắc Ninh",
    "Hưng Yên",
    "Hải Phòng",
    "Ninh Bình",
    "Quảng Trị",
    "Đà Nẵng",
    "Quảng Ngãi",
    "Gia Lai",
    "Khánh Hòa",
    "Lâm Đồng",
    "Đắk Lắk",
    "Hồ Chí Minh",
    "Đồng Nai",
    "Tây Ninh",
    "Cần Thơ",
    "Vĩnh Long",
    "Đồng Tháp",
    "Cà Mau",
    "An Giang",
)
"""The 34 provinces and centrally-run cities since 2025-07-01 (Resolution 202/2025/QH15)."""

# Provinces merged away on 2025-07-01, with the province that absorbed them.
# Older certificates still name them, so they must be recognised and mapped.
_MERGED_INTO: dict[str, str] = {
    "Hà Giang": "Tuyên Quang",
    "Yên Bái": "Lào Cai",
    "Bắc Kạn": "Thái Nguyên",
    "Vĩnh Phúc": "Phú Thọ",
    "Hòa Bình": "Phú Thọ",
    "Bắc Giang": "Bắc Ninh",
    "Thái Bình": "Hưng Yên",
    "Hải Dương": "Hải Phòng",
    "Hà Nam": "Ninh Bình",
    "Nam Định": "Ninh Bình",
    "Quảng Bình": "Quảng Trị",
    "Quảng Nam": "Đà Nẵng",
    "Kon Tum": "Quảng Ngãi",
    "Bình Định": "Gia Lai",
    "Ninh Thuận": "Khánh Hòa",
    "Đắk Nông": "Lâm Đồng",
    "Bình Thuận": "Lâm Đồng",
    "Phú Yên": "Đắk Lắk",
    "Bình Dương": "Hồ Chí Minh",
    "Bà Rịa - Vũng Tàu": "Hồ Chí Minh",
    "Bình Phước": "Đồng Nai",
    "Long An": "Tây Ninh",
    "Sóc Trăng": "Cần Thơ",
    "Hậu Giang": "Cần Thơ",
    "Bến Tre": "Vĩnh Long",
    "Trà Vinh": "Vĩnh Long",
    "Tiền Giang": "Đồng Tháp",
    "Bạc Liêu": "Cà Mau",
    "Kiên Giang": "An Giang",
    "Thừa Thiên Huế": "Huế",
}

PROVINCES_LEGACY: tuple[str, ...] = tuple(
    sorted(
        {name for name in PROVINCES_2025 if name != "Huế"} | set(_MERGED_INTO),
        key=lambda name: name.casefold(),
    )
)
"""The 63 provinces before 2025-07-01, which three-level addresses still name."""


@dataclass(frozen=True)
class ParsedAddress:
    """An address split into its administrative levels; "" where unknown.

    `is_legacy` is True when the address named a district, i.e. it was written
    before the 2025-07-01 reform removed that level.
    """

    raw: str
    ward: str
    district: str
    province: str
    is_legacy: bool


class _Kind(Enum):
    PROVINCE = "province"
    CITY = "city"  # "Thành phố": a province when last, a district otherwise
    DISTRICT = "district"
    WARD = "ward"
    STREET = "street"
    BARE = "bare"


def _key(text: str) -> str:
    """Lookup key: folded, with spaces, dots and dashes gone ("TP. HCM" → "tphcm")."""
    return re.sub(r"[^a-z0-9]", "", fold_keeping_length(unicodedata.normalize("NFC", text)))


_ALIASES: dict[str, str] = {
    "hcm": "Hồ Chí Minh",
    "tphcm": "Hồ Chí Minh",
    "saigon": "Hồ Chí Minh",
    "hn": "Hà Nội",
    "tphn": "Hà Nội",
    "hanoi": "Hà Nội",
    "brvt": "Bà Rịa - Vũng Tàu",
    "baccan": "Bắc Kạn",
    "dacnong": "Đắk Nông",
    "daclac": "Đắk Lắk",
    "thuathienhue": "Thừa Thiên Huế",
}

_PROVINCE_BY_KEY: dict[str, str] = {
    **{_key(name): name for name in PROVINCES_LEGACY + PROVINCES_2025},
    **_ALIASES,
}

_COUNTRY_KEYS = frozenset({"vietnam", "vn"})

# Prefixes in the order they are tried: street words first, so "Tỉnh lộ 5"
# is a road and not a province. Patterns run on the lowercased NFC text.
_PREFIXES: tuple[tuple[_Kind, str], ...] = (
    (
        _Kind.STREET,
        r"(?:tỉnh lộ|quốc lộ|số nhà|số|thôn|xóm|đường|phố|ngõ|ngách|hẻm|kiệt|cụm|khu|ấp|"
        r"bản|buôn|làng|tổ|khối|khóm|lô|km|tầng|tòa|toà|chung cư|đội|kcn|ccn|ql|tl)\b\.?",
    ),
    (_Kind.DISTRICT, r"(?:huyện|quận|thị xã|h\.|q\.|tx\b\.?|t\.x\.)"),
    (_Kind.DISTRICT, r"q\.?(?=\s*\d)"),
    (_Kind.WARD, r"(?:xã|phường|thị trấn|đặc khu|x\.|p\.|tt\b\.?|t\.t\.)"),
    (_Kind.WARD, r"p\.?(?=\s*\d)"),
    (_Kind.CITY, r"(?:thành phố|tp\b\.?|t\.p\.|tp\.)"),
    (_Kind.PROVINCE, r"(?:tỉnh|thủ đô|t\.)"),
)

# The same words typed without diacritics. They are tried only when the part's
# first word is plain ASCII; "quan" and "lang" also start real names (Quan Hóa,
# Lang Chánh), so they count as prefixes only in all-ASCII parts.
_ASCII_PREFIXES: tuple[tuple[_Kind, str, bool], ...] = (
    (_Kind.STREET, r"(?:tinh lo|quoc lo|so nha|thon|xom|duong|ngo|ngach|hem|cum|khu)\b", False),
    (_Kind.STREET, r"(?:so|pho|ap|ban|buon|lang|to|khoi|khom)\b", True),
    (_Kind.DISTRICT, r"(?:huyen|thi xa)\b", False),
    (_Kind.DISTRICT, r"quan\b", True),
    (_Kind.WARD, r"(?:xa|phuong|thi tran|dac khu)\b", False),
    (_Kind.CITY, r"thanh pho\b", False),
    (_Kind.PROVINCE, r"(?:tinh|thu do)\b", False),
)


def _tidy(name: str) -> str:
    """Trim punctuation left around a name and capitalise an all-lowercase one."""
    name = " ".join(name.strip(" .,;:-–").split())
    if name and name == name.lower() and any(char.isalpha() for char in name):
        name = " ".join(word[:1].upper() + word[1:] for word in name.split())
    return name


def _match_prefix(part: str) -> tuple[_Kind, int] | None:
    """The level a part's prefix names and where the prefix ends, if any."""
    lowered = part.lower()
    for kind, pattern in _PREFIXES:
        match = re.match(pattern, lowered)
        if match:
            return kind, match.end()
    first_word = lowered.split(" ", 1)[0]
    if not first_word.isascii():
        return None
    all_ascii = lowered.isascii()
    folded = fold_keeping_length(lowered)
    for kind, pattern, needs_all_ascii in _ASCII_PREFIXES:
        if needs_all_ascii and not all_ascii:
            continue
        match = re.match(pattern, folded)
        if match:
            return kind, match.end()
    return None


def _tag(part: str) -> tuple[_Kind, str]:
    """Classify one comma-separated part by its prefix and strip the prefix."""
    if part[:1].isdigit():
        return _Kind.STREET, part
    found = _match_prefix(part)
    if found is None:
        return _Kind.BARE, _tidy(part)
    kind, end = found
    name = _tidy(part[end:])
    if not name:
        return _Kind.BARE, ""
    return kind, name


def _province_name(name: str) -> str:
    """The canonical spelling of a known province, else `name` as written."""
    return _PROVINCE_BY_KEY.get(_key(name), name)


def _take_province(tagged: list[tuple[_Kind, str]]) -> tuple[str, list[tuple[_Kind, str]]]:
    """Pick the province off the right end, returning it and the remaining parts.

    A bare last part counts as a province when it is a known one, or when a
    prefixed ward or district to its left shows it sits in the province slot.
    """
    kind, name = tagged[-1]
    rest = tagged[:-1]
    if kind in (_Kind.PROVINCE, _Kind.CITY):
        return _province_name(name), rest
    if kind is _Kind.BARE and name:
        if _key(name) in _PROVINCE_BY_KEY:
            return _PROVINCE_BY_KEY[_key(name)], rest
        if any(k in (_Kind.WARD, _Kind.DISTRICT, _Kind.CITY) for k, _ in rest):
            return name, rest
    return "", tagged


def _take_ward_district(tagged: list[tuple[_Kind, str]], *, anchored: bool) -> tuple[str, str]:
    """Walk leftwards from the province to the ward, noting a district on the way.

    Unprefixed names are placed by position, which needs the province as an
    anchor: of two bare names before it, the left one is the ward and the right
    one the district. Anything left of the ward is street detail.
    """
    ward = district = ""
    for index in range(len(tagged) - 1, -1, -1):
        kind, name = tagged[index]
        if kind is _Kind.STREET:
            break
        if kind in (_Kind.DISTRICT, _Kind.CITY):
            district = district or name
        elif kind is _Kind.WARD:
            ward = name
            break
        elif kind is _Kind.BARE and anchored and name:
            left = tagged[index - 1][0] if index > 0 else None
            if not district and left in (_Kind.BARE, _Kind.WARD):
                district = name
            else:
                ward = name
                break
    return ward, district


def _split(text: str) -> list[str]:
    """Comma-separated parts, cleaned, without empty ones or a trailing country."""
    parts = [" ".join(part.split()) for part in re.split(r"[,;\n]", text)]
    parts = [part for part in parts if part.strip(" .-–")]
    while parts and _key(parts[-1]) in _COUNTRY_KEYS:
        parts.pop()
    return parts


@lru_cache(maxsize=65536)
def address_parse(raw: str) -> ParsedAddress:
    """Split a two-level (post-2025) or three-level (legacy) address into its levels.

    Reads from the right: province, then an optional district, then the
    ward/commune; house numbers, streets and hamlets before the ward are
    ignored. Never raises: what cannot be recognised is left empty.
    Cached: a producer's address repeats on each of its products.
    """
    text = unicodedata.normalize("NFC", str(raw or ""))
    parts = _split(text)
    if not parts:
        return ParsedAddress(raw=text, ward="", district="", province="", is_legacy=False)
    tagged = [_tag(part) for part in parts]
    province, rest = _take_province(tagged)
    ward, district = _take_ward_district(rest, anchored=bool(province))
    return ParsedAddress(
        raw=text,
        ward=ward,
        district=district,
        province=province,
        is_legacy=bool(district),
    )


def province_2025(name: str) -> str:
    """The post-2025 province a province name now belongs to; "" if unknown.

    Lets a legacy certificate's "Bắc Giang" be found under today's "Bắc Ninh".
    """
    canonical = _PROVINCE_BY_KEY.get(_key(name), "")
    if canonical in PROVINCES_2025:
        return canonical
    return _MERGED_INTO.get(canonical, "")

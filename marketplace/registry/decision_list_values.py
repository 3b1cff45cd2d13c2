"""Cell values of provincial decision lists: text, stars, scores, dates, product sets.

Provinces type the same fact many ways: stars as "4", "4 sao", "4★" or
"★★★★", dates as Excel dates or "ngày 17 tháng 5 năm 2024", product sets as
free text. These parsers accept the forms seen in real lists and raise
ValueError for anything else, so a row is rejected with a reason instead of
being guessed at. `decision_lists` builds records from them.
"""

import hashlib
import re
import unicodedata
from datetime import date, datetime, timedelta
from functools import lru_cache

from marketplace.ocop.text import fold

_EXCEL_EPOCH = date(1899, 12, 30)


_NOT_A_WORD = re.compile(r"[^a-z0-9★*]+")


def match_text(text) -> str:
    """Folded text (`ocop.text.fold`) with only letters, digits and star
    marks left, single-spaced: "Hạng sao (★)" → "hang sao ★". Headers and
    cells are matched on it, however a province punctuated them."""
    return " ".join(_NOT_A_WORD.sub(" ", fold(str(text))).split())


def cell_text(value) -> str:
    """A cell as clean NFC text; whole-number floats lose their ".0"."""
    if value is None:
        return ""
    if isinstance(value, float) and value.is_integer():
        value = int(value)
    if isinstance(value, datetime):
        value = value.date()
    return " ".join(unicodedata.normalize("NFC", str(value)).split())


# ---------------------------------------------------------------- stars

_STAR_WORDS = {"mot": 1, "hai": 2, "ba": 3, "bon": 4, "nam": 5}

_STAR_NUMBER = re.compile(r"([1-5])(?:[.,]0+)?")
"""A bare star count typed as text: "4", "4.0", "4,0"."""

# Matched against the folded cell, so case, diacritics and punctuation are
# already gone: "Hạng 4 sao", "5 sao (tiềm năng)", "★★★★", "4*", "bốn sao".
_STAR_TEXT = re.compile(
    r"(?:(?P<before>tiem nang) )?"
    r"(?:(?:xep hang|dat hang|hang|dat|ocop) )?"
    r"(?:(?P<digit>[1-5])(?: ?(?:sao|★|\*))?"
    r"|(?P<symbols>★(?: ?★){0,4}|\*(?: ?\*){0,4})"
    r"|(?P<word>mot|hai|ba|bon|nam) sao)"
    r"(?: ocop)?"
    r"(?: (?P<after>tiem nang))?"
)


def parse_stars(value) -> tuple[int, bool]:
    """(stars, potential) from a cell that is clearly a star rating, else ValueError.

    Accepted: a bare 1-5 (3, 3.0, "3", "3.0"), "3 sao", "3★", "3*", "★★★",
    "***", "Hạng 3 sao", "ba sao", and "5 sao tiềm năng" / "Tiềm năng 5 sao" /
    "5 sao (tiềm năng)". Anything else, even with a digit in it, is not a
    rating: taking the first number anywhere would read "<script>alert(1)"
    as 1 star.

    "Potential 5★" is a province's score of 90+ awaiting the national council;
    it is reported as 5 stars with `is_national` False, which is how the
    national API marks it too. Only 5 stars can be potential.
    """
    if isinstance(value, bool):
        raise ValueError(value)
    if isinstance(value, int | float):
        if float(value).is_integer() and 1 <= value <= 5:
            return int(value), False
        raise ValueError(value)
    text = cell_text(value)
    if len(text) > 60:
        raise ValueError(value)
    number = _STAR_NUMBER.fullmatch(text)
    if number:
        return int(number.group(1)), False
    folded = match_text(text)
    if folded == "tiem nang":
        return 5, True
    match = _STAR_TEXT.fullmatch(folded)
    if not match:
        raise ValueError(value)
    potential = bool(match.group("before") or match.group("after"))
    if match.group("digit"):
        stars = int(match.group("digit"))
    elif match.group("symbols"):
        stars = len(match.group("symbols").replace(" ", ""))
    else:
        stars = _STAR_WORDS[match.group("word")]
    if potential and stars != 5:
        raise ValueError(value)
    return stars, potential


_STAR_FLOORS = ((90, 5), (70, 4), (50, 3), (30, 2), (0, 1))
"""Decision 148/QĐ-TTg's bands: 1★ <30, 2★ 30–49, 3★ 50–69, 4★ 70–89, 5★ 90–100."""


def parse_score(value) -> float:
    """An evaluation score out of 100 from 72, "72", "72,5" or "72 điểm"."""
    if isinstance(value, bool):
        raise ValueError(value)
    if isinstance(value, int | float):
        amount = float(value)
    else:
        text = cell_text(value).lower()
        match = re.fullmatch(r"(\d{1,3}(?:[.,]\d+)?)\s*(?:điểm|diem|đ|d)?", text)
        if not match:
            raise ValueError(value)
        amount = float(match.group(1).replace(",", "."))
    if not 0 <= amount <= 100:
        raise ValueError(value)
    return amount


def stars_from_score(score: float) -> int:
    """The star band a score falls in, for lists that give only the score."""
    return next(stars for floor, stars in _STAR_FLOORS if score >= floor)


# ---------------------------------------------------------------- dates

_DATE_PATTERNS = (
    (re.compile(r"^(\d{4})-(\d{1,2})-(\d{1,2})(?:[ t].*)?$"), ("y", "m", "d")),
    (re.compile(r"^(\d{4})[/.](\d{1,2})[/.](\d{1,2})$"), ("y", "m", "d")),
    (re.compile(r"^(\d{1,2})[/.-](\d{1,2})[/.-](\d{4})$"), ("d", "m", "y")),
    (re.compile(r"^(\d{1,2})[/.-](\d{1,2})[/.-](\d{2})$"), ("d", "m", "yy")),
    (re.compile(r"^(?:ngay )?(\d{1,2}) thang (\d{1,2}) nam (\d{4})$"), ("d", "m", "y")),
)
_DATE_LEAD = re.compile(r"^(?:ng[àa]y|ng\.)\s*:?\s*")


def parse_date(value) -> date:
    """A decision date from an Excel date or text, read day-first.

    Text forms: 17/05/2024, 17/5/2024, 17-5-2024, 17.5.2024, 17/05/24 (a
    two-digit year is 20yy), 2024-05-17, 2024/05/17, "ngày 17/5/2024" and
    "ngày 17 tháng 5 năm 2024". Vietnamese dates are day-first, so
    "05/04/2024" is 5 April. Raises ValueError for anything else, including
    impossible dates like 31/02.
    """
    if isinstance(value, datetime):
        return value.date()
    if isinstance(value, date):
        return value
    if isinstance(value, int | float) and not isinstance(value, bool):
        # An Excel serial left unformatted; only plausible decision years count.
        if 36526 <= value <= 73051:  # 2000-01-01 .. 2099-12-31
            return _EXCEL_EPOCH + timedelta(days=int(value))
        raise ValueError(value)
    text = cell_text(value).lower()
    if len(text) > 60:
        raise ValueError(value)
    text = _DATE_LEAD.sub("", text.strip(" ()[]")).rstrip(" .")
    text = re.sub(r"\s*([/.-])\s*(?=\d)", r"\1", text)
    for candidate in (text, match_text(text)):
        for pattern, order in _DATE_PATTERNS:
            match = pattern.match(candidate)
            if match:
                parts = dict(zip(order, (int(group) for group in match.groups()), strict=True))
                year = parts["y"] if "y" in parts else 2000 + parts["yy"]
                return date(year, parts["m"], parts["d"])
    raise ValueError(value)


_DECISION_LEAD = re.compile(
    r"(?i)^\s*(?:(?:quy[eế]t\s+[đd][iị]nh|q[đd])(?:\s+s[ốo])?|s[ốo])\s*[:.]?\s*(?=\d)"
)
""""QĐ số", "Quyết định số:", "Số" before a decision number."""

_DECISION_WITH_DATE = re.compile(
    r"(?is)^(?P<number>\S.*?)\s*(?:[,;(]\s*|\s)(?:ng[àa]y\s*:?\s*)?"
    r"(?P<date>\d{1,4}\s*[/.-]\s*\d{1,2}\s*[/.-]\s*\d{2,4}"
    r"|\d{1,2}\s+th[áa]ng\s+\d{1,2}\s+n[ăa]m\s+\d{4})"
    r"\s*\)?(?:[\s.,;].*)?$"
)


def split_decision(text: str) -> tuple[str, str]:
    """Split a combined column into number and date text.

    "1234/QĐ-UBND ngày 12/5/2024", "QĐ số 1234/QĐ-UBND ngày 12/5/2024" and
    "1234/QĐ-UBND (12/5/2024)" all give ("1234/QĐ-UBND", "12/5/2024").
    """
    text = _DECISION_LEAD.sub("", text)
    match = _DECISION_WITH_DATE.match(text)
    if match:
        return match.group("number").rstrip(" ,;"), match.group("date")
    number, _, rest = text.partition(" ")
    rest = re.sub(r"(?i)^[\s,;]*(?:ng[àa]y)?\s*:?\s*", "", rest)
    return number.rstrip(",;"), rest.strip(" .")


def quoted(value, limit: int = 80) -> str:
    """A cell quoted in a reason, cut to `limit` characters with "…".

    A 10,000-character cell must not make a 10,000-character reason.
    """
    text = cell_text(value) if not isinstance(value, str) else value
    if len(text) > limit:
        text = text[: limit - 1] + "…"
    return repr(text)


def cut(text: str, limit: int) -> str:
    """`text` kept to at most `limit` characters, the last one "…" when cut."""
    return text if len(text) <= limit else text[: limit - 1] + "…"


def phone_text(value) -> str:
    """Phone as text; a number typed into Excel loses its leading zero, so restore it."""
    text = cell_text(value)
    if isinstance(value, int | float) and len(text) == 9 and not text.startswith("0"):
        return "0" + text
    return text


# ---------------------------------------------------------------- product sets

# Ordered: the first rule with a matching keyword decides. Specific sets come
# before the general food words so "trà dược liệu" is herbs and "đồ uống từ
# sữa" a drink. Keywords match whole words of the lowercased NFC text, or of
# its folded form when the cell was typed without diacritics.
_TYPE_RULES: tuple[tuple[str, tuple[str, ...]], ...] = (
    ("travel", ("du lịch", "dịch vụ", "điểm du lịch", "tourism", "travel", "service")),
    (
        "herbs",
        (
            "thảo dược",
            "dược liệu",
            "tinh dầu",
            "mỹ phẩm",
            "thực phẩm chức năng",
            "thuốc",
            "y học cổ truyền",
            "herb",
            "herbs",
            "herbal",
        ),
    ),
    (
        "cloth",
        ("dệt may", "dệt", "vải", "lụa", "may mặc", "thổ cẩm", "textile", "garment", "cloth"),
    ),
    (
        "keepsake",
        (
            "thủ công mỹ nghệ",
            "thủ công",
            "mỹ nghệ",
            "đồ gia dụng",
            "gia dụng",
            "trang trí",
            "gốm",
            "mây tre",
            "mây",
            "cói",
            "sơn mài",
            "khảm trai",
            "lưu niệm",
            "nội thất",
            "đồ gỗ",
            "sinh vật cảnh",
            "cây cảnh",
            "hoa cây cảnh",
            "động vật cảnh",
            "cá cảnh",
            "hoa",
            "handicraft",
            "craft",
            "souvenir",
            "decor",
            "keepsake",
        ),
    ),
    # Official food sets that contain a drink word: "Thịt, trứng, sữa tươi",
    # "Tương, nước mắm, gia vị dạng lỏng khác".
    ("food", ("thịt", "trứng", "nước mắm", "nước chấm", "tương", "gia vị", "mắm")),
    (
        "drink",
        (
            "đồ uống",
            "rượu",
            "bia",
            "có cồn",
            "không cồn",
            "nước uống",
            "nước khoáng",
            "nước tinh khiết",
            "nước giải khát",
            "nước ép",
            "sữa tươi",
            "drink",
            "beverage",
        ),
    ),
    # Tea and coffee are food sets in Decisions 1048/QĐ-TTg and 148/QĐ-TTg,
    # so "food" keeps the derived sector right.
    (
        "food",
        (
            "thực phẩm",
            "nông sản",
            "gạo",
            "nếp",
            "ngũ cốc",
            "rau",
            "củ",
            "quả",
            "hạt",
            "trái cây",
            "sữa",
            "mật ong",
            "chè",
            "trà",
            "cà phê",
            "ca cao",
            "thủy sản",
            "thuỷ sản",
            "hải sản",
            "bánh",
            "kẹo",
            "mứt",
            "đồ ăn",
            "sơ chế",
            "chế biến",
            "tươi sống",
            "food",
        ),
    ),
    ("drink", ("nước",)),
)

_TYPE_RULES_ASCII = tuple(
    (code, tuple(match_text(keyword) for keyword in keywords)) for code, keywords in _TYPE_RULES
)
_TYPE_CODES = frozenset({"food", "drink", "herbs", "cloth", "keepsake", "travel"})


def _has_word(text: str, keyword: str) -> bool:
    return re.search(rf"(?<!\w){re.escape(keyword)}(?!\w)", text) is not None


@lru_cache(maxsize=1024)
def product_type_from_set(product_set: str) -> str | None:
    """The API's old `type` code for a product set name, or None if unknown.

    Decision lists name the 26 product sets of Decision 148/QĐ-TTg (or the
    older groups of 1048/QĐ-TTg) in free text; the national API still uses
    six codes. Ornamental plants and animals have no code of their own and
    go with decorations under "keepsake", as they did before 2023.
    """
    text = cell_text(product_set).lower()
    if text in _TYPE_CODES:
        return text
    # "Hoa" alone is the ornamental flowers set; "hoa quả" is fruit.
    text = re.sub(r"(?<!\w)hoa quả(?!\w)", "trái cây", text)
    rules = _TYPE_RULES
    if text.isascii():
        text, rules = match_text(text), _TYPE_RULES_ASCII
    for code, keywords in rules:
        if any(_has_word(text, keyword) for keyword in keywords):
            return code
    return None


# ---------------------------------------------------------------- decisions


def is_ministerial(decision_number: str) -> bool:
    """Whether a decision number is the central ministry's (national 5★).

    Provincial decisions read "…/QĐ-UBND"; ministerial and Prime Minister's
    ones carry "BNN" (Ministry of Agriculture), "TTg" or "Bộ".
    """
    tokens = match_text(decision_number).split()
    return any(token in ("ttg", "bo") or token.startswith("bnn") for token in tokens)


def _normalised(text: str) -> str:
    return cell_text(text).casefold()


def _normalised_number(decision_number: str) -> str:
    """Decision number without spaces or diacritics: "123 / QĐ-UBND" ≡ "123/QD-UBND"."""
    return match_text(decision_number).replace(" ", "")


def decision_record_id(decision_number: str, product: str, producer: str) -> int:
    """A stable negative id for a row, so re-imports update instead of duplicate.

    Decision lists carry no registry id. Hashing what identifies the
    certification keeps the id the same across imports; the sign keeps it
    apart from the API's positive ids; 53 bits keep it exact in JSON/JS.
    """
    key = "\x1f".join(
        (_normalised_number(decision_number), _normalised(product), _normalised(producer))
    )
    digest = hashlib.blake2b(key.encode("utf-8"), digest_size=8).digest()
    return -(int.from_bytes(digest, "big") % (2**53) + 1)

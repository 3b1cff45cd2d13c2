"""Where the table is in a provincial decision list, and which rows are not data.

A province's list is laid out for printing, not for import: a merged title
block naming the decision, a header of one or two merged rows, then data rows
interleaved with grouping rows ("I. Huyện Gia Lâm"), a column-number row
"(1)…(8)", totals and, after the table, notes and a signature block. This
module finds the header, names each column's field, reads the title block's
decision, and tells layout rows from data rows, so `decision_lists` only
ever turns data rows into records.
"""

import re
from dataclasses import dataclass
from datetime import date
from functools import lru_cache

from marketplace.registry.addresses import province_2025
from marketplace.registry.decision_list_values import cell_text, match_text

MIN_HEADER_MATCHES = 4
"""A row is the header when at least this many of its cells name a known column."""

HEADER_SEARCH_ROWS = 30
"""How far down the sheet to look for the header, past title and decision rows."""

# Folded header names, diacritics and punctuation gone. A header matches a
# name exactly, or starts with a multi-word name ("Tên sản phẩm OCOP đạt").
_HEADER_ALIASES: dict[str, tuple[str, ...]] = {
    "email": ("email", "e mail", "thu dien tu", "dia chi email", "dia chi thu dien tu"),
    "phone": ("dien thoai", "so dien thoai", "sdt", "dt", "phone", "phone number", "tel"),
    "product": (
        "ten san pham",
        "san pham",
        "ten san pham ocop",
        "san pham ocop",
        "ten san pham dich vu",
        "product",
        "product name",
    ),
    "producer": (
        "chu the",
        "ten chu the",
        "chu the san xuat",
        "chu the ocop",
        "chu the kinh te",
        "chu the san pham",
        "ten chu the san xuat",
        "ten chu the ocop",
        "co so san xuat",
        "ten co so",
        "ten co so san xuat",
        "don vi san xuat",
        "ten don vi",
        "ten don vi san xuat",
        "don vi co so san xuat",
        "co so don vi san xuat",
        "don vi chu the",
        "ten doanh nghiep",
        "ten to chuc ca nhan",
        "to chuc ca nhan",
        "producer",
        "manufacturer",
    ),
    "address": (
        "dia chi",
        "dia chi chu the",
        "dia chi san xuat",
        "dia chi co so",
        "dia chi tru so",
        "dia chi lien he",
        "address",
    ),
    "product_set": (
        "bo san pham",
        "nhom san pham",
        "phan nhom",
        "phan nhom san pham",
        "nhom",
        "nganh",
        "nganh nhom",
        "nhom nganh",
        "nganh hang",
        "nhom bo san pham",
        "bo nhom san pham",
        "loai san pham",
        "thuoc bo san pham",
        "product set",
        "group",
        "type",
    ),
    "stars": (
        "so sao",
        "hang sao",
        "phan hang",
        "phan hang sao",
        "xep hang",
        "xep loai",
        "hang",
        "hang ocop",
        "cap sao",
        "dat hang",
        "ket qua phan hang",
        "ket qua xep hang",
        "ket qua danh gia",
        "ket qua danh gia phan hang",
        "ket qua danh gia xep hang",
        "ket qua danh gia va phan hang",
        "ket qua cong nhan",
        "sao",
        "stars",
        "star",
    ),
    "score": (
        "diem",
        "diem danh gia",
        "diem so",
        "so diem",
        "tong diem",
        "diem dat",
        "diem dat duoc",
        "diem cham",
        "ket qua cham diem",
        "score",
    ),
    "decision_number": (
        "so quyet dinh",
        "quyet dinh so",
        "so qd",
        "qd so",
        "decision number",
        "decision no",
    ),
    "decision": ("quyet dinh", "quyet dinh cong nhan", "so ngay quyet dinh", "so ngay qd"),
    "decision_date": (
        "ngay quyet dinh",
        "ngay ky",
        "ngay ky quyet dinh",
        "ngay qd",
        "ngay cong nhan",
        "ngay ban hanh",
        "decision date",
    ),
    "representative": ("nguoi dai dien", "dai dien", "representative"),
    "description": ("mo ta", "mo ta san pham", "gioi thieu san pham", "description"),
    "story": ("cau chuyen", "cau chuyen san pham", "story"),
}

FIELDS = tuple(_HEADER_ALIASES)

_REQUIRED_COLUMNS: dict[str, tuple[str, str]] = {
    "stars": (
        "cột số sao (Phân hạng, Hạng sao, Số sao, Kết quả phân hạng hoặc Điểm)",
        "a stars column (Phân hạng, Hạng sao, Số sao, Kết quả phân hạng, or a score: Điểm)",
    ),
    "product": ("cột tên sản phẩm (Tên sản phẩm)", "a product column (Tên sản phẩm)"),
    "producer": (
        "cột chủ thể (Chủ thể, Chủ thể sản xuất, Tên chủ thể, Cơ sở sản xuất)",
        "a producer column (Chủ thể, Chủ thể sản xuất, Tên chủ thể, Cơ sở sản xuất)",
    ),
    "product_set": (
        "cột bộ sản phẩm (Bộ sản phẩm, Nhóm sản phẩm, Phân nhóm)",
        "a product set column (Bộ sản phẩm, Nhóm sản phẩm, Phân nhóm)",
    ),
    "decision_number": (
        "cột số quyết định (Số quyết định, hoặc «Quyết định số …» ở tiêu đề)",
        "a decision number column (Số quyết định, or «Quyết định số …» in the title)",
    ),
    "decision_date": (
        "cột ngày quyết định (Ngày quyết định, Ngày ký, hoặc «ngày …» ở tiêu đề)",
        "a decision date column (Ngày quyết định, Ngày ký, or «ngày …» in the title)",
    ),
}


@dataclass(frozen=True)
class Header:
    """The table's header: the rows it spans and the field of each column.

    `labels` keeps each used column's header as printed, so a reason can
    say "cột Hạng sao" in the operator's own words.
    """

    first_index: int
    index: int
    columns: dict[str, int]
    labels: dict[int, str]


def _header_key(text: str) -> str:
    """A header folded for matching, without its decorations: "Số sao (*)" → "so sao"."""
    bare = re.sub(r"\([^)]*\)|\[[^\]]*\]", " ", text).strip(" :.*")
    return match_text(bare) or match_text(text)


_ALIAS_FIELD = {
    alias: field for field, aliases in reversed(_HEADER_ALIASES.items()) for alias in aliases
}


@lru_cache(maxsize=4096)
def _field_of_key(key: str) -> str | None:
    """The field a folded header names: exactly, else by its longest multi-word start."""
    if key in _ALIAS_FIELD:
        return _ALIAS_FIELD[key]
    words = key.split()
    for end in range(len(words) - 1, 1, -1):
        field = _ALIAS_FIELD.get(" ".join(words[:end]))
        if field:
            return field
    return None


def header_field(text) -> str | None:
    """The field a header cell names, or None.

    Exact names win; a longer header that starts with a multi-word name
    ("Tên sản phẩm OCOP đạt") also counts, because sheets decorate headers.
    """
    key = _header_key(cell_text(text))
    return _field_of_key(key) if key else None


def header_columns(row: list) -> dict[str, int]:
    """Column index of each field a one-row header names; the first column wins."""
    columns: dict[str, int] = {}
    for index, cell in enumerate(row):
        field = header_field(cell)
        if field and field not in columns:
            columns[field] = index
    return columns


def _sub_field(top: str, sub: str) -> str | None:
    """The field of a sub-header cell, read alone or in its top cell's context.

    A sub-row cell is the more specific name ("Hạng sao" under "Kết quả
    đánh giá, phân hạng"), but some only make sense with the top cell: "Số"
    and "Ngày" under "Số, ngày quyết định", "Tên" under "Chủ thể".
    """
    field = header_field(sub)
    if field or not top:
        return field
    words = _header_key(top).split()
    sub_key = _header_key(sub)
    for start in range(len(words)):
        field = header_field(f"{sub_key} {' '.join(words[start:])}")
        if field:
            return field
    return None


def _spans(top: list[str], sub: list[str]) -> tuple[list[str], set[int]]:
    """Each column's top text, with merged top cells spread over the columns they span.

    A merged cell keeps its text in its first column only; the columns it
    covers read empty on top but carry their own sub-header below. Returns
    the spread texts and the columns that belong to a span.
    """
    spread = list(top)
    spanned: set[int] = set()
    for index in range(1, len(spread)):
        if not top[index] and sub[index] and spread[index - 1]:
            spread[index] = spread[index - 1]
            spanned.update((index - 1, index))
    return spread, spanned


def _padded(row: list, width: int) -> list[str]:
    return [cell_text(cell) for cell in row] + [""] * (width - len(row))


def _two_row_header(top_row: list, sub_row: list) -> tuple[dict[str, int], dict[int, str]] | None:
    """Fields of a two-row header, or None when the second row is not a sub-header.

    The second row is a sub-header when every text in it names a field
    (alone or under its top cell) or sits under a merged top cell, and at
    least one names a field. A data row fails: its product and producer
    names sit under plain headers and name nothing.
    """
    width = max(len(top_row), len(sub_row))
    top, sub = _padded(top_row, width), _padded(sub_row, width)
    if not any(sub) or len(header_columns(top_row)) < 2:
        return None
    spread, spanned = _spans(top, sub)
    columns: dict[str, int] = {}
    labels: dict[int, str] = {}
    named_below = False
    for index in range(width):
        field = _sub_field(spread[index], sub[index]) if sub[index] else None
        if sub[index]:
            if field is None and index not in spanned:
                return None
            named_below = named_below or field is not None
        if field is None and not (sub[index] and index not in spanned):
            field = header_field(spread[index])
        if field and field not in columns:
            columns[field] = index
            labels[index] = _label(spread[index], sub[index])
    return (columns, labels) if named_below else None


def _label(top: str, sub: str) -> str:
    """The column's name as printed: the sub-header, with its top cell when it needs one."""
    if sub and top and header_field(sub) is None:
        return f"{top} – {sub}"
    return sub or top


def header_at(rows: list[list], index: int) -> Header | None:
    """The one- or two-row header that starts at `rows[index]`, if one does.

    A two-row reading wins when the row below is a sub-header, so a merged
    "Kết quả đánh giá, phân hạng" resolves to its "Điểm" and "Hạng sao".
    """
    row = rows[index]
    if index + 1 < len(rows):
        two_rows = _two_row_header(row, rows[index + 1])
        if two_rows and len(two_rows[0]) >= MIN_HEADER_MATCHES:
            return Header(index, index + 1, *two_rows)
    columns = header_columns(row)
    if len(columns) < MIN_HEADER_MATCHES:
        return None
    labels = {column: cell_text(row[column]) for column in columns.values()}
    return Header(index, index, columns, labels)


def header_find(rows: list[list]) -> Header | None:
    """The first header among the top rows, below any title block."""
    for index in range(min(len(rows), HEADER_SEARCH_ROWS)):
        header = header_at(rows, index)
        if header:
            return header
    return None


# ---------------------------------------------------------------- title block

_TITLE_DECISION = re.compile(r"quyet dinh so\s*:?\s*([0-9][^\s,;]*)")


@dataclass(frozen=True)
class TitleDecision:
    """A decision named once in the title rows ("Kèm theo Quyết định số … ngày …").

    Many provinces publish one decision per list and leave the columns out;
    rows without their own number and date inherit these.
    """

    number: str = ""
    signed_on: date | None = None


def title_decision(title_rows: list[list]) -> TitleDecision:
    """Read a decision number and date out of the rows above the header, if any."""
    text = " ".join(cell_text(cell) for row in title_rows for cell in row if cell_text(cell))
    folded = match_text(text)
    match = _TITLE_DECISION.search(folded)
    if not match:
        return TitleDecision()
    # Cut the number from the original text so "QĐ" keeps its diacritics.
    original = re.search(r"(?i)quy[eế]t\s*[đd][iị]nh\s*s[oố]\s*:?\s*([0-9][^\s,;]*)", text)
    number = (original.group(1) if original else match.group(1)).rstrip(".:;")
    signed_on = None
    after = folded[match.end() :]
    for pattern in (
        r"ngay (\d{1,2}) thang (\d{1,2}) nam (\d{4})",
        r"ngay (\d{1,2}) (\d{1,2}) (\d{4})",
    ):
        found = re.search(pattern, after)
        if found:
            day, month, year = (int(group) for group in found.groups())
            try:
                signed_on = date(year, month, day)
            except ValueError:
                signed_on = None
            break
    return TitleDecision(number=number, signed_on=signed_on)


# "Tỉnh", "Thành phố", "TP.", "UBND", "Ủy ban nhân dân" folded, before a province name.
_PROVINCE_LEAD = re.compile(r"(?:^| )(?:tinh|thanh pho|tp|thu do|ubnd|uy ban nhan dan)(?= )")
_PROVINCE_WORDS = 4
"""The longest province name in words: "Bà Rịa - Vũng Tàu"."""


def title_province(title_rows: list[list]) -> str:
    """The post-2025 province the title block names ("UBND TỈNH BẮC NINH"), or "".

    Lists often leave the province out of each address because the title
    says whose list it is. Only a name after "Tỉnh", "Thành phố", "TP." or
    "UBND" counts, so a district's title ("UBND HUYỆN GIA LÂM") names no
    province. A legacy province ("Tỉnh Bắc Giang") gives the one it merged
    into. The first province named, reading row by row, wins.
    """
    for row in title_rows:
        for cell in row:
            folded = match_text(cell_text(cell)[:300])
            for lead in _PROVINCE_LEAD.finditer(folded):
                words = folded[lead.end() :].split()[:_PROVINCE_WORDS]
                for end in range(len(words), 0, -1):
                    province = province_2025(" ".join(words[:end]))
                    if province:
                        return province
    return ""


def header_missing(header: Header, title: TitleDecision) -> list[str]:
    """Fields the rows cannot do without that neither the header nor the title gives."""
    has = set(header.columns)
    available = {
        "stars": bool(has & {"stars", "score"}),
        "product": "product" in has,
        "producer": "producer" in has,
        "product_set": "product_set" in has,
        "decision_number": bool(has & {"decision_number", "decision"}) or bool(title.number),
        "decision_date": bool(has & {"decision_date", "decision"}) or title.signed_on is not None,
    }
    return [field for field, present in available.items() if not present]


def header_missing_message(
    fields: list[str], *, where: str, header: Header, rows: list[list]
) -> str:
    """One reason for the whole file, naming every column it could not find."""
    vietnamese = ", ".join(_REQUIRED_COLUMNS[field][0] for field in fields)
    english = "; ".join(_REQUIRED_COLUMNS[field][1] for field in fields)
    seen = [
        text
        for row in rows[header.first_index : header.index + 1]
        for text in (cell_text(cell) for cell in row)
        if text
    ]
    found = " | ".join(dict.fromkeys(seen))[:300]
    return (
        f"{where}, dòng tiêu đề {header.index + 1}: không nhận ra {vietnamese}. "
        f"Tiêu đề trong tệp: {found}. "
        f"({where}, header row {header.index + 1}: could not find {english}.)"
    )


# ---------------------------------------------------------------- layout rows

# "(3)", "3", "C", or a derived column "(7)=(5)+(6)".
_COLUMN_NUMBER = re.compile(
    r"^\(?\s*(\d{1,2}|[A-Za-z])\s*\)?(?:\s*[=+*/x-]\s*\(?\s*(?:\d{1,2}|[A-Za-z])\s*\)?)*$"
)
_ENUMERATOR = re.compile(r"^(?:[IVXLC]+|[A-Za-z])\s*[.)]?$")
_COUNT = re.compile(r"^\(?\d+(?: san pham| sp)?\)?$")
_TOTAL = re.compile(r"^(?:tong cong|tong so)(?:\s|$)|^(?:tong|cong)(?:\s+\d.*)?$")
_FOOTNOTE = re.compile(
    r"^(?:ghi chu|chu thich|chu y|luu y|danh sach(?: nay)? (?:gom|co)|noi nhan|nguoi lap"
    r"|nguoi ky|xac nhan|da ky)(?:\s|$)"
)
_SIGNATURE = re.compile(
    r"^(?:tm|kt|tl|tuq|q)\s+(?:uy ban|ubnd|chu tich|giam doc|truong|pho)|^(?:pho )?chu tich$"
)


def is_column_numbers(texts: list[str]) -> bool:
    """Whether the row numbers the columns: "(1) (2) … (8)", "1 2 … 8" or "A B 1 2 …".

    Printed lists number their columns so a decision's text can cite them.
    """
    matches = [_COLUMN_NUMBER.match(text) for text in texts]
    if len(texts) < 3 or not all(matches):
        return False
    numbers = [int(match.group(1)) for match in matches if match.group(1).isdigit()]
    return len(numbers) >= 2 and all(a < b for a, b in zip(numbers, numbers[1:], strict=False))


def _is_total(texts: list[str]) -> bool:
    """Whether the row sums the table up: "Tổng cộng: 45 sản phẩm", "Tổng số", "Cộng"."""
    first = next((text for text in texts if re.search(r"[^\W\d_]", text)), "")
    return bool(_TOTAL.match(match_text(first)))


def _is_footnote(texts: list[str]) -> bool:
    """Whether the row starts the notes or the signature block below the table."""
    first = texts[0]
    if _FOOTNOTE.match(match_text(first)) or re.match(r"^\(?\*+\)?\s*[^\W\d_*]", first):
        return True
    return len(texts) <= 3 and any(_SIGNATURE.match(match_text(text)) for text in texts)


def _is_group(texts: list[str]) -> bool:
    """Whether the row titles a group of rows: one text, maybe numbered and counted.

    "I. Huyện Gia Lâm" in one merged cell, or "I" in the STT column and the
    title beside it, possibly with a count of the group's products.
    """
    if _ENUMERATOR.match(texts[0]) and len(texts) > 1:
        # Only a numbered title may carry a bare count: a data row's STT is a
        # number too, and "5 | Gốm sứ" is a broken data row, not a group.
        rest = texts[1:2] + [text for text in texts[2:] if not _COUNT.match(match_text(text))]
    else:
        rest = texts
    return len(rest) == 1 and re.search(r"[^\W\d_]", rest[0]) is not None


def layout_kind(texts: list[str], *, after_table: bool) -> str | None:
    """The kind of layout row the non-empty cell texts make, or None for a data row.

    Call it only for rows that lack a product, producer or stars: a row with
    all three is data and is never skipped. Once the notes below the table
    begin (`after_table`), everything that is not data belongs to them,
    signatures and signers' names included.
    """
    if _is_total(texts):
        return "total"
    if after_table or _is_footnote(texts):
        return "footnote"
    if _is_group(texts):
        return "group"
    return None

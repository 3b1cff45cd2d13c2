"""Provincial OCOP decision lists (CSV or XLSX) read into registry records.

Provinces announce certifications as spreadsheets attached to a decision of
the provincial People's Committee, often before (or instead of) the products
appearing in the national system's API. Every province lays them out its own
way: title rows above the table, Vietnamese or English headers, with or
without diacritics, stars written "4", "4 sao" or "★★★★". This module turns
such a file into records in the national API's shape (see record_format.md),
so the sync treats them like any other source.

A row that cannot become a record is kept with the reason rather than
dropped: the sync stores rejected rows, and an operator fixes the sheet.
"""

import csv
import hashlib
import io
import re
import unicodedata
import zipfile
from dataclasses import dataclass
from datetime import date, datetime, timedelta
from pathlib import Path

from openpyxl import load_workbook
from openpyxl.utils.exceptions import InvalidFileException

MIN_HEADER_MATCHES = 4
"""A row is the header when at least this many of its cells name a known column."""

HEADER_SEARCH_ROWS = 30
"""How far down the sheet to look for the header, past title and decision rows."""

_DELIMITERS = (",", ";", "\t")
_EXCEL_EPOCH = date(1899, 12, 30)
_TITLE_DECISION = re.compile(r"quyet dinh so\s*:?\s*([0-9][^\s,;]*)")


class DecisionListError(ValueError):
    """A file that cannot be read as a decision list at all."""


@dataclass
class DecisionListRow:
    """One data row: a record in the API's shape, or the reason it has none.

    `line` is the row number a person sees in a spreadsheet program (1-based,
    title and header rows included), so a rejection can be found in the file.
    """

    line: int
    record: dict | None
    error: str


def _fold(text: str) -> str:
    """Lowercase, diacritic-free, single-spaced text for tolerant matching."""
    text = unicodedata.normalize("NFD", str(text).replace("đ", "d").replace("Đ", "D"))
    text = "".join(char for char in text if not unicodedata.combining(char)).lower()
    return " ".join(re.sub(r"[^a-z0-9★*]+", " ", text).split())


def _text(value) -> str:
    """A cell as clean NFC text; whole-number floats lose their ".0"."""
    if value is None:
        return ""
    if isinstance(value, float) and value.is_integer():
        value = int(value)
    if isinstance(value, datetime):
        value = value.date()
    return " ".join(unicodedata.normalize("NFC", str(value)).split())


# ---------------------------------------------------------------- headers

_HEADER_ALIASES: dict[str, tuple[str, ...]] = {
    "email": ("email", "e mail", "thu dien tu", "dia chi email", "dia chi thu dien tu"),
    "phone": ("dien thoai", "so dien thoai", "sdt", "dt", "phone", "phone number", "tel"),
    "product": ("ten san pham", "san pham", "ten san pham ocop", "product", "product name"),
    "producer": (
        "chu the",
        "ten chu the",
        "chu the san xuat",
        "chu the ocop",
        "ten chu the san xuat",
        "co so san xuat",
        "ten co so",
        "don vi san xuat",
        "producer",
        "manufacturer",
    ),
    "address": ("dia chi", "dia chi chu the", "address"),
    "product_set": (
        "bo san pham",
        "nhom san pham",
        "phan nhom",
        "nhom",
        "nganh nhom",
        "product set",
        "group",
        "type",
    ),
    "stars": ("so sao", "hang sao", "xep hang", "ket qua xep hang", "sao", "stars", "star"),
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
        "decision date",
    ),
    "representative": ("nguoi dai dien", "dai dien", "representative"),
    "description": ("mo ta", "mo ta san pham", "gioi thieu san pham", "description"),
    "story": ("cau chuyen", "cau chuyen san pham", "story"),
}

_REQUIRED_LABELS: dict[str, tuple[str, str]] = {
    "product": ("tên sản phẩm", "product"),
    "producer": ("chủ thể", "producer"),
    "stars": ("số sao", "stars"),
    "decision_number": ("số quyết định", "decision number"),
    "decision_date": ("ngày quyết định", "decision date"),
    "product_set": ("bộ sản phẩm", "product set"),
}


def _missing(field: str) -> str:
    """The reason for a row without a required value, naming the column both ways."""
    vietnamese, english = _REQUIRED_LABELS[field]
    return f"thiếu {vietnamese} (missing {english})"


def _header_field(cell) -> str | None:
    """The column a header cell names, or None.

    Exact names win; a longer header that starts with a multi-word name
    ("Tên sản phẩm OCOP đạt") also counts, because sheets decorate headers.
    """
    folded = _fold(_text(cell))
    if not folded:
        return None
    for field, aliases in _HEADER_ALIASES.items():
        if folded in aliases:
            return field
    for field, aliases in _HEADER_ALIASES.items():
        if any(" " in alias and folded.startswith(alias + " ") for alias in aliases):
            return field
    return None


def _header_columns(row: list) -> dict[str, int]:
    """Column index of each recognised field; the first column of a name wins."""
    columns: dict[str, int] = {}
    for index, cell in enumerate(row):
        field = _header_field(cell)
        if field and field not in columns:
            columns[field] = index
    return columns


def _find_header(rows: list[list]) -> tuple[int, dict[str, int]] | None:
    """The first row among the top rows that names enough known columns."""
    for index, row in enumerate(rows[:HEADER_SEARCH_ROWS]):
        columns = _header_columns(row)
        if len(columns) >= MIN_HEADER_MATCHES:
            return index, columns
    return None


# ---------------------------------------------------------------- values

_STAR_WORDS = {"mot": 1, "hai": 2, "ba": 3, "bon": 4, "nam": 5}


def _parse_stars(value) -> tuple[int, bool]:
    """(stars, potential) from 3, "3 sao", "3*", "★★★" or "5 sao tiềm năng".

    "Potential 5★" is a province's score of 90+ awaiting the national council;
    it is reported as 5 stars with `is_national` False, which is how the
    national API marks it too.
    """
    if isinstance(value, bool):
        raise ValueError(value)
    if isinstance(value, int | float):
        if float(value).is_integer() and 1 <= value <= 5:
            return int(value), False
        raise ValueError(value)
    text = _text(value)
    folded = _fold(text)
    potential = "tiem nang" in folded
    number = re.search(r"\d+(?:[.,]\d+)?", text)
    if number:
        amount = float(number.group().replace(",", "."))
        stars = int(amount) if amount.is_integer() else 0
    elif "★" in folded or "*" in folded:
        stars = folded.count("★") + folded.count("*")
    else:
        words = [_STAR_WORDS[word] for word in folded.split() if word in _STAR_WORDS]
        stars = words[0] if words else (5 if potential else 0)
    if not 1 <= stars <= 5 or (potential and stars != 5):
        raise ValueError(value)
    return stars, potential


_DATE_PATTERNS = (
    (re.compile(r"^(\d{4})-(\d{1,2})-(\d{1,2})(?:[ t].*)?$"), ("y", "m", "d")),
    (re.compile(r"^(\d{1,2})[/.-](\d{1,2})[/.-](\d{4})$"), ("d", "m", "y")),
    (re.compile(r"^(?:ngay )?(\d{1,2}) thang (\d{1,2}) nam (\d{4})$"), ("d", "m", "y")),
)


def _parse_date(value) -> date:
    """A decision date from an Excel date, dd/mm/yyyy, d/m/yyyy or yyyy-mm-dd.

    Vietnamese dates are day-first, so "05/04/2024" is 5 April. Raises
    ValueError for anything else, including impossible dates like 31/02.
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
    text = _text(value).lower()
    for candidate in (text, _fold(text)):
        for pattern, order in _DATE_PATTERNS:
            match = pattern.match(candidate)
            if match:
                parts = dict(zip(order, (int(group) for group in match.groups()), strict=True))
                return date(parts["y"], parts["m"], parts["d"])
    raise ValueError(value)


def _split_decision(text: str) -> tuple[str, str]:
    """Split a combined column: "1234/QĐ-UBND ngày 12/5/2024" → number and date text."""
    text = re.sub(r"(?i)^s[ốo]\s*:?\s*", "", text)
    number, _, rest = text.partition(" ")
    rest = re.sub(r"(?i)^[\s,;]*(?:ng[àa]y)?\s*:?\s*", "", rest)
    return number.rstrip(",;"), rest.strip(" .")


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
    (code, tuple(_fold(keyword) for keyword in keywords)) for code, keywords in _TYPE_RULES
)
_TYPE_CODES = frozenset({"food", "drink", "herbs", "cloth", "keepsake", "travel"})


def _has_word(text: str, keyword: str) -> bool:
    return re.search(rf"(?<!\w){re.escape(keyword)}(?!\w)", text) is not None


def product_type_from_set(product_set: str) -> str | None:
    """The API's old `type` code for a product set name, or None if unknown.

    Decision lists name the 26 product sets of Decision 148/QĐ-TTg (or the
    older groups of 1048/QĐ-TTg) in free text; the national API still uses
    six codes. Ornamental plants and animals have no code of their own and
    go with decorations under "keepsake", as they did before 2023.
    """
    text = _text(product_set).lower()
    if text in _TYPE_CODES:
        return text
    # "Hoa" alone is the ornamental flowers set; "hoa quả" is fruit.
    text = re.sub(r"(?<!\w)hoa quả(?!\w)", "trái cây", text)
    rules = _TYPE_RULES
    if text.isascii():
        text, rules = _fold(text), _TYPE_RULES_ASCII
    for code, keywords in rules:
        if any(_has_word(text, keyword) for keyword in keywords):
            return code
    return None


def is_ministerial(decision_number: str) -> bool:
    """Whether a decision number is the central ministry's (national 5★).

    Provincial decisions read "…/QĐ-UBND"; ministerial and Prime Minister's
    ones carry "BNN" (Ministry of Agriculture), "TTg" or "Bộ".
    """
    tokens = _fold(decision_number).split()
    return any(token in ("ttg", "bo") or token.startswith("bnn") for token in tokens)


def _normalised(text: str) -> str:
    return _text(text).casefold()


def _normalised_number(decision_number: str) -> str:
    """Decision number without spaces or diacritics: "123 / QĐ-UBND" ≡ "123/QD-UBND"."""
    return _fold(decision_number).replace(" ", "")


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


# ---------------------------------------------------------------- rows


@dataclass(frozen=True)
class _TitleDecision:
    """A decision named once in the title rows ("Kèm theo Quyết định số … ngày …").

    Many provinces publish one decision per list and leave the columns out;
    rows without their own number and date inherit these.
    """

    number: str = ""
    signed_on: date | None = None


def _title_decision(title_rows: list[list]) -> _TitleDecision:
    """Read a decision number and date out of the rows above the header, if any."""
    text = " ".join(_text(cell) for row in title_rows for cell in row if _text(cell))
    folded = _fold(text)
    match = _TITLE_DECISION.search(folded)
    if not match:
        return _TitleDecision()
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
    return _TitleDecision(number=number, signed_on=signed_on)


def _cell(row: list, columns: dict[str, int], field: str):
    index = columns.get(field)
    if index is None or index >= len(row):
        return None
    return row[index]


def _phone(value) -> str:
    """Phone as text; a number typed into Excel loses its leading zero, so restore it."""
    text = _text(value)
    if isinstance(value, int | float) and len(text) == 9 and not text.startswith("0"):
        return "0" + text
    return text


def _row_record(
    row: list, columns: dict[str, int], title: _TitleDecision
) -> tuple[dict | None, str]:
    """Build the API-shaped record for one row, or collect every reason it fails."""
    values = {field: _text(_cell(row, columns, field)) for field in _HEADER_ALIASES}
    errors = [_missing(field) for field in ("product", "producer") if not values[field]]
    combined_number, combined_date = _split_decision(values["decision"])
    number = values["decision_number"] or combined_number or title.number
    if not number:
        errors.append(_missing("decision_number"))

    stars, potential = 0, False
    raw_stars = _cell(row, columns, "stars")
    if _text(raw_stars) == "":
        errors.append(_missing("stars"))
    else:
        try:
            stars, potential = _parse_stars(raw_stars)
        except ValueError:
            errors.append(
                f"số sao không hợp lệ: {_text(raw_stars)!r} (invalid stars, expected 1-5)"
            )

    signed_on = None
    raw_date = _cell(row, columns, "decision_date")
    if _text(raw_date) == "":
        raw_date = combined_date
    if _text(raw_date) == "":
        signed_on = title.signed_on
        if signed_on is None:
            errors.append(_missing("decision_date"))
    else:
        try:
            signed_on = _parse_date(raw_date)
        except ValueError:
            errors.append(
                f"ngày quyết định không hợp lệ: {_text(raw_date)!r} "
                "(invalid decision date, expected dd/mm/yyyy or yyyy-mm-dd)"
            )

    product_type = None
    if not values["product_set"]:
        errors.append(_missing("product_set"))
    else:
        product_type = product_type_from_set(values["product_set"])
        if product_type is None:
            errors.append(f"bộ sản phẩm không rõ: {values['product_set']!r} (unknown product set)")

    if errors:
        return None, "; ".join(errors)
    return {
        "id": decision_record_id(number, values["product"], values["producer"]),
        "name": values["product"],
        "type": product_type,
        "ocop_star": stars,
        "description": values["description"],
        "story": values["story"],
        "ocop_certificate_number": number,
        "issued_on": signed_on.isoformat(),
        "expiry_date": None,
        "is_national": False if potential else is_ministerial(number),
        "image": None,
        "manufacturer": {
            "name": values["producer"],
            "representative": values["representative"],
            "address": values["address"],
            "phone_number": _phone(_cell(row, columns, "phone")),
            "email": values["email"],
        },
    }, ""


def _rows_to_results(rows: list[list], source: str) -> list[DecisionListRow]:
    """Find the header, then turn every non-blank row below it into a result."""
    found = _find_header(rows)
    if found is None:
        raise DecisionListError(
            f"Không tìm thấy dòng tiêu đề trong {source}: cần ít nhất {MIN_HEADER_MATCHES} cột "
            "như Tên sản phẩm, Chủ thể, Số sao, Số quyết định, Ngày quyết định. "
            f"(No recognisable header row in {source}: expected at least "
            f"{MIN_HEADER_MATCHES} columns such as product, producer, stars, decision number, "
            "decision date.)"
        )
    header_index, columns = found
    title = _title_decision(rows[:header_index])
    results: list[DecisionListRow] = []
    first_line: dict[int, int] = {}
    for index in range(header_index + 1, len(rows)):
        row = rows[index]
        if not any(_text(cell) for cell in row):
            continue  # blank spacer rows are layout, not data
        line = index + 1
        record, error = _row_record(row, columns, title)
        if record is not None and record["id"] in first_line:
            record, error = (
                None,
                (
                    f"trùng với dòng {first_line[record['id']]} "
                    f"(duplicate of line {first_line[record['id']]})"
                ),
            )
        if record is not None:
            first_line[record["id"]] = line
        results.append(DecisionListRow(line=line, record=record, error=error))
    return results


# ---------------------------------------------------------------- files


def _best_delimiter(text: str) -> str:
    """The delimiter among , ; and tab that yields the most recognisable header.

    csv.Sniffer guesses from character frequencies and is easily fooled by
    commas inside Vietnamese addresses; the header itself is a surer sign.
    """

    head = "\n".join(text.splitlines()[:HEADER_SEARCH_ROWS])

    def score(delimiter: str) -> tuple[int, int]:
        rows = list(csv.reader(io.StringIO(head), delimiter=delimiter))
        best = max((len(_header_columns(row)) for row in rows), default=0)
        return best, -_DELIMITERS.index(delimiter)

    return max(_DELIMITERS, key=score)


def _read_csv(path: Path) -> list[list]:
    try:
        text = path.read_bytes().decode("utf-8-sig")
    except UnicodeDecodeError as exc:
        raise DecisionListError(
            f"Tệp {path.name} không phải UTF-8; hãy lưu lại dưới dạng CSV UTF-8. "
            f"({path.name} is not UTF-8 text; save it as CSV UTF-8.)"
        ) from exc
    try:
        return list(csv.reader(io.StringIO(text, newline=""), delimiter=_best_delimiter(text)))
    except csv.Error as exc:
        raise DecisionListError(
            f"Không đọc được CSV {path.name}: {exc} (cannot parse CSV {path.name}: {exc})"
        ) from exc


def _read_xlsx(path: Path) -> list[list]:
    try:
        workbook = load_workbook(path, read_only=True, data_only=True)
    except (InvalidFileException, zipfile.BadZipFile, KeyError, OSError) as exc:
        raise DecisionListError(
            f"Tệp {path.name} không phải bảng tính Excel .xlsx hợp lệ. "
            f"({path.name} is not a valid .xlsx workbook.)"
        ) from exc
    try:
        sheet = workbook.worksheets[0]
        # Some exporters write wrong sheet dimensions; read every row instead.
        sheet.reset_dimensions()
        return [list(row) for row in sheet.iter_rows(values_only=True)]
    finally:
        workbook.close()


def decision_list_read(path: str | Path) -> list[DecisionListRow]:
    """Read a provincial decision list into one result per data row.

    Raises DecisionListError when the file cannot be read at all: an
    unsupported type, undecodable text, a broken workbook, or no header row.
    """
    path = Path(path)
    suffix = path.suffix.lower()
    if suffix not in (".csv", ".xlsx"):
        raise DecisionListError(
            f"Không hỗ trợ định dạng tệp {path.name!r}: chỉ nhận .csv và .xlsx. "
            f"(Unsupported file type {path.name!r}: only .csv and .xlsx are read.)"
        )
    if not path.is_file():
        raise DecisionListError(
            f"Không tìm thấy tệp {str(path)!r}. (File not found: {str(path)!r}.)"
        )
    rows = _read_csv(path) if suffix == ".csv" else _read_xlsx(path)
    return _rows_to_results(rows, path.name)

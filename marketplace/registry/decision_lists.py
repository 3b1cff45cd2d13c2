"""Provincial OCOP decision lists (CSV or XLSX) read into registry records.

Provinces announce certifications as spreadsheets attached to a decision of
the provincial People's Committee, often before (or instead of) the products
appearing in the national system's API. Every province lays them out its own
way: a title block, one- or two-row merged headers, grouping and total rows,
notes and signatures below, sometimes on a second sheet. This module turns
such a file into records in the national API's shape (see record_format.md),
so the sync treats them like any other source.

Three outcomes, kept apart so an operator can act on each:
- a data row becomes a record, or is rejected with its reason (the sync
  stores rejected rows, and an operator fixes the sheet);
- a layout row (group title, column numbers, total, footnote) is skipped and
  reported, since it is neither data nor a mistake;
- a file that cannot be a decision list at all raises `DecisionListError`
  with one reason, never another exception.

Header recognition and layout rows live in `decision_list_layout`, cell
parsing in `decision_list_values`.
"""

import csv
import dataclasses
import io
import itertools
import logging
import posixpath
import re
import zipfile
import zlib
from dataclasses import dataclass
from datetime import date
from pathlib import Path
from xml.etree import ElementTree

from openpyxl import load_workbook
from openpyxl.utils import get_column_letter, range_boundaries
from openpyxl.utils.exceptions import InvalidFileException
from openpyxl.xml.functions import fromstring

from marketplace.ocop.models import Certificate, Producer
from marketplace.registry.addresses import address_parse, province_2025
from marketplace.registry.decision_list_layout import (
    FIELDS,
    HEADER_SEARCH_ROWS,
    MIN_HEADER_MATCHES,
    Header,
    TitleDecision,
    header_columns,
    header_find,
    header_missing,
    header_missing_message,
    is_column_numbers,
    layout_kind,
    title_decision,
    title_province,
)
from marketplace.registry.decision_list_values import (
    cell_text,
    cut,
    decision_record_id,
    is_ministerial,
    parse_date,
    parse_score,
    parse_stars,
    phone_text,
    product_type_from_set,
    quoted,
    split_decision,
    stars_from_score,
)

__all__ = [
    "MAX_ROWS",
    "DecisionList",
    "DecisionListError",
    "DecisionListRow",
    "SkippedRow",
    "decision_list_read",
    "decision_record_id",
    "is_ministerial",
    "product_type_from_set",
]

logger = logging.getLogger(__name__)

MAX_ROWS = 20_000
"""The most non-blank rows below a sheet's header that a list may hold.

The whole country has about 17,000 OCOP products; a longer sheet is not one
province's decision, and reading it would hold a worker for minutes."""

MAX_SHEET_LINES = 100_000
"""How far down a sheet (blank rows included) reading goes before refusing:
a few bytes of XML can claim a row a million lines down."""

MAX_COLUMNS = 100
"""Columns read per row. A list has about a dozen; a cell in column XFD would
otherwise make every row 16,384 cells wide."""

MAX_UNCOMPRESSED_BYTES = 50 * 1024 * 1024
"""The most a workbook's parts may hold once uncompressed, in total and for
any one part. A national-size list of 17,000 rows holds about 10 MB of XML;
images barely compress, so an upload under its size limit stays far below."""

MAX_COMPRESSION_RATIO = 100
"""Real sheet XML compresses 10-15:1; a part over 1 MB compressed harder is
a decompression bomb (one cell of a repeated character)."""

_RATIO_CHECK_FROM = 1024 * 1024
MAX_CSV_BYTES = 20 * 1024 * 1024
"""A national-size CSV list is about 7 MB; a larger one is not a decision list."""
CELLS_TEXT_LIMIT = 200
"""How much of each cell a row keeps in `DecisionListRow.cells`."""

_DELIMITERS = (",", ";", "\t")
_SKIPPED_TEXT_LIMIT = 200
_MERGE_FILL_BUDGET = MAX_SHEET_LINES * 20
_ZIP_MAGIC = b"PK\x03\x04"
_OLE2_MAGIC = b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1"
_DAMAGED = (
    InvalidFileException,
    zipfile.BadZipFile,
    zlib.error,
    ElementTree.ParseError,
    EOFError,
    KeyError,
    OSError,
)
"""What openpyxl raises for a zip that is not a whole workbook: a cut-short
download, a missing part, broken XML."""

_LIMITS: dict[str, int] = {
    "product": Certificate._meta.get_field("name").max_length,
    "decision_number": Certificate._meta.get_field("number").max_length,
    "producer": Producer._meta.get_field("name").max_length,
    "representative": Producer._meta.get_field("representative").max_length,
    "phone": Producer._meta.get_field("phone").max_length,
    "email": Producer._meta.get_field("email").max_length,
    "address": Producer._meta.get_field("address_raw").max_length,
}
"""The longest value each field's database column holds. A longer cell rejects
its row by name; cutting it would certify a product under a name nobody wrote."""


class DecisionListError(ValueError):
    """A file that cannot be read as a decision list at all."""


@dataclass
class DecisionListRow:
    """One data row: a record in the API's shape, or the reason it has none.

    `line` is the row number a person sees in a spreadsheet program (1-based,
    title and header rows included), so a rejection can be found in the file;
    `sheet` names its sheet ("" for CSV). `cells` holds what the row said,
    field by field as read (each cut to 200 characters), so an operator can
    see a rejected row without opening the file.
    """

    line: int
    record: dict | None
    error: str
    sheet: str = ""
    cells: dict[str, str] = dataclasses.field(default_factory=dict)


@dataclass
class SkippedRow:
    """A layout row: neither data nor a mistake, reported so nothing vanishes unseen.

    `kind` is "group", "column_numbers", "total", "footnote", or "header" for
    a header repeated on each printed page.
    """

    line: int
    kind: str
    text: str
    sheet: str = ""


@dataclass
class DecisionList:
    """What a decision list holds: its data rows, its layout rows, and where the table was.

    The decision number and date come from the title block; rows without
    their own already carry them in their records. `sheet` names the sheets
    read, comma-joined when the list spans several ("3 sao, 4 sao");
    `header_line` is the first one's, and `sheets` lists them one by one.
    `province` is the post-2025 province the title names ("" if none); rows
    whose address names no province carry it.
    """

    rows: list[DecisionListRow]
    skipped: list[SkippedRow]
    sheet: str
    header_line: int
    decision_number: str
    decision_date: date | None
    province: str = ""
    sheets: list[str] = dataclasses.field(default_factory=list)

    @property
    def records(self) -> list[dict]:
        """The records of the rows that make one, in file order."""
        return [row.record for row in self.rows if row.record is not None]

    @property
    def rejected(self) -> list[DecisionListRow]:
        """The data rows that could not become a record, each with its reason."""
        return [row for row in self.rows if row.record is None]


@dataclass
class _Sheet:
    """A sheet's cell values, and the formulas that have no saved value.

    `formulas` maps a row index to {column index: formula} for cells whose
    saved value is missing (openpyxl writes none; Excel does on save).
    """

    name: str
    rows: list
    formulas: dict[int, dict[int, str]]


@dataclass
class _Table:
    """One sheet's table: its header, and the decision and province over it.

    `label` prefixes reasons when the list spans several sheets ("trang «4
    sao», "), and is empty otherwise.
    """

    sheet: _Sheet
    header: Header
    title: TitleDecision
    province: str
    label: str = ""


# ---------------------------------------------------------------- rows

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


def _cell(row: list, header: Header, field: str):
    index = header.columns.get(field)
    if index is None or index >= len(row):
        return None
    return row[index]


def _where(header: Header, field: str, line: int) -> str:
    """ "dòng 7, cột Chủ thể (C7)": how an operator finds one cell in the file."""
    column = header.columns[field]
    return f"dòng {line}, cột {header.labels[column]} ({get_column_letter(column + 1)}{line})"


def _formula_reasons(
    row: list, formulas: dict[int, str], header: Header, line: int
) -> dict[str, str]:
    """A reason per used column whose formula has no saved value, keyed by field.

    Without Excel's saved result the cell reads as empty; saying "missing
    stars" would send the operator looking for a value that is in the file.
    """
    reasons: dict[str, str] = {}
    for field, column in header.columns.items():
        formula = formulas.get(column)
        if formula is None or (column < len(row) and row[column] is not None):
            continue
        shown = formula if len(formula) <= 60 else formula[:59] + "…"
        reasons[field] = (
            f"{_where(header, field, line)}: công thức {shown} chưa có giá trị đã lưu; "
            "mở và lưu lại tệp trong Excel (formula without a saved value)"
        )
    return reasons


def _length_reasons(
    values: dict[str, str], number_field: str | None, header: Header, line: int
) -> list[str]:
    """A reason per value longer than its database column, naming the cell."""
    reasons = []
    for field, limit in _LIMITS.items():
        length = len(values[field])
        if length <= limit:
            continue
        column_field = number_field if field == "decision_number" else field
        where = (
            _where(header, column_field, line)
            if column_field in header.columns
            else f"dòng {line}, số quyết định ở tiêu đề"
        )
        reasons.append(
            f"{where}: {length} ký tự, tối đa {limit} "
            f"(too long: {length} characters, at most {limit})"
        )
    return reasons


def _decision_number(values: dict[str, str], title: TitleDecision) -> tuple[str, str, str | None]:
    """(number, date text from a combined column, the field the number came from)."""
    combined_number, combined_date = split_decision(values["decision"])
    if values["decision_number"]:
        return values["decision_number"], combined_date, "decision_number"
    if combined_number:
        return combined_number, combined_date, "decision"
    return title.number, combined_date, None


def _stars(row: list, header: Header, broken: set[str]) -> tuple[int, bool, str]:
    """(stars, potential, reason): the stars cell wins; a score stands in when it is empty.

    A cell in `broken` already has its reason (a formula without a value).
    """
    raw_stars, raw_score = _cell(row, header, "stars"), _cell(row, header, "score")
    if "stars" in broken:
        return 0, False, ""
    if cell_text(raw_stars):
        try:
            stars, potential = parse_stars(raw_stars)
        except ValueError:
            shown = quoted(cell_text(raw_stars))
            return 0, False, f"số sao không hợp lệ: {shown} (invalid stars, expected 1-5)"
        return stars, potential, ""
    if "score" in broken:
        return 0, False, ""
    if not cell_text(raw_score):
        return 0, False, _missing("stars")
    try:
        return stars_from_score(parse_score(raw_score)), False, ""
    except ValueError:
        shown = quoted(cell_text(raw_score))
        return 0, False, f"điểm không hợp lệ: {shown} (invalid score, expected 0-100)"


def _signed_on(raw, title: TitleDecision) -> tuple[date | None, str]:
    """The decision date from its cell, else the title block's, with the reason if neither."""
    if cell_text(raw) == "":
        if title.signed_on is None:
            return None, _missing("decision_date")
        return title.signed_on, ""
    try:
        return parse_date(raw), ""
    except ValueError:
        return None, (
            f"ngày quyết định không hợp lệ: {quoted(cell_text(raw))} "
            "(invalid decision date, expected dd/mm/yyyy or yyyy-mm-dd)"
        )


def _product_type(product_set: str) -> tuple[str | None, str]:
    if not product_set:
        return None, _missing("product_set")
    product_type = product_type_from_set(product_set)
    if product_type is None:
        return None, f"bộ sản phẩm không rõ: {quoted(product_set)} (unknown product set)"
    return product_type, ""


_CITY_PROVINCES = frozenset({"Hà Nội", "Hải Phòng", "Đà Nẵng", "Huế", "Hồ Chí Minh", "Cần Thơ"})
"""The centrally-run cities, written "Thành phố …"; every other province is "Tỉnh …"."""


def _with_province(address: str, province: str) -> str:
    """The address with the title's province appended when it names none it knows.

    "Xã Hương Sơn, Huyện Mỹ Đức" in a Hà Nội list becomes "…, Thành phố Hà
    Nội", so the producer is known in its province. An address that names a
    known province is left alone, and so is one the suffix would push past
    its column (it imports as written rather than being rejected for it).
    """
    if not province or province_2025(address_parse(address).province):
        return address
    prefix = "Thành phố" if province in _CITY_PROVINCES else "Tỉnh"
    suffix = f"{prefix} {province}"
    extended = f"{address.rstrip(' ,;.')}, {suffix}" if address else suffix
    return extended if len(extended) <= _LIMITS["address"] else address


def _row_record(
    row: list, formulas: dict[int, str], table: _Table, line: int
) -> tuple[dict | None, str]:
    """Build the API-shaped record for one row, or collect every reason it fails."""
    header, title = table.header, table.title
    formula_reasons = _formula_reasons(row, formulas, header, line)
    broken = set(formula_reasons)
    values = {field: cell_text(_cell(row, header, field)) for field in FIELDS}
    values["phone"] = phone_text(_cell(row, header, "phone"))
    number, combined_date, number_field = _decision_number(values, title)
    values["decision_number"] = number

    errors = list(formula_reasons.values())
    errors += [
        _missing(field)
        for field in ("product", "producer", "decision_number")
        if not values[field] and field not in broken
    ]
    stars, potential, reason = _stars(row, header, broken)
    errors.append(reason)
    raw_date = _cell(row, header, "decision_date")
    signed_on, reason = _signed_on(raw_date if cell_text(raw_date) else combined_date, title)
    errors.append("" if broken & {"decision_date", "decision"} else reason)
    product_type, reason = _product_type(values["product_set"])
    errors.append("" if "product_set" in broken else reason)
    errors += _length_reasons(values, number_field, header, line)

    errors = [error for error in errors if error]
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
            "address": _with_province(values["address"], table.province),
            "phone_number": values["phone"],
            "email": values["email"],
        },
    }, ""


def _row_cells(row: list, header: Header) -> dict[str, str]:
    """What a row said in each recognised column, as read, each cut to 200 characters."""
    return {
        field: cut(cell_text(row[column]) if column < len(row) else "", CELLS_TEXT_LIMIT)
        for field, column in header.columns.items()
    }


def _is_data(texts: list[str], formulas: dict[int, str], header: Header) -> bool:
    """Whether a row has a product, a producer and stars (or a score): data, never layout."""

    def filled(field: str) -> bool:
        index = header.columns.get(field)
        return index is not None and bool(
            (index < len(texts) and texts[index]) or index in formulas
        )

    return filled("product") and filled("producer") and (filled("stars") or filled("score"))


def _skipped(line: int, kind: str, texts: list[str], sheet: str) -> SkippedRow:
    text = cut(" | ".join(text for text in texts if text), _SKIPPED_TEXT_LIMIT)
    return SkippedRow(line=line, kind=kind, text=text, sheet=sheet)


def _labelled(error: str, label: str, line: int) -> str:
    """A row's reason naming its sheet, when the list spans several sheets."""
    if not label:
        return error
    return f"{label}{error}" if error.startswith("dòng ") else f"{label}dòng {line}: {error}"


def _duplicate(table: _Table, first: tuple[_Table, int]) -> str:
    first_table, first_line = first
    if first_table is table or not first_table.label:
        return f"trùng với dòng {first_line} (duplicate of line {first_line})"
    name = first_table.sheet.name
    return (
        f"trùng với trang «{name}», dòng {first_line} "
        f"(duplicate of sheet «{name}», line {first_line})"
    )


def _table_rows(table: _Table, first_seen: dict[int, tuple[_Table, int]]):
    """Walk the rows below the header: data rows to results, layout rows to skipped.

    Only truly blank rows go unreported. Once a footnote starts, every later
    row that is not data belongs to the notes and signatures. `first_seen`
    maps a record id to where it was first read, across every sheet.
    """
    sheet, header = table.sheet, table.header
    results: list[DecisionListRow] = []
    skipped: list[SkippedRow] = []
    after_table = False
    header_rows = [
        [text for text in map(cell_text, sheet.rows[index]) if text]
        for index in range(header.first_index, header.index + 1)
    ]
    for index in range(header.index + 1, len(sheet.rows)):
        row, line = sheet.rows[index], index + 1
        formulas = sheet.formulas.get(index, {})
        texts = [cell_text(cell) for cell in row]
        if not any(texts) and not formulas:
            continue  # blank spacer rows are layout, not data
        filled = [text for text in texts if text]
        if filled in header_rows:
            # The header printed again at the top of each page.
            skipped.append(_skipped(line, "header", texts, sheet.name))
            continue
        if is_column_numbers(filled):
            # "(1) (2) … (8)" fills the product and stars columns too; no data looks like it.
            skipped.append(_skipped(line, "column_numbers", texts, sheet.name))
            continue
        if filled and not _is_data(texts, formulas, header):
            kind = layout_kind(filled, after_table=after_table)
            if kind is not None:
                after_table = after_table or kind == "footnote"
                skipped.append(_skipped(line, kind, texts, sheet.name))
                continue
        record, error = _row_record(row, formulas, table, line)
        if record is not None and record["id"] in first_seen:
            record, error = None, _duplicate(table, first_seen[record["id"]])
        if record is not None:
            first_seen[record["id"]] = (table, line)
        results.append(
            DecisionListRow(
                line=line,
                record=record,
                error=_labelled(error, table.label, line) if error else error,
                sheet=sheet.name,
                cells=_row_cells(row, header),
            )
        )
    return results, skipped


def _read_tables(tables: list[_Table], source: str) -> DecisionList:
    """The list the tables hold, in sheet order; refused when it has no data row."""
    if len(tables) > 1:
        for table in tables:
            table.label = f"trang «{table.sheet.name}», "
    rows: list[DecisionListRow] = []
    skipped: list[SkippedRow] = []
    first_seen: dict[int, tuple[_Table, int]] = {}
    for table in tables:
        table_rows, table_skipped = _table_rows(table, first_seen)
        rows += table_rows
        skipped += table_skipped
    if not rows:
        raise DecisionListError(
            "Danh sách không có dòng sản phẩm nào (no product rows): "
            f"{source}, dưới dòng tiêu đề {tables[0].header.index + 1}."
        )
    first = tables[0]
    return DecisionList(
        rows=rows,
        skipped=skipped,
        sheet=", ".join(table.sheet.name for table in tables),
        header_line=first.header.index + 1,
        decision_number=first.title.number,
        decision_date=first.title.signed_on,
        province=next((table.province for table in tables if table.province), ""),
        sheets=[table.sheet.name for table in tables],
    )


def _titles(candidates: list[tuple[object, list, Header]]) -> list[tuple[TitleDecision, str]]:
    """(decision, province) over each candidate table, from the rows above its header.

    A sheet whose title names no decision (or no province) takes the first
    one another sheet's title names: a list split into "3 sao" and "4 sao"
    sheets often prints the title block once.
    """
    own = [
        (title_decision(head[: header.first_index]), title_province(head[: header.first_index]))
        for _, head, header in candidates
    ]
    fallback = next((title for title, _ in own if title.number), TitleDecision())
    province = next((found for _, found in own if found), "")
    return [
        (title if title.number or title.signed_on else fallback, found or province)
        for title, found in own
    ]


def _no_header(source: str) -> DecisionListError:
    return DecisionListError(
        f"Không tìm thấy dòng tiêu đề trong {source}: cần ít nhất {MIN_HEADER_MATCHES} cột "
        "như Tên sản phẩm, Chủ thể, Bộ sản phẩm, Số sao, Số quyết định, Ngày quyết định. "
        f"(No recognisable header row in {source}: expected at least "
        f"{MIN_HEADER_MATCHES} columns such as product, producer, product set, stars, "
        "decision number, decision date.)"
    )


def _thousands(number: int) -> tuple[str, str]:
    """(Vietnamese, English) spellings of a count: "20.000", "20,000"."""
    english = f"{number:,}"
    return english.replace(",", "."), english


def _too_many_rows(where: str) -> DecisionListError:
    vietnamese, english = _thousands(MAX_ROWS)
    return DecisionListError(
        f"{where}: danh sách có hơn {vietnamese} dòng dưới dòng tiêu đề; cả nước chỉ có "
        "khoảng 17.000 sản phẩm OCOP, hãy chia danh sách thành nhiều tệp. "
        f"({where}: more than {english} rows below the header; split the list into "
        "several files.)"
    )


def _too_long_sheet(where: str) -> DecisionListError:
    vietnamese, english = _thousands(MAX_SHEET_LINES)
    return DecisionListError(
        f"{where}: trang tính kéo dài quá dòng {vietnamese}; hãy xoá các dòng thừa ở cuối "
        f"trang rồi lưu lại. ({where}: the sheet runs past line {english}; delete the "
        "unused rows at its end and save it again.)"
    )


class _RowCounter:
    """Counts non-blank rows below the header as a sheet is read, refusing too many."""

    def __init__(self, header_index: int, where: str):
        self.header_index = header_index
        self.where = where
        self.count = 0

    def add(self, index: int, row) -> None:
        if index >= MAX_SHEET_LINES:
            raise _too_long_sheet(self.where)
        if index > self.header_index and any(cell is not None and cell != "" for cell in row):
            self.count += 1
            if self.count > MAX_ROWS:
                raise _too_many_rows(self.where)


# ---------------------------------------------------------------- CSV


def _best_delimiter(text: str) -> str:
    """The delimiter among , ; and tab that yields the most recognisable header.

    csv.Sniffer guesses from character frequencies and is easily fooled by
    commas inside Vietnamese addresses; the header itself is a surer sign.
    """

    head = "".join(itertools.islice(io.StringIO(text, newline=None), HEADER_SEARCH_ROWS))

    def score(delimiter: str) -> tuple[int, int]:
        rows = list(csv.reader(io.StringIO(head), delimiter=delimiter))
        best = max((len(header_columns(row)) for row in rows), default=0)
        return best, -_DELIMITERS.index(delimiter)

    return max(_DELIMITERS, key=score)


def _read_csv(path: Path) -> DecisionList:
    if path.stat().st_size > MAX_CSV_BYTES:
        raise _too_big(path, MAX_CSV_BYTES, "tệp", "the file")
    data = path.read_bytes()
    if data.startswith(_ZIP_MAGIC):
        raise DecisionListError(
            f"Tệp {path.name} là bảng tính Excel mang đuôi .csv; hãy đổi đuôi thành .xlsx. "
            f"({path.name} is not UTF-8 text: it is an Excel workbook named .csv.)"
        )
    try:
        text = data.decode("utf-8-sig")
    except UnicodeDecodeError as exc:
        raise DecisionListError(
            f"Tệp {path.name} không phải UTF-8; hãy lưu lại dưới dạng CSV UTF-8. "
            f"({path.name} is not UTF-8 text; save it as CSV UTF-8.)"
        ) from exc
    del data
    try:
        reader = csv.reader(io.StringIO(text, newline=""), delimiter=_best_delimiter(text))
        rows = list(itertools.islice(reader, HEADER_SEARCH_ROWS + 1))
        header = header_find(rows)
        if header is None:
            raise _no_header(path.name)
        counter = _RowCounter(header.index, path.name)
        for index, row in enumerate(rows):
            counter.add(index, row)
        for row in reader:
            counter.add(len(rows), row)
            rows.append(row)
    except csv.Error as exc:
        raise DecisionListError(
            f"Không đọc được CSV {path.name}: {exc} (cannot parse CSV {path.name}: {exc})"
        ) from exc
    ((title, province),) = _titles([("", rows, header)])
    missing = header_missing(header, title)
    if missing:
        raise DecisionListError(
            header_missing_message(missing, where=path.name, header=header, rows=rows)
        )
    sheet = _Sheet(name="", rows=rows, formulas={})
    return _read_tables([_Table(sheet, header, title, province)], path.name)


# ---------------------------------------------------------------- XLSX


def _not_xlsx(path: Path, what_vi: str, what_en: str, advice_vi: str) -> DecisionListError:
    return DecisionListError(
        f"Tệp {path.name} không phải bảng tính Excel .xlsx hợp lệ: {what_vi}; {advice_vi}. "
        f"({path.name} is not a valid .xlsx workbook: {what_en}.)"
    )


def _too_big(path: Path, limit: int, what_vi: str, what_en: str) -> DecisionListError:
    megabytes = f"{limit / (1024 * 1024):g}"
    return DecisionListError(
        f"Tệp {path.name} quá lớn: {what_vi} vượt quá {megabytes} MB; một danh sách quyết "
        "định cấp tỉnh không lớn đến vậy. "
        f"({path.name} is too large: {what_en} exceeds {megabytes} MB.)"
    )


def _sniff_xlsx(path: Path) -> None:
    """Refuse, by its first bytes, a file that only carries an .xlsx name.

    Provinces' portals serve HTML tables and old .xls files under .xlsx
    names, and people rename CSVs; each gets advice rather than a zip error.
    """
    with path.open("rb") as handle:
        head = handle.read(4096)
    if head.startswith(_ZIP_MAGIC):
        return
    save_as = "hãy mở trong Excel và lưu dưới dạng Excel Workbook (.xlsx)"
    if not head:
        raise _not_xlsx(path, "tệp trống", "the file is empty", "hãy tải lại tệp")
    if head.startswith(_OLE2_MAGIC):
        raise _not_xlsx(
            path,
            "đây là tệp Excel 97–2003 (.xls) đổi đuôi, hoặc tệp có mật khẩu",
            "it is an old Excel 97-2003 .xls file renamed, or a password-protected workbook",
            save_as + " (bỏ mật khẩu nếu có)",
        )
    stripped = head.lstrip(b"\xef\xbb\xbf \t\r\n").lower()
    if stripped.startswith(b"<"):
        raise _not_xlsx(
            path,
            "đây là trang HTML/XML (thường do cổng thông tin xuất ra) đổi đuôi",
            "it is an HTML or XML page renamed .xlsx",
            save_as,
        )
    try:
        head.decode("utf-8")
    except UnicodeDecodeError:
        raise _not_xlsx(path, "tệp bị hỏng", "the file is damaged", save_as) from None
    raise _not_xlsx(
        path,
        "đây là tệp văn bản (có thể là CSV) đổi đuôi",
        "it is a text file, perhaps CSV, renamed .xlsx",
        "hãy đổi đuôi thành .csv, hoặc mở trong Excel và lưu dưới dạng Excel Workbook (.xlsx)",
    )


def _check_zip(path: Path, archive: zipfile.ZipFile) -> None:
    """Refuse a workbook whose parts would unpack into far more than any list holds.

    Runs on the zip's directory before openpyxl parses anything: a 200 KB
    upload can hold one 200 MB cell, which openpyxl would read whole.
    zipfile never inflates an entry past the size its directory declares.
    """
    total = 0
    for entry in archive.infolist():
        if entry.file_size > MAX_UNCOMPRESSED_BYTES:
            raise _too_big(
                path,
                MAX_UNCOMPRESSED_BYTES,
                f"phần «{entry.filename}» khi giải nén",
                f"{entry.filename!r}",
            )
        if entry.file_size > _RATIO_CHECK_FROM and entry.file_size > MAX_COMPRESSION_RATIO * max(
            entry.compress_size, 1
        ):
            ratio = entry.file_size // max(entry.compress_size, 1)
            raise DecisionListError(
                f"Tệp {path.name} bị từ chối: phần «{entry.filename}» nén {ratio}:1, vượt xa "
                f"mọi bảng tính thật (tối đa {MAX_COMPRESSION_RATIO}:1); tệp có thể là bom "
                f"giải nén. ({path.name} refused: {entry.filename!r} is compressed {ratio}:1, "
                f"over the {MAX_COMPRESSION_RATIO}:1 any real workbook reaches.)"
            )
        total += entry.file_size
    if total > MAX_UNCOMPRESSED_BYTES:
        raise _too_big(
            path, MAX_UNCOMPRESSED_BYTES, "nội dung khi giải nén", "its content once uncompressed"
        )


_RELATIONSHIP_ID = "}id"
_OFFICE_DOCUMENT = "/officeDocument"


def _rels_path(part: str) -> str:
    folder, name = posixpath.split(part)
    return posixpath.join(folder, "_rels", f"{name}.rels")


def _rel_targets(archive: zipfile.ZipFile, part: str) -> dict[str, tuple[str, str]]:
    """{relationship id: (type, target part)} of one part, targets resolved to zip names."""
    try:
        root = fromstring(archive.read(_rels_path(part)))
    except KeyError:
        return {}
    folder = posixpath.dirname(part)
    targets = {}
    for relationship in root:
        target = relationship.get("Target", "")
        if relationship.get("TargetMode") == "External" or not target:
            continue
        resolved = target.lstrip("/") if target.startswith("/") else posixpath.join(folder, target)
        targets[relationship.get("Id", "")] = (
            relationship.get("Type", ""),
            posixpath.normpath(resolved),
        )
    return targets


def _sheet_parts(archive: zipfile.ZipFile) -> dict[str, str]:
    """{sheet title: its XML part in the zip}, read from the workbook's relationships.

    Empty when the workbook is laid out in a way this does not follow; the
    reader then does without merged ranges.
    """
    workbook = next(
        (
            target
            for kind, target in _rel_targets(archive, "").values()
            if kind.endswith(_OFFICE_DOCUMENT)
        ),
        "xl/workbook.xml",
    )
    targets = _rel_targets(archive, workbook)
    try:
        root = fromstring(archive.read(workbook))
    except KeyError:
        return {}
    parts = {}
    for element in root.iter():
        if not element.tag.endswith("}sheet"):
            continue
        rid = next((v for k, v in element.attrib.items() if k.endswith(_RELATIONSHIP_ID)), "")
        if rid in targets and "name" in element.attrib:
            parts[element.get("name")] = targets[rid][1]
    return parts


_MERGE_CELL = re.compile(
    rb"<(?:[\w.-]+:)?mergeCell\b[^>]*?\bref=\"([A-Za-z]{1,3}\d{1,7}:[A-Za-z]{1,3}\d{1,7})\""
)
_FORMULA = re.compile(rb"<(?:[\w.-]+:)?f[ >/]")


@dataclass
class _SheetXml:
    """What the raw XML of a sheet tells that read-only openpyxl does not."""

    merges: list[tuple[int, int, int, int]]
    has_formulas: bool


def _sheet_xml(archive: zipfile.ZipFile, part: str | None) -> _SheetXml:
    """The merged ranges (min_col, min_row, max_col, max_row, 1-based) of a sheet,
    and whether it holds any formula. An unknown part may hold formulas."""
    if part is None or part not in archive.NameToInfo:
        return _SheetXml(merges=[], has_formulas=True)
    data = archive.read(part)
    merges = []
    for match in _MERGE_CELL.finditer(data):
        try:
            merges.append(range_boundaries(match.group(1).decode("ascii")))
        except ValueError:
            continue
    return _SheetXml(merges=merges, has_formulas=_FORMULA.search(data) is not None)


def _fill_merges(rows: list, merges: list[tuple[int, int, int, int]], first_index: int) -> None:
    """Give each cell under the top of a vertical merge the top cell's value.

    Provinces merge a producer's name, address, product set and decision over
    its several product rows; read-only openpyxl reads the cells under the
    top one as empty. Only ranges below the header (`first_index` on) are
    filled, only in the range's first column (a horizontal merge reads as
    one cell, as it always has), and only rows with some content of their
    own: a row the merge alone reaches is not a product.
    """
    occupied = {
        index
        for index in range(first_index, len(rows))
        if any(cell is not None and cell != "" for cell in rows[index])
    }
    budget = _MERGE_FILL_BUDGET
    for min_col, min_row, _max_col, max_row in merges:
        top, column = min_row - 1, min_col - 1
        if max_row == min_row or top < first_index or top >= len(rows) or column >= MAX_COLUMNS:
            continue
        value = rows[top][column] if column < len(rows[top]) else None
        if value is None or value == "":
            continue
        for index in range(top + 1, min(max_row, len(rows))):
            budget -= 1
            if budget < 0:
                logger.warning("Merged ranges overlap beyond reason; stopped filling them")
                return
            row = rows[index]
            if index not in occupied or (column < len(row) and row[column] is not None):
                continue
            row = list(row) + [None] * (column + 1 - len(row))
            row[column] = value
            rows[index] = row


def _formula_text(value) -> str | None:
    """The formula a cell holds when read without saved values, if it holds one."""
    if isinstance(value, str):
        return value if value.startswith("=") else None
    text = getattr(value, "text", None)  # array and data-table formulas
    return text if isinstance(text, str) else None


def _unsaved_formulas(path: Path, sheets: list[_Sheet]) -> None:
    """Fill each sheet's `formulas`: its formula cells whose saved value is missing.

    openpyxl reads either saved values or formulas, so the sheets are read a
    second time; only cells that read empty the first time are kept.
    """
    if not sheets:
        return
    workbook = load_workbook(path, read_only=True, data_only=False)
    try:
        for sheet in sheets:
            worksheet = workbook[sheet.name]
            worksheet.reset_dimensions()
            rows = worksheet.iter_rows(
                values_only=True, max_row=len(sheet.rows), max_col=MAX_COLUMNS
            )
            for row_index, row in enumerate(rows):
                saved = sheet.rows[row_index] if row_index < len(sheet.rows) else ()
                for column, value in enumerate(row):
                    formula = _formula_text(value)
                    if formula and (column >= len(saved) or saved[column] is None):
                        sheet.formulas.setdefault(row_index, {})[column] = formula
    finally:
        workbook.close()


def _trimmed(row: tuple) -> tuple:
    """A row without its trailing empty cells, so blank rows hold nothing."""
    end = len(row)
    while end and row[end - 1] is None:
        end -= 1
    return row if end == len(row) else row[:end]


def _find_tables(worksheets: list, name: str) -> list[_Table]:
    """The tables a workbook holds: every sheet with a header the rows can do with.

    Visible sheets are read; hidden ones only when no visible sheet holds a
    table. A header missing a needed column is reported only when no sheet
    has a complete one. Only the top rows of each sheet are read here.
    """
    candidates: list[tuple[object, list, Header]] = []
    has_content = False
    for sheet in sorted(worksheets, key=lambda sheet: sheet.sheet_state != "visible"):
        sheet.reset_dimensions()
        head = [
            list(_trimmed(row))
            for row in sheet.iter_rows(
                values_only=True, max_row=HEADER_SEARCH_ROWS + 1, max_col=MAX_COLUMNS
            )
        ]
        has_content = has_content or any(cell_text(cell) for row in head for cell in row)
        header = header_find(head)
        if header is not None:
            candidates.append((sheet, head, header))
    titles = _titles(candidates)
    complete: dict[bool, list[_Table]] = {True: [], False: []}
    incomplete = None
    for (sheet, head, header), (title, province) in zip(candidates, titles, strict=True):
        missing = header_missing(header, title)
        if not missing:
            table = _Table(_Sheet(sheet.title, [], {}), header, title, province)
            complete[sheet.sheet_state == "visible"].append(table)
        elif incomplete is None:
            where = f"{name}, trang tính «{sheet.title}»"
            incomplete = header_missing_message(missing, where=where, header=header, rows=head)
    tables = complete[True] or complete[False]
    if tables:
        return tables
    if incomplete:
        raise DecisionListError(incomplete)
    if not has_content:
        raise DecisionListError(
            f"Tệp {name} không có dữ liệu: mọi trang tính đều trống. "
            f"({name} holds no data: every sheet is empty.)"
        )
    sheets = ", ".join(f"«{sheet.title}»" for sheet in worksheets)
    raise _no_header(f"{name} ({sheets})")


def _read_sheet_rows(worksheet, table: _Table, where: str) -> list:
    """Every row of a sheet, trailing empty cells dropped, refusing an overlong sheet."""
    worksheet.reset_dimensions()
    counter = _RowCounter(table.header.index, where)
    rows = []
    for index, row in enumerate(worksheet.iter_rows(values_only=True, max_col=MAX_COLUMNS)):
        counter.add(index, row)
        rows.append(_trimmed(row))
    return rows


def _read_xlsx(path: Path) -> DecisionList:
    """Read every sheet that holds a complete table; empty and cover sheets are passed.

    The zip is checked before openpyxl parses anything. Only the top rows of
    each sheet are read while searching, so a long sheet is read in full once.
    """
    _sniff_xlsx(path)
    with zipfile.ZipFile(path) as archive:
        _check_zip(path, archive)
        parts = _sheet_parts(archive)
    workbook = load_workbook(path, read_only=True, data_only=True)
    try:
        tables = _find_tables(workbook.worksheets, path.name)
        for table in tables:
            where = f"{path.name}, trang tính «{table.sheet.name}»"
            table.sheet.rows = _read_sheet_rows(workbook[table.sheet.name], table, where)
    finally:
        workbook.close()
    with zipfile.ZipFile(path) as archive:
        raw = {
            table.sheet.name: _sheet_xml(archive, parts.get(table.sheet.name)) for table in tables
        }
    _unsaved_formulas(path, [table.sheet for table in tables if raw[table.sheet.name].has_formulas])
    for table in tables:
        _fill_merges(table.sheet.rows, raw[table.sheet.name].merges, table.header.index + 1)
    source = f"{path.name}, trang tính «{tables[0].sheet.name}»" if len(tables) == 1 else path.name
    return _read_tables(tables, source)


# ---------------------------------------------------------------- entry point


def decision_list_read(path: str | Path) -> DecisionList:
    """Read a provincial decision list: its data rows, layout rows and decision.

    Raises DecisionListError, and nothing else, when the file cannot be read
    as a list at all: an unsupported or disguised type, undecodable text, a
    broken, empty or oversized workbook, no header, a header without a column
    the rows need, no data row, or more rows than any list holds. A surprise
    from a parser becomes a generic DecisionListError too (logged with its
    traceback), so a sync run always ends with a reason.
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
    try:
        return _read_csv(path) if suffix == ".csv" else _read_xlsx(path)
    except DecisionListError:
        raise
    except _DAMAGED as exc:
        if suffix == ".xlsx":
            raise _not_xlsx(
                path, "tệp bị hỏng", "the file is damaged", "hãy mở trong Excel và lưu lại"
            ) from exc
        raise _unreadable(path, exc) from exc
    except Exception as exc:
        # Not a file we know to be broken: most likely a gap in this reader, so
        # keep the traceback for developers while the operator gets a reason.
        logger.exception("Unexpected error reading decision list %s", path)
        raise _unreadable(path, exc) from exc


def _unreadable(path: Path, exc: Exception) -> DecisionListError:
    return DecisionListError(
        f"Không đọc được tệp {path.name}: tệp bị hỏng hoặc có nội dung không đọc được; "
        "hãy mở trong Excel và lưu lại. "
        f"({path.name} could not be read: {type(exc).__name__}.)"
    )

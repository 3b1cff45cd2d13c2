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
import io
import logging
import re
import zipfile
import zlib
from dataclasses import dataclass
from datetime import date
from pathlib import Path
from xml.etree import ElementTree

from openpyxl import load_workbook
from openpyxl.utils import get_column_letter
from openpyxl.utils.exceptions import InvalidFileException

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
)
from marketplace.registry.decision_list_values import (
    cell_text,
    decision_record_id,
    is_ministerial,
    parse_date,
    parse_score,
    parse_stars,
    phone_text,
    product_type_from_set,
    split_decision,
    stars_from_score,
)
from marketplace.registry.models import Certificate, Producer

__all__ = [
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

_DELIMITERS = (",", ";", "\t")
_SKIPPED_TEXT_LIMIT = 200
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
    title and header rows included), so a rejection can be found in the file.
    """

    line: int
    record: dict | None
    error: str


@dataclass
class SkippedRow:
    """A layout row: neither data nor a mistake, reported so nothing vanishes unseen.

    `kind` is "group", "column_numbers", "total", "footnote", or "header" for
    a header repeated on each printed page.
    """

    line: int
    kind: str
    text: str


@dataclass
class DecisionList:
    """What a decision list holds: its data rows, its layout rows, and where the table was.

    The decision number and date come from the title block; rows without
    their own already carry them in their records.
    """

    rows: list[DecisionListRow]
    skipped: list[SkippedRow]
    sheet: str
    header_line: int
    decision_number: str
    decision_date: date | None

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
    rows: list[list]
    formulas: dict[int, dict[int, str]]


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
            shown = cell_text(raw_stars)
            return 0, False, f"số sao không hợp lệ: {shown!r} (invalid stars, expected 1-5)"
        return stars, potential, ""
    if "score" in broken:
        return 0, False, ""
    if not cell_text(raw_score):
        return 0, False, _missing("stars")
    try:
        return stars_from_score(parse_score(raw_score)), False, ""
    except ValueError:
        shown = cell_text(raw_score)
        return 0, False, f"điểm không hợp lệ: {shown!r} (invalid score, expected 0-100)"


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
            f"ngày quyết định không hợp lệ: {cell_text(raw)!r} "
            "(invalid decision date, expected dd/mm/yyyy or yyyy-mm-dd)"
        )


def _product_type(product_set: str) -> tuple[str | None, str]:
    if not product_set:
        return None, _missing("product_set")
    product_type = product_type_from_set(product_set)
    if product_type is None:
        return None, f"bộ sản phẩm không rõ: {product_set!r} (unknown product set)"
    return product_type, ""


def _row_record(
    row: list, formulas: dict[int, str], header: Header, title: TitleDecision, line: int
) -> tuple[dict | None, str]:
    """Build the API-shaped record for one row, or collect every reason it fails."""
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
            "address": values["address"],
            "phone_number": values["phone"],
            "email": values["email"],
        },
    }, ""


def _is_data(texts: list[str], formulas: dict[int, str], header: Header) -> bool:
    """Whether a row has a product, a producer and stars (or a score): data, never layout."""

    def filled(field: str) -> bool:
        index = header.columns.get(field)
        return index is not None and bool(
            (index < len(texts) and texts[index]) or index in formulas
        )

    return filled("product") and filled("producer") and (filled("stars") or filled("score"))


def _skipped(line: int, kind: str, texts: list[str]) -> SkippedRow:
    text = " | ".join(text for text in texts if text)
    if len(text) > _SKIPPED_TEXT_LIMIT:
        text = text[: _SKIPPED_TEXT_LIMIT - 1] + "…"
    return SkippedRow(line=line, kind=kind, text=text)


def _table_rows(sheet: _Sheet, header: Header, title: TitleDecision):
    """Walk the rows below the header: data rows to results, layout rows to skipped.

    Only truly blank rows go unreported. Once a footnote starts, every later
    row that is not data belongs to the notes and signatures.
    """
    results: list[DecisionListRow] = []
    skipped: list[SkippedRow] = []
    first_line: dict[int, int] = {}
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
            skipped.append(_skipped(line, "header", texts))
            continue
        if is_column_numbers(filled):
            # "(1) (2) … (8)" fills the product and stars columns too; no data looks like it.
            skipped.append(_skipped(line, "column_numbers", texts))
            continue
        if filled and not _is_data(texts, formulas, header):
            kind = layout_kind(filled, after_table=after_table)
            if kind is not None:
                after_table = after_table or kind == "footnote"
                skipped.append(_skipped(line, kind, texts))
                continue
        record, error = _row_record(row, formulas, header, title, line)
        if record is not None and record["id"] in first_line:
            duplicate_of = first_line[record["id"]]
            record, error = (
                None,
                f"trùng với dòng {duplicate_of} (duplicate of line {duplicate_of})",
            )
        if record is not None:
            first_line[record["id"]] = line
        results.append(DecisionListRow(line=line, record=record, error=error))
    return results, skipped


def _read_table(sheet: _Sheet, header: Header, source: str) -> DecisionList:
    """The list a sheet holds below its header, or one error naming missing columns."""
    title = title_decision(sheet.rows[: header.first_index])
    missing = header_missing(header, title)
    if missing:
        raise DecisionListError(
            header_missing_message(missing, where=source, header=header, rows=sheet.rows)
        )
    rows, skipped = _table_rows(sheet, header, title)
    return DecisionList(
        rows=rows,
        skipped=skipped,
        sheet=sheet.name,
        header_line=header.index + 1,
        decision_number=title.number,
        decision_date=title.signed_on,
    )


def _no_header(source: str) -> DecisionListError:
    return DecisionListError(
        f"Không tìm thấy dòng tiêu đề trong {source}: cần ít nhất {MIN_HEADER_MATCHES} cột "
        "như Tên sản phẩm, Chủ thể, Bộ sản phẩm, Số sao, Số quyết định, Ngày quyết định. "
        f"(No recognisable header row in {source}: expected at least "
        f"{MIN_HEADER_MATCHES} columns such as product, producer, product set, stars, "
        "decision number, decision date.)"
    )


# ---------------------------------------------------------------- CSV


def _best_delimiter(text: str) -> str:
    """The delimiter among , ; and tab that yields the most recognisable header.

    csv.Sniffer guesses from character frequencies and is easily fooled by
    commas inside Vietnamese addresses; the header itself is a surer sign.
    """

    head = "\n".join(text.splitlines()[:HEADER_SEARCH_ROWS])

    def score(delimiter: str) -> tuple[int, int]:
        rows = list(csv.reader(io.StringIO(head), delimiter=delimiter))
        best = max((len(header_columns(row)) for row in rows), default=0)
        return best, -_DELIMITERS.index(delimiter)

    return max(_DELIMITERS, key=score)


def _read_csv(path: Path) -> DecisionList:
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
    try:
        rows = list(csv.reader(io.StringIO(text, newline=""), delimiter=_best_delimiter(text)))
    except csv.Error as exc:
        raise DecisionListError(
            f"Không đọc được CSV {path.name}: {exc} (cannot parse CSV {path.name}: {exc})"
        ) from exc
    header = header_find(rows)
    if header is None:
        raise _no_header(path.name)
    return _read_table(_Sheet(name="", rows=rows, formulas={}), header, path.name)


# ---------------------------------------------------------------- XLSX


def _not_xlsx(path: Path, what_vi: str, what_en: str, advice_vi: str) -> DecisionListError:
    return DecisionListError(
        f"Tệp {path.name} không phải bảng tính Excel .xlsx hợp lệ: {what_vi}; {advice_vi}. "
        f"({path.name} is not a valid .xlsx workbook: {what_en}.)"
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


def _formula_text(value) -> str | None:
    """The formula a cell holds when read without saved values, if it holds one."""
    if isinstance(value, str):
        return value if value.startswith("=") else None
    text = getattr(value, "text", None)  # array and data-table formulas
    return text if isinstance(text, str) else None


def _has_formulas(path: Path) -> bool:
    """Whether any sheet holds a formula: a cheap look at the raw XML spares most
    lists the second, slower read."""
    with zipfile.ZipFile(path) as archive:
        for name in archive.namelist():
            if name.startswith("xl/worksheets/") and name.endswith(".xml"):
                with archive.open(name) as sheet_xml:
                    if re.search(rb"<(?:\w+:)?f[ >/]", sheet_xml.read()):
                        return True
    return False


def _unsaved_formulas(path: Path, sheet_name: str, rows: list[list]):
    """Formula cells of one sheet whose saved value is missing, by row and column.

    openpyxl reads either saved values or formulas, so the sheet is read a
    second time; only cells that read empty the first time are kept.
    """
    if not _has_formulas(path):
        return {}
    workbook = load_workbook(path, read_only=True, data_only=False)
    try:
        sheet = workbook[sheet_name]
        sheet.reset_dimensions()
        found: dict[int, dict[int, str]] = {}
        for row_index, row in enumerate(sheet.iter_rows(values_only=True)):
            for column, value in enumerate(row):
                formula = _formula_text(value)
                saved = rows[row_index] if row_index < len(rows) else []
                if formula and (column >= len(saved) or saved[column] is None):
                    found.setdefault(row_index, {})[column] = formula
        return found
    finally:
        workbook.close()


def _find_table(worksheets: list, name: str):
    """(sheet, header) of the first sheet with a header the rows can do with.

    Visible sheets come before hidden ones. A header missing a needed column
    is reported only when no later sheet has a complete one.
    """
    incomplete = None
    has_content = False
    for sheet in sorted(worksheets, key=lambda sheet: sheet.sheet_state != "visible"):
        sheet.reset_dimensions()
        head = [
            list(row) for row in sheet.iter_rows(values_only=True, max_row=HEADER_SEARCH_ROWS + 1)
        ]
        has_content = has_content or any(cell_text(cell) for row in head for cell in row)
        header = header_find(head)
        if header is None:
            continue
        title = title_decision(head[: header.first_index])
        missing = header_missing(header, title)
        if not missing:
            return sheet, header
        if incomplete is None:
            where = f"{name}, trang tính «{sheet.title}»"
            incomplete = header_missing_message(missing, where=where, header=header, rows=head)
    if incomplete:
        raise DecisionListError(incomplete)
    if not has_content:
        raise DecisionListError(
            f"Tệp {name} không có dữ liệu: mọi trang tính đều trống. "
            f"({name} holds no data: every sheet is empty.)"
        )
    sheets = ", ".join(f"«{sheet.title}»" for sheet in worksheets)
    raise _no_header(f"{name} ({sheets})")


def _read_xlsx(path: Path) -> DecisionList:
    """Read the first sheet that holds a complete table; an empty or cover sheet is passed.

    Only the top rows of each sheet are read while searching, so a long
    sheet is read in full once, when it is the one.
    """
    _sniff_xlsx(path)
    workbook = load_workbook(path, read_only=True, data_only=True)
    try:
        sheet, header = _find_table(workbook.worksheets, path.name)
        sheet.reset_dimensions()
        rows = [list(row) for row in sheet.iter_rows(values_only=True)]
    finally:
        workbook.close()
    formulas = _unsaved_formulas(path, sheet.title, rows)
    source = f"{path.name}, trang tính «{sheet.title}»"
    return _read_table(_Sheet(name=sheet.title, rows=rows, formulas=formulas), header, source)


# ---------------------------------------------------------------- entry point


def decision_list_read(path: str | Path) -> DecisionList:
    """Read a provincial decision list: its data rows, layout rows and decision.

    Raises DecisionListError, and nothing else, when the file cannot be read
    as a list at all: an unsupported or disguised type, undecodable text, a
    broken or empty workbook, no header, or a header without a column the
    rows need. A surprise from a parser becomes a generic DecisionListError
    too (logged with its traceback), so a sync run always ends with a reason.
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

"""Provincial decision lists become API-shaped records, or rows rejected with a reason."""

import unicodedata
from datetime import date, datetime
from pathlib import Path

import pytest
from openpyxl import Workbook

from marketplace.registry.decision_lists import (
    DecisionListError,
    DecisionListRow,
    decision_list_read,
    product_type_from_set,
)

FIXTURES = Path(__file__).parent / "fixtures"
HANOI_CSV = FIXTURES / "decisions_hanoi.csv"

RECORD_KEYS = {
    "id",
    "name",
    "type",
    "ocop_star",
    "description",
    "story",
    "ocop_certificate_number",
    "issued_on",
    "expiry_date",
    "is_national",
    "image",
    "manufacturer",
}
MANUFACTURER_KEYS = {"name", "representative", "address", "phone_number", "email"}

HEADER = ["Tên sản phẩm", "Chủ thể", "Bộ sản phẩm", "Số sao", "Số quyết định", "Ngày quyết định"]


def write_csv(tmp_path: Path, rows: list[list[str]], *, delimiter: str = ",") -> Path:
    """A small UTF-8 CSV decision list; fields holding the delimiter are quoted."""

    def field(value: str) -> str:
        return f'"{value}"' if delimiter in value else value

    path = tmp_path / "list.csv"
    text = "\n".join(delimiter.join(field(value) for value in row) for row in rows)
    path.write_text(text + "\n", encoding="utf-8")
    return path


def one_row(tmp_path: Path, **overrides: str) -> DecisionListRow:
    """Read a one-row list; cells default to a valid Bát Tràng ceramics row.

    Override a cell by field: product, producer, product_set, stars, number, signed_on.
    """
    cells = {
        "product": "Gốm sứ Bát Tràng",
        "producer": "HTX Gốm sứ Bát Tràng",
        "product_set": "Thủ công mỹ nghệ",
        "stars": "4",
        "number": "1234/QĐ-UBND",
        "signed_on": "17/05/2024",
    }
    assert set(overrides) <= set(cells)
    cells.update(overrides)
    (row,) = decision_list_read(write_csv(tmp_path, [HEADER, list(cells.values())]))
    return row


def write_hanoi_xlsx(tmp_path: Path) -> Path:
    """The Hà Nội list as a province would publish it: title rows, then the table."""
    workbook = Workbook()
    sheet = workbook.active
    sheet.append(["ỦY BAN NHÂN DÂN THÀNH PHỐ HÀ NỘI"])
    sheet.append(["DANH SÁCH SẢN PHẨM OCOP NĂM 2024"])
    sheet.append([])
    sheet.append(
        [
            "STT",
            "Tên sản phẩm",
            "Tên chủ thể",
            "Địa chỉ",
            "Nhóm sản phẩm",
            "Hạng sao",
            "Quyết định số",
            "Ngày ký",
            "Số điện thoại",
        ]
    )
    sheet.append(
        [
            1,
            "Gốm sứ Bát Tràng men lam",
            "HTX Gốm sứ Bát Tràng",
            "Thôn 2, Xã Bát Tràng, Huyện Gia Lâm, Thành phố Hà Nội",
            "Thủ công mỹ nghệ gia dụng, trang trí",
            4,
            "1234/QĐ-UBND",
            datetime(2024, 5, 17),
            912345678,
        ]
    )
    sheet.append(
        [
            2,
            "Rượu mơ Hương Sơn",
            "HTX Dịch vụ Nông nghiệp Hương Sơn",
            "Xã Hương Sơn, Thành phố Hà Nội",
            "Đồ uống có cồn",
            "3 sao",
            "2345/QĐ-UBND",
            date(2024, 11, 5),
            None,
        ]
    )
    sheet.append([])
    sheet.append([3, "Nhãn chín sớm", "", "", "Rau, củ, quả", 7, "2345/QĐ-UBND", "hôm qua"])
    path = tmp_path / "decisions_hanoi.xlsx"
    workbook.save(path)
    return path


def test_csv_with_bom_and_semicolons_yields_one_result_per_data_row():
    # given the Hà Nội fixture: UTF-8 with BOM, semicolon-delimited, commas inside addresses
    # when it is read
    rows = decision_list_read(HANOI_CSV)
    # then every data row (spreadsheet lines 2-10) comes back, none dropped
    assert [row.line for row in rows] == list(range(2, 11))
    # and the BOM did not leak into the first record
    first = rows[0].record
    assert first["name"] == "Gốm sứ Bát Tràng men lam"
    assert first["manufacturer"]["address"] == (
        "Thôn 2, Xã Bát Tràng, Huyện Gia Lâm, Thành phố Hà Nội"
    )


def test_good_rows_become_records_in_the_api_shape():
    # given the Hà Nội fixture
    # when it is read
    first = decision_list_read(HANOI_CSV)[0].record
    # then the record has exactly the national API's fields and no extras
    assert set(first) == RECORD_KEYS
    assert set(first["manufacturer"]) == MANUFACTURER_KEYS
    # and the decision fills the certificate fields, leaving expiry to the sync
    assert first["ocop_certificate_number"] == "1234/QĐ-UBND"
    assert first["issued_on"] == "2024-05-17"
    assert first["expiry_date"] is None
    assert first["image"] is None
    assert (first["description"], first["story"]) == ("", "")
    assert first["manufacturer"]["representative"] == "Nguyễn Văn An"
    assert first["manufacturer"]["phone_number"] == "0912345678"
    assert first["manufacturer"]["email"] == ""


def test_bad_rows_become_errors_naming_what_is_wrong():
    # given the Hà Nội fixture, whose last two rows are broken
    # when it is read
    rows = {row.line: row for row in decision_list_read(HANOI_CSV)}
    # then the good rows carry records and no error
    assert all(rows[line].record and not rows[line].error for line in range(2, 9))
    # and each bad row has no record and every reason, in both languages
    assert rows[9].record is None
    assert "missing stars" in rows[9].error
    assert "invalid decision date" in rows[9].error
    assert rows[10].record is None
    assert "thiếu chủ thể (missing producer)" in rows[10].error
    assert "unknown product set" in rows[10].error


def test_xlsx_with_title_rows_finds_the_header_below_them(tmp_path):
    # given a workbook with two title rows and a blank row above the table
    path = write_hanoi_xlsx(tmp_path)
    # when it is read
    rows = decision_list_read(path)
    # then lines are spreadsheet rows, blank rows are skipped and data rows parsed
    assert [row.line for row in rows] == [5, 6, 8]
    ceramics, wine = (row.record for row in rows[:2])
    bad = rows[2]
    # and real Excel dates and numeric cells are understood
    assert ceramics["issued_on"] == "2024-05-17"
    assert ceramics["ocop_star"] == 4
    assert ceramics["manufacturer"]["phone_number"] == "0912345678"
    assert wine["issued_on"] == "2024-11-05"
    assert (wine["ocop_star"], wine["type"]) == (3, "drink")
    # and the broken row says why
    assert bad.record is None
    assert "thiếu chủ thể (missing producer)" in bad.error
    assert "invalid stars" in bad.error
    assert "invalid decision date" in bad.error


def test_the_same_row_gets_the_same_id_from_csv_and_xlsx(tmp_path):
    # given the same certification in the CSV fixture and in a workbook
    # when both are read
    from_csv = decision_list_read(HANOI_CSV)[0].record
    from_xlsx = decision_list_read(write_hanoi_xlsx(tmp_path))[0].record
    # then they share an id, since only decision number, product and producer count
    assert from_csv["id"] == from_xlsx["id"]


def test_ids_are_negative_stable_and_distinct_across_reads():
    # given the Hà Nội fixture read twice
    first = [row.record["id"] for row in decision_list_read(HANOI_CSV) if row.record]
    second = [row.record["id"] for row in decision_list_read(HANOI_CSV) if row.record]
    # then re-importing yields the same ids, all negative and all different
    assert first == second
    assert all(isinstance(value, int) and value < 0 for value in first)
    assert len(set(first)) == len(first)
    # and they stay within the range JSON consumers hold exactly
    assert all(value >= -(2**53) for value in first)


def test_ids_ignore_case_spacing_and_unicode_form(tmp_path):
    # given the same row typed differently: case, spaces, decomposed diacritics
    tidy = one_row(tmp_path).record["id"]
    messy = one_row(
        tmp_path,
        product=unicodedata.normalize("NFD", "gốm sứ  BÁT TRÀNG"),
        number="1234 / QĐ-UBND",
    ).record["id"]
    # then the id is the same
    assert messy == tidy


@pytest.mark.parametrize(
    ("cell", "stars"),
    [("3", 3), ("3 sao", 3), ("3*", 3), ("3★", 3), ("★★★", 3), ("4 Sao", 4), ("ba sao", 3)],
)
def test_star_formats_are_understood(tmp_path, cell, stars):
    # given a row whose stars are written in one of the usual ways
    # when it is read
    record = one_row(tmp_path, stars=cell).record
    # then the record carries the star count
    assert record["ocop_star"] == stars


@pytest.mark.parametrize("cell", ["5 sao tiềm năng", "Tiềm năng 5 sao", "5★ tiềm năng"])
def test_potential_five_stars_are_five_stars_that_are_not_national(tmp_path, cell):
    # given a province's "potential 5★" row, even under a ministerial-looking number
    # when it is read
    record = one_row(tmp_path, stars=cell, number="99/QĐ-BNN-VPĐP").record
    # then it is 5 stars with is_national False, the API's mark for potential 5★
    assert (record["ocop_star"], record["is_national"]) == (5, False)


@pytest.mark.parametrize("cell", ["6", "0", "3.5", "nhiều sao", "4 sao tiềm năng"])
def test_impossible_star_values_are_row_errors(tmp_path, cell):
    # given a row with stars outside 1..5 or unreadable
    # when it is read
    row = one_row(tmp_path, stars=cell)
    # then the row is rejected with the reason
    assert row.record is None
    assert "invalid stars" in row.error


@pytest.mark.parametrize(
    ("number", "national"),
    [
        ("1234/QĐ-UBND", False),
        ("456/QĐ-BNN-VPĐP", True),
        ("1489/QĐ-TTg", True),
        ("12/QĐ-Bộ NN&PTNT", True),
    ],
)
def test_ministerial_decisions_are_national(tmp_path, number, national):
    # given a 5★ row under a provincial or ministerial decision number
    # when it is read
    record = one_row(tmp_path, stars="5", number=number).record
    # then only the ministry's decisions are national
    assert record["is_national"] is national


@pytest.mark.parametrize(
    "cell", ["17/05/2024", "17/5/2024", "2024-05-17", "17-05-2024", "ngày 17 tháng 5 năm 2024"]
)
def test_date_formats_are_understood_day_first(tmp_path, cell):
    # given a decision date in one of the accepted forms
    # when it is read
    record = one_row(tmp_path, signed_on=cell).record
    # then it becomes the ISO date, reading d/m day-first as Vietnamese dates are
    assert record["issued_on"] == "2024-05-17"


@pytest.mark.parametrize("cell", ["31/02/2024", "2024/17/05", "05/17/2024", "tháng 5"])
def test_invalid_dates_are_row_errors(tmp_path, cell):
    # given an impossible or unreadable decision date
    # when it is read
    row = one_row(tmp_path, signed_on=cell)
    # then the row is rejected naming the date
    assert row.record is None
    assert "invalid decision date" in row.error


@pytest.mark.parametrize(
    ("column", "label"),
    [
        ("product", "missing product"),
        ("producer", "missing producer"),
        ("stars", "missing stars"),
        ("number", "missing decision number"),
        ("signed_on", "missing decision date"),
    ],
)
def test_missing_required_values_are_row_errors_naming_the_column(tmp_path, column, label):
    # given a row with one required cell left empty
    # when it is read
    row = one_row(tmp_path, **{column: ""})
    # then the row is rejected and the reason names that column
    assert row.record is None
    assert label in row.error


@pytest.mark.parametrize(
    ("product_set", "code"),
    [
        ("Gạo, ngũ cốc", "food"),
        ("Thịt, trứng, sữa tươi", "food"),
        ("Tương, nước mắm, gia vị dạng lỏng khác", "food"),
        ("Mật ong, sản phẩm từ mật ong", "food"),
        ("Chè và các sản phẩm từ chè", "food"),
        ("Cà phê, ca cao", "food"),
        ("Chế biến từ thủy sản", "food"),
        ("Rượu trắng", "drink"),
        ("Đồ uống không cồn khác", "drink"),
        ("Sữa tươi", "drink"),
        ("Nước khoáng, nước uống tinh khiết", "drink"),
        ("Trà dược liệu", "herbs"),
        ("Mỹ phẩm có nguồn gốc thảo dược", "herbs"),
        ("Tinh dầu", "herbs"),
        ("Dệt may", "cloth"),
        ("Lụa tơ tằm", "cloth"),
        ("Thủ công mỹ nghệ gia dụng, trang trí", "keepsake"),
        ("Gốm sứ", "keepsake"),
        ("Mây tre đan", "keepsake"),
        ("Hoa", "keepsake"),
        ("Hoa quả sấy", "food"),
        ("Cây cảnh", "keepsake"),
        ("Dịch vụ du lịch cộng đồng", "travel"),
        ("keepsake", "keepsake"),
        ("FOOD", "food"),
        ("thu cong my nghe", "keepsake"),
        ("Gao, ngu coc", "food"),
        ("Khác", None),
        ("", None),
    ],
)
def test_product_sets_map_to_the_apis_type_codes(product_set, code):
    # given a product set as a province writes it
    # when it is mapped
    # then it gets the API's old type code, or None when unknown
    assert product_type_from_set(product_set) == code


@pytest.mark.parametrize("delimiter", [",", "\t", ";"])
def test_the_delimiter_is_sniffed(tmp_path, delimiter):
    # given the same list written with each supported delimiter
    rows = [
        HEADER,
        ["Gốm Bát Tràng", "HTX Gốm, sứ", "Gốm sứ", "4", "1/QĐ-UBND", "01/02/2024"],
    ]
    # when it is read
    (row,) = decision_list_read(write_csv(tmp_path, rows, delimiter=delimiter))
    # then the cells land in the right fields
    assert row.record["manufacturer"]["name"] == "HTX Gốm, sứ"
    assert row.record["issued_on"] == "2024-02-01"


def test_english_headers_without_diacritics_are_recognised(tmp_path):
    # given a list with English headers and extra columns
    rows = [
        ["Product", "Producer", "Address", "Group", "Stars", "Decision number", "Decision date"]
        + ["Representative", "Email", "Description"],
        ["Gạo tám", "HTX Hải Hậu", "Xã Hải Hậu, Tỉnh Ninh Bình", "food", "3", "7/QĐ-UBND"]
        + ["2024-01-02", "Phạm Văn D", "htx@example.vn", "Gạo thơm"],
    ]
    # when it is read
    (row,) = decision_list_read(write_csv(tmp_path, rows))
    # then the optional columns reach the record too
    assert row.record["manufacturer"]["representative"] == "Phạm Văn D"
    assert row.record["manufacturer"]["email"] == "htx@example.vn"
    assert row.record["description"] == "Gạo thơm"


def test_a_decision_named_in_the_title_applies_to_rows_without_their_own(tmp_path):
    # given a list with one decision in its title and no decision columns
    rows = [
        ["Kèm theo Quyết định số 1234/QĐ-UBND ngày 17/5/2024 của UBND Thành phố"],
        ["Tên sản phẩm", "Chủ thể", "Địa chỉ", "Bộ sản phẩm", "Số sao"],
        ["Gốm Bát Tràng", "HTX Gốm", "Xã Bát Tràng, Thành phố Hà Nội", "Gốm sứ", "4"],
    ]
    # when it is read
    (row,) = decision_list_read(write_csv(tmp_path, rows))
    # then the row takes the title's decision number and date
    assert row.record["ocop_certificate_number"] == "1234/QĐ-UBND"
    assert row.record["issued_on"] == "2024-05-17"


def test_a_repeated_row_is_rejected_as_a_duplicate(tmp_path):
    # given the same certification listed twice
    data = ["Gốm Bát Tràng", "HTX Gốm", "Gốm sứ", "4", "1/QĐ-UBND", "01/02/2024"]
    # when the list is read
    first, second = decision_list_read(write_csv(tmp_path, [HEADER, data, data]))
    # then the first is kept and the second points at it
    assert first.record is not None
    assert second.record is None
    assert "duplicate of line 2" in second.error


def test_a_file_without_a_recognisable_header_is_refused(tmp_path):
    # given a CSV that is not a decision list
    path = write_csv(tmp_path, [["a", "b", "c"], ["1", "2", "3"]])
    # when it is read
    # then the whole file is refused with a bilingual message
    with pytest.raises(DecisionListError, match="No recognisable header"):
        decision_list_read(path)


@pytest.mark.parametrize(
    ("name", "content", "message"),
    [
        ("list.xls", b"\xd0\xcf\x11\xe0", "Unsupported file type"),
        ("list.pdf", b"%PDF-1.4", "Unsupported file type"),
        ("list.xlsx", b"not a zip file", "not a valid .xlsx"),
        ("list.csv", b"T\xean s\xe3n ph\xe2m;Ch\xfa th\xea", "not UTF-8"),
    ],
)
def test_unreadable_files_are_refused(tmp_path, name, content, message):
    # given a file of the wrong type or encoding
    path = tmp_path / name
    path.write_bytes(content)
    # when it is read
    # then it is refused as a whole, saying why
    with pytest.raises(DecisionListError, match=message):
        decision_list_read(path)


def test_a_missing_file_is_refused(tmp_path):
    # given a path with no file behind it
    # when it is read
    # then the error is a DecisionListError like any other unreadable file
    with pytest.raises(DecisionListError, match="File not found"):
        decision_list_read(tmp_path / "missing.csv")

"""Provincial decision lists become API-shaped records, or rows rejected with a reason."""

import unicodedata
import zipfile
from datetime import date, datetime
from pathlib import Path

import pytest
from openpyxl import Workbook

from marketplace.registry.addresses import address_parse, province_2025
from marketplace.registry.decision_lists import (
    MAX_ROWS,
    DecisionListError,
    DecisionListRow,
    decision_list_read,
    product_type_from_set,
)
from tests.registry import decision_list_files as files

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
    (row,) = decision_list_read(write_csv(tmp_path, [HEADER, list(cells.values())])).rows
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
    rows = decision_list_read(HANOI_CSV).rows
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
    first = decision_list_read(HANOI_CSV).rows[0].record
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
    rows = {row.line: row for row in decision_list_read(HANOI_CSV).rows}
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
    rows = decision_list_read(path).rows
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
    from_csv = decision_list_read(HANOI_CSV).rows[0].record
    from_xlsx = decision_list_read(write_hanoi_xlsx(tmp_path)).rows[0].record
    # then they share an id, since only decision number, product and producer count
    assert from_csv["id"] == from_xlsx["id"]


def test_ids_are_negative_stable_and_distinct_across_reads():
    # given the Hà Nội fixture read twice
    first = [record["id"] for record in decision_list_read(HANOI_CSV).records]
    second = [record["id"] for record in decision_list_read(HANOI_CSV).records]
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
    [
        ("3", 3),
        ("3 sao", 3),
        ("3*", 3),
        ("3★", 3),
        ("★★★", 3),
        ("4 Sao", 4),
        ("ba sao", 3),
        ("4.0", 4),
        ("4 sao", 4),
        ("★★★★", 4),
        ("4★", 4),
        ("4*", 4),
        ("***", 3),
        ("Hạng 4 sao", 4),
        ("bốn sao", 4),
        (unicodedata.normalize("NFD", "Hạng 3 sao"), 3),
    ],
)
def test_star_formats_are_understood(tmp_path, cell, stars):
    # given a row whose stars are written in one of the usual ways
    # when it is read
    record = one_row(tmp_path, stars=cell).record
    # then the record carries the star count
    assert record["ocop_star"] == stars


@pytest.mark.parametrize(
    "cell", ["5 sao tiềm năng", "Tiềm năng 5 sao", "5★ tiềm năng", "5 sao (tiềm năng)"]
)
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
    "cell",
    [
        "<script>alert(1)</script>",
        "3 sản phẩm",
        "Quyết định 4",
        "4/5",
        "12 sao",
        "4 sao 5 sao",
        "Đạt 70 điểm",
    ],
)
def test_a_cell_that_only_contains_a_number_is_not_a_star_rating(tmp_path, cell):
    # given a stars cell with a digit in it that is not a star rating
    # when it is read
    row = one_row(tmp_path, stars=cell)
    # then the row is rejected, not imported with the first number found
    assert row.record is None
    assert "số sao không hợp lệ" in row.error


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
    "cell",
    [
        "17/05/2024",
        "17/5/2024",
        "2024-05-17",
        "17-05-2024",
        "ngày 17 tháng 5 năm 2024",
        "2024/05/17",
        "17/05/24",
        "ngày 17/5/2024",
        "17-5-2024",
    ],
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
    (row,) = decision_list_read(write_csv(tmp_path, rows, delimiter=delimiter)).rows
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
    (row,) = decision_list_read(write_csv(tmp_path, rows)).rows
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
    (row,) = decision_list_read(write_csv(tmp_path, rows)).rows
    # then the row takes the title's decision number and date
    assert row.record["ocop_certificate_number"] == "1234/QĐ-UBND"
    assert row.record["issued_on"] == "2024-05-17"


def test_a_repeated_row_is_rejected_as_a_duplicate(tmp_path):
    # given the same certification listed twice
    data = ["Gốm Bát Tràng", "HTX Gốm", "Gốm sứ", "4", "1/QĐ-UBND", "01/02/2024"]
    # when the list is read
    first, second = decision_list_read(write_csv(tmp_path, [HEADER, data, data])).rows
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


# ---------------------------------------------------------------- lists as provinces publish them


def test_a_two_row_merged_header_is_read_column_by_column(tmp_path):
    # given the 2024 city list: "Kết quả đánh giá, phân hạng" merged over "Điểm | Hạng sao"
    path = files.two_row_header_list(tmp_path)
    # when it is read
    decision_list = decision_list_read(path)
    # then all 40 products import and none is rejected for want of stars
    assert len(decision_list.records) == 40
    assert decision_list.rejected == []
    # and the header is found on its lower row, below the title block
    assert (decision_list.sheet, decision_list.header_line) == ("Danh sách", 8)
    # and the stars come from "Hạng sao", the decision from "Số, ngày quyết định"
    first = decision_list.records[0]
    assert (first["name"], first["ocop_star"]) == ("Gốm sứ Bát Tràng men lam", 4)
    assert first["manufacturer"]["name"] == "HTX Gốm sứ Bát Tràng"
    assert (first["ocop_certificate_number"], first["issued_on"]) == ("1234/QĐ-UBND", "2024-05-17")


def test_a_two_row_header_exported_to_csv_is_read_the_same_way(tmp_path):
    # given a Bắc Ninh list saved as CSV: "Chủ thể" over "Tên | Địa chỉ", a score and
    # stars side by side, column numbers, a district group and a total
    path = files.two_row_header_csv(tmp_path)
    # when it is read
    decision_list = decision_list_read(path)
    # then both products import, one by its score and one by its stars, their
    # province-less addresses completed from the title's "UBND TỈNH BẮC NINH"
    assert [
        (record["name"], record["manufacturer"]["address"], record["ocop_star"])
        for record in decision_list.records
    ] == [
        ("Gà Hồ", "Xã Song Hồ, Tỉnh Bắc Ninh", 4),
        ("Tranh Đông Hồ", "Xã Song Hồ, Tỉnh Bắc Ninh", 4),
    ]
    assert decision_list.province == "Bắc Ninh"
    # and the title's decision fills the empty "Số QĐ" cells
    assert {record["ocop_certificate_number"] for record in decision_list.records} == {"99/QĐ-UBND"}
    # and the layout rows are reported
    assert [(row.line, row.kind) for row in decision_list.skipped] == [
        (5, "column_numbers"),
        (6, "group"),
        (9, "total"),
    ]
    assert (decision_list.sheet, decision_list.header_line) == ("", 4)


@pytest.mark.parametrize(
    ("score", "stars"),
    [(29, 1), (30, 2), (49.5, 2), (50, 3), ("69,5", 3), (70, 4), ("89 điểm", 4), (90, 5), (100, 5)],
)
def test_a_score_stands_in_for_an_empty_stars_cell(tmp_path, score, stars):
    # given a two-row list whose "Hạng sao" cell is empty but whose "Điểm" is filled
    product = files.products(1)[0]
    row = files.two_row_row(1, product, stars="", score=score)
    path = files.two_row_header_list(tmp_path, [row])
    # when it is read
    (record,) = decision_list_read(path).records
    # then the stars follow the score's band (<30, 30-49, 50-69, 70-89, 90-100)
    assert record["ocop_star"] == stars


def test_the_stars_cell_wins_over_the_score(tmp_path):
    # given a row scored 95 but published as 4 stars (the council's decision)
    row = files.two_row_row(1, files.products(1)[0], stars="4 sao", score=95)
    path = files.two_row_header_list(tmp_path, [row])
    # when it is read
    (record,) = decision_list_read(path).records
    # then the published stars count
    assert record["ocop_star"] == 4


@pytest.mark.parametrize("score", [120, "chưa chấm", -5])
def test_an_unreadable_score_rejects_its_row(tmp_path, score):
    # given a row with no stars and a score that is not 0-100
    row = files.two_row_row(1, files.products(1)[0], stars="", score=score)
    path = files.two_row_header_list(tmp_path, [row])
    # when it is read
    (row,) = decision_list_read(path).rows
    # then the row is rejected saying the score is wrong
    assert row.record is None
    assert "invalid score" in row.error


def test_a_score_column_alone_gives_the_stars(tmp_path):
    # given a list that publishes only "Điểm đánh giá", no stars column
    header = ["STT", "Tên sản phẩm", "Chủ thể", "Bộ sản phẩm", "Điểm đánh giá"]
    rows = [[1, "Gốm sứ Bát Tràng", "HTX Gốm sứ Bát Tràng", "Gốm sứ", 82]]
    path = files.one_row_header_list(tmp_path, rows, header=header)
    # when it is read
    (record,) = decision_list_read(path).records
    # then the score gives 4 stars
    assert record["ocop_star"] == 4


def test_a_2023_district_list_headed_phan_hang_imports_every_row(tmp_path):
    # given a district list: stars under "Phân hạng", the decision only in the title
    path = files.one_row_header_list(tmp_path)
    # when it is read
    decision_list = decision_list_read(path)
    # then all 12 rows import with the title's decision
    assert len(decision_list.records) == 12
    assert decision_list.rejected == []
    assert {record["ocop_certificate_number"] for record in decision_list.records} == {"56/QĐ-UBND"}
    assert {record["issued_on"] for record in decision_list.records} == {"2023-10-20"}
    # and the list reports the decision it found in the title block
    assert decision_list.decision_number == "56/QĐ-UBND"
    assert decision_list.decision_date == date(2023, 10, 20)


@pytest.mark.parametrize(
    "stars_header",
    [
        "Phân hạng",
        "Hạng sao",
        "Số sao",
        "Kết quả phân hạng",
        "Kết quả đánh giá, phân hạng",
        "HẠNG SAO (*)",
        "Hang sao",
        "Xếp hạng\n(sao)",
        unicodedata.normalize("NFD", "Số sao đạt được"),
    ],
)
def test_the_usual_stars_headers_are_recognised(tmp_path, stars_header):
    # given a one-row list whose stars column carries one of the names provinces use
    header = ["STT", "Tên sản phẩm", "Chủ thể", "Bộ sản phẩm", stars_header]
    path = files.one_row_header_list(
        tmp_path, [[1, "Gốm Bát Tràng", "HTX Gốm", "Gốm sứ", "4★"]], header=header
    )
    # when it is read
    (record,) = decision_list_read(path).records
    # then the stars are read from it
    assert record["ocop_star"] == 4


@pytest.mark.parametrize(
    "producer_header",
    [
        "Chủ thể sản xuất",
        "Tên chủ thể",
        "Chủ thể OCOP",
        "Đơn vị/Cơ sở sản xuất",
        "Cơ sở sản xuất",
        "Tên chủ thể sản xuất, kinh doanh",
        "CHU THE SAN XUAT",
        unicodedata.normalize("NFD", "Chủ thể"),
    ],
)
def test_the_usual_producer_headers_are_recognised(tmp_path, producer_header):
    # given a one-row list whose producer column carries one of the names provinces use
    header = ["STT", "Tên sản phẩm", producer_header, "Bộ sản phẩm", "Số sao"]
    path = files.one_row_header_list(
        tmp_path, [[1, "Gốm Bát Tràng", "HTX Gốm", "Gốm sứ", 4]], header=header
    )
    # when it is read
    (record,) = decision_list_read(path).records
    # then the producer is read from it
    assert record["manufacturer"]["name"] == "HTX Gốm"


def test_sub_headers_that_need_their_top_cell_are_read_with_it(tmp_path):
    # given "Chủ thể" over "Tên | Địa chỉ" and "Quyết định công nhận" over "Số | Ngày"
    workbook = Workbook()
    sheet = workbook.active
    top = [("STT", 1), ("Tên sản phẩm", 1), ("Chủ thể", 2), ("Bộ sản phẩm", 1), ("Số sao", 1)]
    top.append(("Quyết định công nhận", 2))
    row = files.title_block(sheet, 8, decision="")
    row = files.write_header(sheet, row, top, ["", "", "Tên", "Địa chỉ", "", "", "Số", "Ngày"])
    files.write_rows(
        sheet,
        row,
        [
            [1, "Gốm Bát Tràng", "HTX Gốm", "Xã Bát Tràng, Thành phố Hà Nội", "Gốm sứ", 4]
            + ["88/QĐ-UBND", datetime(2024, 3, 1)]
        ],
    )
    path = files.save(workbook, tmp_path)
    # when it is read
    (record,) = decision_list_read(path).records
    # then each sub-header names its own field
    assert record["manufacturer"]["name"] == "HTX Gốm"
    assert record["manufacturer"]["address"] == "Xã Bát Tràng, Thành phố Hà Nội"
    assert (record["ocop_certificate_number"], record["issued_on"]) == ("88/QĐ-UBND", "2024-03-01")


@pytest.mark.parametrize("first", ["empty", "cover"])
def test_the_list_is_found_on_a_later_sheet(tmp_path, first):
    # given a workbook whose first sheet is empty, or a cover page of prose
    path = files.workbook_with_sheets(tmp_path, first)
    # when it is read
    decision_list = decision_list_read(path)
    # then the table on the second sheet is read, and the list says where it was
    assert decision_list.sheet == "Danh sách"
    assert len(decision_list.records) == 5


def test_layout_rows_are_skipped_and_reported_not_rejected(tmp_path):
    # given a list with a column-number row, group titles, totals, notes and signatures
    path = files.layout_rows_list(tmp_path)
    # when it is read
    decision_list = decision_list_read(path)
    # then the five products import and nothing is rejected
    assert [row.line for row in decision_list.rows] == [11, 13, 15, 16, 18]
    assert decision_list.rejected == []
    # and every layout row is reported by line and kind, with its text
    assert [(row.line, row.kind) for row in decision_list.skipped] == [
        (9, "column_numbers"),
        (10, "group"),
        (12, "group"),
        (14, "group"),
        (17, "group"),
        (19, "total"),
        (20, "total"),
        (22, "footnote"),
        (23, "footnote"),
        (24, "footnote"),
        (26, "footnote"),
        (27, "footnote"),
        (28, "footnote"),
        (31, "footnote"),
    ]
    assert decision_list.skipped[3].text == "II | THỊ XÃ SƠN TÂY"
    assert decision_list.skipped[5].text == "Tổng cộng: 5 sản phẩm | 5"


@pytest.mark.parametrize(
    "numbers",
    [
        [1, 2, 3, 4, 5, 6],
        ["A", "B", 1, 2, 3, 4],
        ["(1)", "(2)", "(3)", "(4)", "(5)", "(6)=(4)+(5)"],
    ],
)
def test_column_numbers_under_a_one_row_header_are_skipped(tmp_path, numbers):
    # given a one-row header followed by its columns' numbers, written one of the usual ways
    rows = [numbers] + [
        files.one_row_row(number, product)
        for number, product in enumerate(files.products(3), start=1)
    ]
    path = files.one_row_header_list(tmp_path, rows)
    # when it is read
    decision_list = decision_list_read(path)
    # then the numbers row is skipped as such and the products import
    assert [(row.line, row.kind) for row in decision_list.skipped] == [(8, "column_numbers")]
    assert len(decision_list.records) == 3


def test_data_rows_are_never_skipped_even_when_they_read_like_layout(tmp_path):
    # given complete rows whose product names start like group titles, totals or notes,
    # one of them below the notes
    names = ["I. Gạo tám Hải Hậu", "Tổng cộng trà sen", "Ghi chú hoa sen", "* Trà shan tuyết"]
    rows = [
        [number, name, "HTX Nông nghiệp Hải Hậu", "Xã Hải Hậu", "Chè", "3 sao"]
        for number, name in enumerate(names[:3], start=1)
    ]
    rows += [[None, "Ghi chú: danh sách tạm thời"]]
    rows += [[4, names[3], "HTX Nông nghiệp Hải Hậu", "Xã Hải Hậu", "Chè", "3 sao"]]
    path = files.one_row_header_list(tmp_path, rows)
    # when it is read
    decision_list = decision_list_read(path)
    # then every complete row is a record; only the note is skipped
    assert [record["name"] for record in decision_list.records] == names
    assert [row.kind for row in decision_list.skipped] == ["footnote"]


def test_a_broken_data_row_is_rejected_not_skipped(tmp_path):
    # given a row without stars and a row with only its number and product name
    product = files.products(1)[0]
    rows = [
        [1, product.name, product.producer, product.address, product.product_set, None],
        [2, "Bánh cốm Hàng Than"],
    ]
    path = files.one_row_header_list(tmp_path, rows)
    # when it is read
    decision_list = decision_list_read(path)
    # then both are rejected with their reasons, neither is skipped as layout
    assert decision_list.skipped == []
    first, second = decision_list.rejected
    assert "missing stars" in first.error
    assert "missing producer" in second.error


def test_a_header_repeated_on_each_printed_page_is_skipped(tmp_path):
    # given a two-row header printed again in the middle of the table
    top_texts = [cell for text, span in files.TWO_ROW_TOP for cell in [text] + [None] * (span - 1)]
    first, second = files.products(2)
    rows = [
        files.two_row_row(1, first),
        top_texts,
        files.TWO_ROW_SUB,
        files.two_row_row(2, second),
    ]
    path = files.two_row_header_list(tmp_path, rows)
    # when it is read
    decision_list = decision_list_read(path)
    # then both products import and the repeated header rows are reported as such
    assert len(decision_list.records) == 2
    assert [(row.line, row.kind) for row in decision_list.skipped] == [
        (10, "header"),
        (11, "header"),
    ]


def test_a_formula_without_a_saved_value_rejects_its_row_naming_the_cell(tmp_path):
    # given a list whose stars cell on line 10 is a formula never calculated by Excel
    first, second = files.products(2)
    formula_row = files.two_row_row(2, second, stars='=IF(F10>=70,"4 sao","3 sao")')
    path = files.two_row_header_list(tmp_path, [files.two_row_row(1, first), formula_row])
    # when it is read
    decision_list = decision_list_read(path)
    # then the other row imports
    assert [record["name"] for record in decision_list.records] == [first.name]
    # and the formula's row is rejected naming the cell and the formula, not "missing stars"
    (rejected,) = decision_list.rejected
    assert rejected.line == 10
    assert rejected.error == (
        'dòng 10, cột Hạng sao (G10): công thức =IF(F10>=70,"4 sao","3 sao") chưa có giá trị '
        "đã lưu; mở và lưu lại tệp trong Excel (formula without a saved value)"
    )


def test_a_10000_character_producer_rejects_only_its_row_in_a_5000_row_file(tmp_path):
    # given a 5,000-row list whose line 2,507 names its producer in 10,000 characters
    header = ["STT", "Tên sản phẩm", "Chủ thể", "Bộ sản phẩm", "Số sao"]
    rows = [[n, f"Sản phẩm số {n}", f"HTX số {n}", "Gốm sứ", 4] for n in range(1, 5001)]
    rows[2499][2] = "HTX " + "Gốm" * 3332
    path = files.one_row_header_list(tmp_path, rows, header=header)
    # when it is read
    decision_list = decision_list_read(path)
    # then every other row imports
    assert len(decision_list.records) == 4999
    # and the one row is rejected naming its line, its column and the limit
    (rejected,) = decision_list.rejected
    assert rejected.line == 2507
    assert rejected.error == (
        "dòng 2507, cột Chủ thể (C2507): 10000 ký tự, tối đa 255 "
        "(too long: 10000 characters, at most 255)"
    )


@pytest.mark.parametrize(
    ("column", "length", "limit", "cell"),
    [
        ("Tên sản phẩm", 256, 255, "B8"),
        ("Chủ thể", 256, 255, "C8"),
        ("Địa chỉ", 501, 500, "D8"),
        ("Người đại diện", 256, 255, "G8"),
        ("Điện thoại", 41, 40, "H8"),
        ("Email", 255, 254, "I8"),
        ("Số quyết định", 101, 100, "J8"),
    ],
)
def test_a_cell_over_its_column_limit_rejects_the_row_and_is_never_cut(
    tmp_path, column, length, limit, cell
):
    # given a full list whose one cell is a character too long for its database column
    header = ["STT", "Tên sản phẩm", "Chủ thể", "Địa chỉ", "Bộ sản phẩm", "Số sao"]
    header += ["Người đại diện", "Điện thoại", "Email", "Số quyết định", "Ngày quyết định"]
    row = [1, "Gốm", "HTX Gốm", "Xã Bát Tràng", "Gốm sứ", 4, "Lê An", "0912345678"]
    row += ["htx@example.vn", "12/QĐ-UBND", "01/02/2024"]
    row[header.index(column)] = "9" * length
    path = files.one_row_header_list(tmp_path, [row], header=header)
    # when it is read
    (rejected,) = decision_list_read(path).rows
    # then the row is rejected naming the cell and the limit
    assert rejected.record is None
    assert f"dòng 8, cột {column} ({cell}): {length} ký tự, tối đa {limit}" in rejected.error


def test_a_product_name_at_its_limit_imports_whole(tmp_path):
    # given a product name of exactly 255 characters
    name = "Gốm sứ Bát Tràng " + "x" * 238
    rows = [[1, name, "HTX Gốm", "Xã Bát Tràng", "Gốm sứ", 4]]
    path = files.one_row_header_list(tmp_path, rows)
    # when it is read
    (record,) = decision_list_read(path).records
    # then the name is kept as written
    assert record["name"] == name


@pytest.mark.parametrize(
    ("build", "reason"),
    [
        (files.html_named_xlsx, "HTML"),
        (files.csv_named_xlsx, "CSV"),
        (files.xls_named_xlsx, "Excel 97–2003 (.xls)"),
    ],
)
def test_a_file_that_only_bears_an_xlsx_name_is_refused_with_its_reason(tmp_path, build, reason):
    # given an HTML page, a CSV or an old .xls saved under an .xlsx name
    path = build(tmp_path)
    # when it is read
    # then it is refused as a whole, saying what it really is, in Vietnamese and English
    with pytest.raises(DecisionListError) as refused:
        decision_list_read(path)
    assert reason in str(refused.value)
    assert "không phải bảng tính Excel .xlsx" in str(refused.value)
    assert "is not a valid .xlsx workbook" in str(refused.value)


def test_an_empty_workbook_is_refused(tmp_path):
    # given a workbook whose every sheet is empty
    path = files.empty_workbook(tmp_path)
    # when it is read
    # then it is refused as empty
    with pytest.raises(DecisionListError, match="mọi trang tính đều trống"):
        decision_list_read(path)


def test_a_workbook_without_a_table_is_refused_naming_the_sheets_searched(tmp_path):
    # given a workbook holding a decision's text and no table
    path = files.workbook_without_table(tmp_path)
    # when it is read
    # then it is refused, saying no header was found on its sheet
    with pytest.raises(DecisionListError, match="No recognisable header row") as refused:
        decision_list_read(path)
    assert "«Sheet»" in str(refused.value)


def test_a_damaged_workbook_raises_only_a_decision_list_error(tmp_path):
    # given a real list whose sheet was cut short in transfer
    path = files.damaged_workbook(tmp_path)
    # when it is read
    # then the failure is a DecisionListError with a reason, not a parser's exception
    with pytest.raises(
        DecisionListError, match="hong.xlsx is not a valid .xlsx workbook: the file is damaged"
    ):
        decision_list_read(path)


def test_an_unexpected_parser_failure_becomes_a_decision_list_error(tmp_path, monkeypatch):
    # given a parser that fails in a way nobody foresaw
    path = files.two_row_header_list(tmp_path)

    def explode(*args, **kwargs):
        raise RuntimeError("boom")

    monkeypatch.setattr("marketplace.registry.decision_lists.load_workbook", explode)
    # when the list is read
    # then the reader still raises only its own error, with a generic reason
    with pytest.raises(DecisionListError, match="could not be read"):
        decision_list_read(path)


def test_a_header_without_a_stars_column_is_refused_once_naming_it(tmp_path):
    # given a list whose stars column is headed "Kết luận", which names nothing
    header = ["STT", "Tên sản phẩm", "Chủ thể", "Địa chỉ", "Bộ sản phẩm", "Kết luận"]
    rows = [[n, f"Gốm {n}", "HTX Gốm", "Bát Tràng", "Gốm sứ", "4 sao"] for n in range(1, 41)]
    path = files.one_row_header_list(tmp_path, rows, header=header)
    # when it is read
    # then the file is refused once, naming the stars column, not rejected 40 times
    with pytest.raises(DecisionListError) as refused:
        decision_list_read(path)
    message = str(refused.value)
    assert "không nhận ra cột số sao (Phân hạng, Hạng sao, Số sao" in message
    assert "dòng tiêu đề 7" in message
    assert "Kết luận" in message


def test_every_missing_column_is_named_in_the_one_error(tmp_path):
    # given a header with neither stars nor product set, and no decision anywhere
    header = ["STT", "Tên sản phẩm", "Chủ thể", "Địa chỉ", "Điện thoại"]
    rows = [[1, "Gốm", "HTX Gốm", "Bát Tràng", "0912345678"]]
    path = files.one_row_header_list(tmp_path, rows, header=header, decision="")
    # when it is read
    # then one error names each missing column
    with pytest.raises(DecisionListError) as refused:
        decision_list_read(path)
    message = str(refused.value)
    for column in ("cột số sao", "cột bộ sản phẩm", "cột số quyết định", "cột ngày quyết định"):
        assert column in message
    assert "cột tên sản phẩm" not in message


def test_the_decision_columns_are_needed_only_without_a_title_decision(tmp_path):
    # given the district list's header, without decision columns, once with and once
    # without the decision in its title
    with_title = files.one_row_header_list(tmp_path, name="co_tieu_de.xlsx")
    without_title = files.one_row_header_list(tmp_path, decision="", name="khong.xlsx")
    # when both are read
    # then the one with the title imports, and the other is refused for the decision
    assert len(decision_list_read(with_title).records) == 12
    with pytest.raises(DecisionListError, match="không nhận ra cột số quyết định"):
        decision_list_read(without_title)


def test_records_and_rejected_split_the_rows(tmp_path):
    # given the Hà Nội workbook: two good rows and one broken one
    decision_list = decision_list_read(write_hanoi_xlsx(tmp_path))
    # then records and rejected split the rows in file order
    assert [record["name"] for record in decision_list.records] == [
        "Gốm sứ Bát Tràng men lam",
        "Rượu mơ Hương Sơn",
    ]
    assert [row.line for row in decision_list.rejected] == [8]
    # and a CSV reports no sheet and its header line
    csv_list = decision_list_read(HANOI_CSV)
    assert (csv_list.sheet, csv_list.header_line, csv_list.skipped) == ("", 1, [])


# ---------------------------------------------------------------- merged cells


def test_cells_merged_down_over_a_producers_products_fill_each_row(tmp_path):
    # given a list whose producer, address, set, decision, representative and phone
    # are merged down over the producer's three products (C8:C10 and so on)
    path = files.merged_producer_list(tmp_path)
    # when it is read
    rows = {row.line: row for row in decision_list_read(path).rows}
    # then every product under the merge imports with the merged values
    products = [rows[line].record for line in (8, 9, 10)]
    assert [record["name"] for record in products] == [
        "Bình gốm men lam",
        "Bát gốm men rạn",
        "Lọ hoa gốm men ngọc",
    ]
    for record in products:
        assert record["manufacturer"] == {
            "name": "HTX Gốm sứ Bát Tràng",
            "representative": "Nguyễn Văn An",
            "address": "Xã Bát Tràng, Thành phố Hà Nội",
            "phone_number": "0912345678",
            "email": "",
        }
        assert (record["type"], record["ocop_certificate_number"], record["issued_on"]) == (
            "keepsake",
            "1234/QĐ-UBND",
            "2024-05-17",
        )
    # and each keeps its own stars, which were not merged
    assert [record["ocop_star"] for record in products] == [4, 3, 4]
    # and the second merged producer's rows import too
    assert [rows[line].record["manufacturer"]["name"] for line in (13, 14)] == [
        "HTX Sen Tây Hồ",
        "HTX Sen Tây Hồ",
    ]


def test_an_empty_cell_outside_any_merge_still_rejects_its_row(tmp_path):
    # given the merged list, whose line 12 leaves its producer cell empty, in no merge
    path = files.merged_producer_list(tmp_path)
    # when it is read
    decision_list = decision_list_read(path)
    # then that row alone is rejected for want of a producer, not filled from above
    (rejected,) = decision_list.rejected
    assert rejected.line == 12
    assert rejected.error == "thiếu chủ thể (missing producer)"


def test_a_merge_running_over_a_blank_row_makes_no_row_of_it(tmp_path):
    # given the merged list, whose second producer's merge runs on over blank line 15
    path = files.merged_producer_list(tmp_path)
    # when it is read
    decision_list = decision_list_read(path)
    # then line 15 is neither data nor layout: only the merge reached it
    assert [row.line for row in decision_list.rows] == [8, 9, 10, 11, 12, 13, 14]
    assert decision_list.skipped == []


# ---------------------------------------------------------------- several sheets


def test_a_list_spread_over_sheets_reads_every_sheet_with_a_table(tmp_path):
    # given a list split into "3 sao" and "4 sao" sheets, each with its header,
    # then a sheet of notes
    path = files.star_sheets_list(tmp_path)
    # when it is read
    decision_list = decision_list_read(path)
    # then both sheets' products import, each row on its own sheet's line
    assert [(row.sheet, row.line, row.record is not None) for row in decision_list.rows] == [
        ("3 sao", 8, True),
        ("3 sao", 9, True),
        ("4 sao", 8, True),
        ("4 sao", 10, True),
        ("4 sao", 11, False),
        ("4 sao", 12, False),
    ]
    assert [(r["name"], r["ocop_star"]) for r in decision_list.records] == [
        ("Gạo nếp cái hoa vàng", 3),
        ("Rượu mơ Hương Sơn", 3),
        ("Lụa tơ tằm Vạn Phúc", 4),
        ("Trà sen Tây Hồ", 4),
    ]
    # and the list names the sheets it read, not the notes
    assert (decision_list.sheet, decision_list.header_line) == ("3 sao, 4 sao", 7)
    assert decision_list.sheets == ["3 sao", "4 sao"]
    assert decision_list.decision_number == "1234/QĐ-UBND"


def test_reasons_and_skipped_rows_name_their_sheet_when_there_are_several(tmp_path):
    # given the list over "3 sao" and "4 sao", with unreadable stars on "4 sao" line 11
    path = files.star_sheets_list(tmp_path)
    # when it is read
    decision_list = decision_list_read(path)
    # then the rejection says which sheet and line
    bad_stars, repeated = decision_list.rejected
    assert bad_stars.error == (
        "trang «4 sao», dòng 11: số sao không hợp lệ: 'nhiều sao' (invalid stars, expected 1-5)"
    )
    # and a product repeated from the other sheet points at that sheet
    assert repeated.error == (
        "trang «4 sao», dòng 12: trùng với trang «3 sao», dòng 8 "
        "(duplicate of sheet «3 sao», line 8)"
    )
    # and each skipped row carries its sheet
    assert [(row.sheet, row.line, row.kind) for row in decision_list.skipped] == [
        ("3 sao", 10, "total"),
        ("4 sao", 9, "group"),
    ]


def test_a_one_sheet_list_keeps_its_reasons_without_a_sheet_name(tmp_path):
    # given the operator's one-sheet list, whose line 15 has unreadable stars
    path = files.operator_upload_list(tmp_path)
    # when it is read
    (rejected,) = decision_list_read(path).rejected
    # then the reason is as before, with no sheet named
    assert rejected.error == ("số sao không hợp lệ: 'nhiều sao' (invalid stars, expected 1-5)")
    assert rejected.sheet == "Danh sách"


# ---------------------------------------------------------------- hostile files


def test_a_decompression_bomb_is_refused_before_anything_parses_it(tmp_path, monkeypatch):
    # given a 200 KB workbook whose one product name unpacks to 200 MB of "A"
    path = files.bomb_list(tmp_path, megabytes=200)

    def parse(*args, **kwargs):
        raise AssertionError("openpyxl must not see a decompression bomb")

    monkeypatch.setattr("marketplace.registry.decision_lists.load_workbook", parse)
    # when it is read
    # then it is refused from the zip's directory alone, in both languages
    with pytest.raises(DecisionListError) as refused:
        decision_list_read(path)
    message = str(refused.value)
    assert "quá lớn" in message and "vượt quá 50 MB" in message
    assert "is too large" in message and "xl/worksheets/sheet1.xml" in message


def test_a_part_compressed_past_any_real_workbook_is_refused(tmp_path):
    # given a workbook whose one 5 MB cell of "A" compresses about 800:1
    path = files.bomb_list(tmp_path, megabytes=5)
    # when it is read
    # then it is refused for its compression ratio
    with pytest.raises(DecisionListError) as refused:
        decision_list_read(path)
    message = str(refused.value)
    assert "bom giải nén" in message
    assert "over the 100:1 any real workbook reaches" in message


def test_parts_that_unpack_past_the_limit_together_are_refused(tmp_path, monkeypatch):
    # given a real list, and a limit above each of its parts but below their sum
    path = files.two_row_header_list(tmp_path)
    with zipfile.ZipFile(path) as archive:
        sizes = [entry.file_size for entry in archive.infolist()]
    monkeypatch.setattr(
        "marketplace.registry.decision_lists.MAX_UNCOMPRESSED_BYTES", max(sizes) + 1
    )
    # when it is read
    # then the sum is refused
    with pytest.raises(DecisionListError, match="its content once uncompressed"):
        decision_list_read(path)


def test_a_csv_with_more_rows_than_the_country_has_products_is_refused(tmp_path):
    # given a 100,000-row CSV, where the whole country has about 17,000 products
    path = files.long_csv(tmp_path, 100_000)
    # when it is read
    # then it is refused once the limit is passed, naming the limit
    with pytest.raises(DecisionListError) as refused:
        decision_list_read(path)
    message = str(refused.value)
    assert f"hơn {MAX_ROWS:,} dòng".replace(",", ".") in message
    assert f"more than {MAX_ROWS:,} rows below the header" in message


def test_an_xlsx_is_read_up_to_max_rows_and_refused_past_it(tmp_path, monkeypatch):
    # given the 12-product district list, and the limit lowered around it
    path = files.one_row_header_list(tmp_path)
    # when it is read with a limit of 12 rows, then 11
    monkeypatch.setattr("marketplace.registry.decision_lists.MAX_ROWS", 12)
    assert len(decision_list_read(path).records) == 12
    monkeypatch.setattr("marketplace.registry.decision_lists.MAX_ROWS", 11)
    # then the first reads whole and the second is refused, naming the sheet
    with pytest.raises(DecisionListError, match="trang tính «Sheet»: danh sách có hơn 11 dòng"):
        decision_list_read(path)


def test_a_stray_cell_far_below_the_table_stops_the_read(tmp_path):
    # given the district list with one cell typed on line 150,000
    path = files.far_row_list(tmp_path, 150_000)
    # when it is read
    # then reading stops past line 100,000 with advice, not after walking a million rows
    with pytest.raises(DecisionListError, match="the sheet runs past line 100,000"):
        decision_list_read(path)


def test_a_csv_larger_than_any_list_is_refused_unread(tmp_path, monkeypatch):
    # given a CSV list, and a size limit below its size
    path = files.long_csv(tmp_path, 100)
    monkeypatch.setattr("marketplace.registry.decision_lists.MAX_CSV_BYTES", 1000)
    # when it is read
    # then it is refused for its size
    with pytest.raises(DecisionListError, match="is too large: the file exceeds"):
        decision_list_read(path)


# ---------------------------------------------------------------- the title's province


def test_the_title_province_completes_addresses_that_name_none(tmp_path):
    # given a Huế list (title "TỈNH THỪA THIÊN HUẾ") whose rows leave out the province
    addresses = ["Xã Phong Điền, Huyện Phong Điền", "Thôn 3, Xã Hương Trà", ""]
    path = files.province_title_list(tmp_path, addresses)
    # when it is read
    decision_list = decision_list_read(path)
    # then the list names today's province
    assert decision_list.province == "Huế"
    # and each address gets it, written as a real address writes it
    written = [record["manufacturer"]["address"] for record in decision_list.records]
    assert written == [
        "Xã Phong Điền, Huyện Phong Điền, Thành phố Huế",
        "Thôn 3, Xã Hương Trà, Thành phố Huế",
        "Thành phố Huế",
    ]
    # and so each producer is found in Huế
    assert {province_2025(address_parse(address).province) for address in written} == {"Huế"}


def test_an_address_that_names_a_province_is_left_alone(tmp_path):
    # given the Huế list with rows already naming Huế, a legacy province, and another one
    addresses = [
        "Phường Thuận Hóa, Thành phố Huế",
        "Xã Phong Hiền, Huyện Phong Điền, Tỉnh Thừa Thiên Huế",
        "Xã Gio Linh, Tỉnh Quảng Trị",
    ]
    path = files.province_title_list(tmp_path, addresses)
    # when it is read
    decision_list = decision_list_read(path)
    # then every address is kept as written
    assert [r["manufacturer"]["address"] for r in decision_list.records] == addresses


@pytest.mark.parametrize(
    ("authority", "province", "suffix"),
    [
        (("UBND TỈNH BẮC GIANG", ""), "Bắc Ninh", ", Tỉnh Bắc Ninh"),
        (("ỦY BAN NHÂN DÂN", "THÀNH PHỐ HÀ NỘI"), "Hà Nội", ", Thành phố Hà Nội"),
        (("UBND HUYỆN GIA LÂM", "THÀNH PHỐ HÀ NỘI"), "Hà Nội", ", Thành phố Hà Nội"),
        (("UBND HUYỆN GIA LÂM", ""), "", ""),
    ],
)
def test_the_title_names_todays_province_and_a_district_names_none(
    tmp_path, authority, province, suffix
):
    # given a list whose title is a legacy province, a city, or a district with or
    # without its city, and whose row names no province
    path = files.province_title_list(tmp_path, ["Xã Song Mai"], authority=authority)
    # when it is read
    decision_list = decision_list_read(path)
    # then the title's post-2025 province, if any, completes the address
    assert decision_list.province == province
    assert decision_list.records[0]["manufacturer"]["address"] == "Xã Song Mai" + suffix


# ---------------------------------------------------------------- empty lists


def test_an_xlsx_with_a_header_and_no_product_rows_is_refused(tmp_path):
    # given a list with its two-row header, column numbers and a zero total, no product
    path = files.header_only_list(tmp_path)
    # when it is read
    # then it is refused as holding no product rows
    with pytest.raises(DecisionListError, match=r"Danh sách không có dòng sản phẩm nào \(no"):
        decision_list_read(path)


def test_a_csv_with_only_its_header_is_refused(tmp_path):
    # given a CSV holding its header and nothing else
    path = write_csv(tmp_path, [HEADER])
    # when it is read
    # then it is refused as holding no product rows
    with pytest.raises(
        DecisionListError, match=r"Danh sách không có dòng sản phẩm nào \(no product rows\)"
    ):
        decision_list_read(path)


# ---------------------------------------------------------------- combined decision cells


@pytest.mark.parametrize(
    "cell",
    [
        "1234/QĐ-UBND ngày 17/5/2024",
        "QĐ số 1234/QĐ-UBND ngày 17/5/2024",
        "1234/QĐ-UBND (17/5/2024)",
        "Số 1234/QĐ-UBND, ngày 17/05/2024",
        "Quyết định số 1234/QĐ-UBND ngày 17 tháng 5 năm 2024",
    ],
)
def test_a_combined_decision_cell_gives_its_number_and_date(tmp_path, cell):
    # given the two-row list whose "Số, ngày quyết định" cell is written one of the usual ways
    row = files.two_row_row(1, files.products(1)[0])
    row[-1] = cell
    path = files.two_row_header_list(tmp_path, [row], decision="")
    # when it is read
    (record,) = decision_list_read(path).records
    # then the number and the date are apart
    assert (record["ocop_certificate_number"], record["issued_on"]) == (
        "1234/QĐ-UBND",
        "2024-05-17",
    )


# ---------------------------------------------------------------- what a rejected row says


@pytest.mark.parametrize("column", ["stars", "signed_on", "product_set"])
def test_a_reason_quotes_at_most_80_characters_of_a_cell(tmp_path, column):
    # given a row whose stars, date or product set cell holds 10,000 characters
    row = one_row(tmp_path, **{column: "x" * 10_000})
    # when it is read
    # then the reason quotes the start of the cell and cuts it short
    assert row.record is None
    assert "'" + "x" * 79 + "…'" in row.error
    assert len(row.error) < 200


def test_a_rejected_row_carries_what_it_said(tmp_path):
    # given a row with unreadable stars and a 10,000-character product set
    row = one_row(tmp_path, stars="nhiều sao", product_set="Gốm " * 2500)
    # when it is read
    # then the row shows each recognised column's text as read, cut to 200 characters
    assert row.record is None
    assert row.cells == {
        "product": "Gốm sứ Bát Tràng",
        "producer": "HTX Gốm sứ Bát Tràng",
        "product_set": ("Gốm " * 50)[:199] + "…",
        "stars": "nhiều sao",
        "decision_number": "1234/QĐ-UBND",
        "decision_date": "17/05/2024",
    }

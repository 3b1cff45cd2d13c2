"""Decision-list workbooks built the way provinces publish them, in tmp_path.

Real lists open with a merged title block (the People's Committee, the
national motto, "Kèm theo Quyết định số … ngày …"), then a header of one or
two merged rows, sometimes a column-number row, data rows interleaved with
group titles and totals, and notes and a signature block below. These
builders write such files with openpyxl so the reader's tests meet the same
shapes an operator uploads.
"""

import zipfile
from dataclasses import dataclass
from pathlib import Path

from openpyxl import Workbook, load_workbook
from openpyxl.utils import get_column_letter

TITLE_DECISION = (
    "(Kèm theo Quyết định số 1234/QĐ-UBND ngày 17 tháng 5 năm 2024 "
    "của Ủy ban nhân dân Thành phố Hà Nội)"
)
DECISION_CELL = "1234/QĐ-UBND ngày 17/5/2024"


@dataclass(frozen=True)
class Product:
    """One certified product as a list prints it."""

    name: str
    producer: str
    address: str
    product_set: str
    stars: object = "4 sao"
    score: object = None


_KNOWN = (
    Product(
        "Gốm sứ Bát Tràng men lam",
        "HTX Gốm sứ Bát Tràng",
        "Xã Bát Tràng, Huyện Gia Lâm, Thành phố Hà Nội",
        "Thủ công mỹ nghệ gia dụng, trang trí",
        "4 sao",
        78,
    ),
    Product(
        "Gạo nếp cái hoa vàng",
        "HTX Nông nghiệp Đông Anh",
        "Xã Đông Anh, Thành phố Hà Nội",
        "Gạo, ngũ cốc",
        "3 sao",
        64,
    ),
    Product(
        "Rượu mơ Hương Sơn",
        "HTX Dịch vụ Nông nghiệp Hương Sơn",
        "Xã Hương Sơn, Huyện Mỹ Đức, Thành phố Hà Nội",
        "Rượu trắng",
        "3★",
        55,
    ),
    Product(
        "Lụa tơ tằm Vạn Phúc",
        "Công ty TNHH Lụa Vạn Phúc",
        "Phường Hà Đông, Thành phố Hà Nội",
        "Dệt may",
        "★★★★",
        81,
    ),
    Product(
        "Trà sen Tây Hồ",
        "Hộ kinh doanh Sen Tây Hồ",
        "Phường Tây Hồ, Thành phố Hà Nội",
        "Chè và các sản phẩm từ chè",
        4,
        85,
    ),
    Product(
        "Tinh dầu bưởi Phú Diễn",
        "HTX Tinh dầu Phú Diễn",
        "Phường Phú Diễn, Thành phố Hà Nội",
        "Mỹ phẩm có nguồn gốc thảo dược",
        "4 sao",
        72,
    ),
    Product(
        "Miến dong Minh Hồng",
        "Hộ kinh doanh Miến Minh Hồng",
        "Xã Minh Hồng, Huyện Ba Vì, Thành phố Hà Nội",
        "Chế biến từ gạo, ngũ cốc",
        "3 sao",
        60,
    ),
    Product(
        "Nón lá Chuông",
        "Tổ hợp tác Nón Chuông",
        "Xã Phương Trung, Huyện Thanh Oai, Thành phố Hà Nội",
        "Thủ công mỹ nghệ",
        "3 sao",
        58,
    ),
)


def products(count: int) -> list[Product]:
    """`count` distinct products, cycling through real Hà Nội ones ("… (lô 2)")."""
    made = []
    for index in range(count):
        known = _KNOWN[index % len(_KNOWN)]
        batch = index // len(_KNOWN)
        suffix = f" (lô {batch + 1})" if batch else ""
        made.append(
            Product(
                known.name + suffix,
                known.producer,
                known.address,
                known.product_set,
                known.stars,
                known.score,
            )
        )
    return made


def title_block(
    sheet,
    width: int,
    *,
    decision: str = TITLE_DECISION,
    authority: tuple[str, str] = ("ỦY BAN NHÂN DÂN", "THÀNH PHỐ HÀ NỘI"),
) -> int:
    """The merged title rows above the table; returns the next free row.

    `authority` is the issuer as printed top left, on two lines: ("ỦY BAN
    NHÂN DÂN", "THÀNH PHỐ HÀ NỘI"), or ("UBND HUYỆN GIA LÂM", "") for a
    district that does not name its province.
    """
    sheet.append([authority[0], None, None, "CỘNG HÒA XÃ HỘI CHỦ NGHĨA VIỆT NAM"])
    sheet.append([authority[1] or None, None, None, "Độc lập - Tự do - Hạnh phúc"])
    sheet.append([])
    sheet.append(["DANH SÁCH SẢN PHẨM ĐƯỢC CÔNG NHẬN ĐẠT SẢN PHẨM OCOP"])
    sheet.append([decision] if decision else [])
    sheet.append([])
    for row in (4, 5):
        sheet.merge_cells(start_row=row, start_column=1, end_row=row, end_column=width)
    return 7


def write_header(sheet, row: int, top: list[tuple[str, int]], sub: list[str] | None = None):
    """A header at `row`: top cells as (text, columns spanned), and an optional sub-row.

    With a sub-row, single-column top cells are merged down over it, as
    provinces do for "STT" or "Tên sản phẩm"; returns the next free row.
    """
    column = 1
    for text, span in top:
        sheet.cell(row=row, column=column, value=text)
        if span > 1:
            sheet.merge_cells(
                start_row=row, start_column=column, end_row=row, end_column=column + span - 1
            )
        elif sub is not None and not sub[column - 1]:
            sheet.merge_cells(
                start_row=row, start_column=column, end_row=row + 1, end_column=column
            )
        column += span
    if sub is None:
        return row + 1
    for index, text in enumerate(sub, start=1):
        if text:
            sheet.cell(row=row + 1, column=index, value=text)
    return row + 2


def write_rows(sheet, row: int, rows: list[list]) -> int:
    """Cells row by row from `row`; a string starting "=" becomes a formula with no saved value."""
    for offset, values in enumerate(rows):
        for column, value in enumerate(values, start=1):
            if value is not None:
                sheet.cell(row=row + offset, column=column, value=value)
    return row + len(rows)


def merged_row(sheet, row: int, text: str, width: int) -> None:
    """A row whose one text is merged across the table (group titles, notes)."""
    sheet.cell(row=row, column=1, value=text)
    sheet.merge_cells(start_row=row, start_column=1, end_row=row, end_column=width)


def save(workbook: Workbook, tmp_path: Path, name: str = "danh_sach_ocop.xlsx") -> Path:
    path = tmp_path / name
    workbook.save(path)
    return path


# ---------------------------------------------------------------- whole lists

TWO_ROW_TOP = [
    ("STT", 1),
    ("Tên sản phẩm", 1),
    ("Chủ thể sản xuất", 1),
    ("Địa chỉ", 1),
    ("Nhóm sản phẩm", 1),
    ("Kết quả đánh giá, phân hạng", 2),
    ("Số, ngày quyết định", 1),
]
TWO_ROW_SUB = ["", "", "", "", "", "Điểm", "Hạng sao", ""]
TWO_ROW_WIDTH = 8


def two_row_row(number: int, product: Product, *, stars=None, score=None) -> list:
    """A data row under the two-row header; `stars`/`score` override the product's."""
    return [
        number,
        product.name,
        product.producer,
        product.address,
        product.product_set,
        product.score if score is None else score,
        product.stars if stars is None else stars,
        DECISION_CELL,
    ]


def two_row_header_list(tmp_path: Path, rows: list[list] | None = None, **title) -> Path:
    """The 2024 city list: title block, then "Kết quả đánh giá, phân hạng" over "Điểm | Hạng sao".

    Without `rows`, 40 products, as in the list that first failed to import.
    """
    workbook = Workbook()
    sheet = workbook.active
    sheet.title = "Danh sách"
    row = title_block(sheet, TWO_ROW_WIDTH, **title)
    row = write_header(sheet, row, TWO_ROW_TOP, TWO_ROW_SUB)
    if rows is None:
        rows = [two_row_row(number, p) for number, p in enumerate(products(40), start=1)]
    write_rows(sheet, row, rows)
    return save(workbook, tmp_path)


ONE_ROW_HEADER = ["STT", "Tên sản phẩm", "Tên chủ thể", "Địa chỉ", "Phân nhóm", "Phân hạng"]


def one_row_row(number: int, product: Product) -> list:
    return [
        number,
        product.name,
        product.producer,
        product.address,
        product.product_set,
        product.stars,
    ]


def one_row_header_list(
    tmp_path: Path,
    rows: list[list] | None = None,
    *,
    header: list[str] = ONE_ROW_HEADER,
    decision: str = "Kèm theo Quyết định số 56/QĐ-UBND ngày 20/10/2023 của UBND huyện Gia Lâm",
    name: str = "danh_sach_ocop.xlsx",
) -> Path:
    """A 2023 district list: one-row header, stars under "Phân hạng", the decision only
    in the title. Without `rows`, 12 products."""
    workbook = Workbook()
    sheet = workbook.active
    row = title_block(sheet, len(header), decision=decision)
    row = write_header(sheet, row, [(text, 1) for text in header])
    if rows is None:
        rows = [one_row_row(number, p) for number, p in enumerate(products(12), start=1)]
    write_rows(sheet, row, rows)
    return save(workbook, tmp_path, name)


def workbook_with_sheets(tmp_path: Path, first: str) -> Path:
    """The list on the second sheet, behind an `first` = "empty" or "cover" sheet."""
    workbook = Workbook()
    cover = workbook.active
    cover.title = "Sheet1" if first == "empty" else "Bìa"
    if first == "cover":
        cover.append(["ỦY BAN NHÂN DÂN THÀNH PHỐ HÀ NỘI"])
        cover.append(["HỒ SƠ CÔNG NHẬN SẢN PHẨM OCOP NĂM 2024"])
        cover.append(["Gồm: Quyết định, danh sách sản phẩm, biên bản họp Hội đồng"])
    sheet = workbook.create_sheet("Danh sách")
    row = title_block(sheet, TWO_ROW_WIDTH)
    row = write_header(sheet, row, TWO_ROW_TOP, TWO_ROW_SUB)
    write_rows(sheet, row, [two_row_row(n, p) for n, p in enumerate(products(5), start=1)])
    return save(workbook, tmp_path)


def layout_rows_list(tmp_path: Path) -> Path:
    """A list as printed: column numbers, districts and sets as groups, totals, notes
    and a signature block. Data rows are on lines 11, 13, 15, 16 and 18."""
    workbook = Workbook()
    sheet = workbook.active
    width = TWO_ROW_WIDTH
    row = title_block(sheet, width)  # title rows 1-6
    row = write_header(sheet, row, TWO_ROW_TOP, TWO_ROW_SUB)  # rows 7-8
    ceramics, rice, wine, silk, tea, *_ = products(8)
    write_rows(sheet, row, [[f"({n})" for n in range(1, width + 1)]])  # row 9
    merged_row(sheet, 10, "I. Huyện Gia Lâm", width)
    write_rows(sheet, 11, [two_row_row(1, ceramics)])
    merged_row(sheet, 12, "Nhóm thực phẩm", width)
    write_rows(sheet, 13, [two_row_row(2, rice)])
    write_rows(sheet, 14, [["II", "THỊ XÃ SƠN TÂY", None, None, None, None, None, None]])
    write_rows(sheet, 15, [two_row_row(3, wine), two_row_row(4, silk)])
    merged_row(sheet, 17, "A. Sản phẩm 4 sao", width)
    write_rows(sheet, 18, [two_row_row(5, tea)])
    write_rows(sheet, 19, [[None, "Tổng cộng: 5 sản phẩm", None, None, None, None, 5]])
    write_rows(sheet, 20, [[None, "Tổng số"]])
    merged_row(sheet, 22, "Ghi chú: sản phẩm xếp theo địa bàn cấp huyện cũ.", width)
    merged_row(sheet, 23, "* Điểm theo Bộ tiêu chí ban hành kèm Quyết định 148/QĐ-TTg.", width)
    merged_row(sheet, 24, "(Danh sách gồm 5 sản phẩm)", width)
    write_rows(sheet, 26, [[None, None, None, None, None, "TM. ỦY BAN NHÂN DÂN"]])
    write_rows(sheet, 27, [[None, None, None, None, None, "KT. CHỦ TỊCH"]])
    write_rows(sheet, 28, [[None, None, None, None, None, "PHÓ CHỦ TỊCH"]])
    write_rows(sheet, 31, [[None, None, None, None, None, "Nguyễn Văn Hùng"]])
    return save(workbook, tmp_path)


def operator_upload_list(tmp_path: Path, name: str = "danh_sach_ocop.xlsx") -> Path:
    """What an operator uploads: the two-row header, a column-number row, two
    groups, four good rows, one row with unreadable stars (line 15), a total
    and a note. Data rows on lines 11, 12, 14, 15 and 16."""
    workbook = Workbook()
    sheet = workbook.active
    sheet.title = "Danh sách"
    width = TWO_ROW_WIDTH
    row = title_block(sheet, width)  # title rows 1-6
    row = write_header(sheet, row, TWO_ROW_TOP, TWO_ROW_SUB)  # rows 7-8
    ceramics, rice, wine, silk, tea, *_ = products(8)
    write_rows(sheet, row, [[f"({n})" for n in range(1, width + 1)]])  # row 9
    merged_row(sheet, 10, "I. Huyện Gia Lâm", width)
    write_rows(sheet, 11, [two_row_row(1, ceramics), two_row_row(2, rice)])
    merged_row(sheet, 13, "Nhóm thực phẩm", width)
    write_rows(
        sheet,
        14,
        [two_row_row(3, wine), two_row_row(4, silk, stars="nhiều sao"), two_row_row(5, tea)],
    )
    write_rows(sheet, 17, [[None, "Tổng cộng: 5 sản phẩm", None, None, None, None, 5]])
    merged_row(sheet, 18, "Ghi chú: sản phẩm xếp theo địa bàn cấp huyện cũ.", width)
    return save(workbook, tmp_path, name)


def two_row_header_csv(tmp_path: Path) -> Path:
    """A two-row header as Excel saves it to CSV: merged cells become empty fields."""
    path = tmp_path / "danh_sach_ocop.csv"
    path.write_text(
        "UBND TỈNH BẮC NINH,,,,,,,\n"
        '"Kèm theo Quyết định số 99/QĐ-UBND ngày 01/03/2025",,,,,,,\n'
        'STT,Tên sản phẩm,Chủ thể,,Bộ sản phẩm,"Kết quả đánh giá, phân hạng",,Số QĐ\n'
        ",,Tên,Địa chỉ,,Điểm,Hạng sao,\n"
        "(1),(2),(3),(4),(5),(6),(7),(8)\n"
        "I,HUYỆN TIÊN DU,,,,,,\n"
        '1,Gà Hồ,HTX Gà Hồ,Xã Song Hồ,"Thịt, trứng, sữa tươi",75,,\n'
        "2,Tranh Đông Hồ,HTX Tranh dân gian Đông Hồ,Xã Song Hồ,Thủ công mỹ nghệ,,4 sao,\n"
        "Tổng cộng,,,,,,,2\n",
        encoding="utf-8-sig",
    )
    return path


# ---------------------------------------------------------------- not lists


def html_named_xlsx(tmp_path: Path) -> Path:
    """What a portal's "Xuất Excel" button often serves: an HTML table named .xlsx."""
    path = tmp_path / "danh_sach_ocop.xlsx"
    path.write_text(
        "<html><head><meta charset='utf-8'></head><body><table>"
        "<tr><td>STT</td><td>Tên sản phẩm</td><td>Chủ thể</td><td>Hạng sao</td></tr>"
        "</table></body></html>",
        encoding="utf-8",
    )
    return path


def csv_named_xlsx(tmp_path: Path) -> Path:
    path = tmp_path / "danh_sach_ocop.xlsx"
    path.write_text(
        "STT;Tên sản phẩm;Chủ thể;Bộ sản phẩm;Số sao\n1;Gốm;HTX Gốm;Gốm sứ;4\n",
        encoding="utf-8-sig",
    )
    return path


def xls_named_xlsx(tmp_path: Path) -> Path:
    """An Excel 97-2003 file renamed: the OLE2 signature, then anything."""
    path = tmp_path / "danh_sach_ocop.xlsx"
    path.write_bytes(b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1" + bytes(range(256)) * 8)
    return path


def empty_workbook(tmp_path: Path) -> Path:
    workbook = Workbook()
    workbook.create_sheet("Sheet2")
    return save(workbook, tmp_path)


def workbook_without_table(tmp_path: Path) -> Path:
    """A decision's text pasted into a workbook: prose, no table."""
    workbook = Workbook()
    sheet = workbook.active
    title_block(sheet, 6)
    sheet.append(["Điều 1. Công nhận 45 sản phẩm đạt sản phẩm OCOP năm 2024."])
    sheet.append(["Điều 2. Quyết định có hiệu lực kể từ ngày ký."])
    return save(workbook, tmp_path)


def damaged_workbook(tmp_path: Path) -> Path:
    """A real .xlsx whose sheet XML was cut short, as an interrupted download leaves it."""
    good = two_row_header_list(tmp_path)
    damaged = tmp_path / "hong.xlsx"
    with zipfile.ZipFile(good) as source, zipfile.ZipFile(damaged, "w") as target:
        for item in source.infolist():
            data = source.read(item.filename)
            if item.filename.startswith("xl/worksheets/sheet"):
                data = data[: len(data) // 2]
            target.writestr(item, data)
    return damaged


def column_letter(index: int) -> str:
    """The letter of a 1-based column, as reasons name cells."""
    return get_column_letter(index)


# ---------------------------------------------------------------- merged cells, sheets, provinces

MERGED_HEADER = [
    "STT",
    "Tên sản phẩm",
    "Chủ thể",
    "Địa chỉ",
    "Bộ sản phẩm",
    "Hạng sao",
    "Số quyết định",
    "Ngày quyết định",
    "Người đại diện",
    "Điện thoại",
]
MERGED_COLUMNS = ("C", "D", "E", "G", "H", "I", "J")
"""Producer, address, product set, decision number and date, representative and
phone: what provinces merge down over one producer's products."""


def merged_producer_list(tmp_path: Path) -> Path:
    """A Hà Nội list where one producer's cells are merged down over its products.

    Lines 8-10 are HTX Gốm sứ Bát Tràng's three products, its producer,
    address, product set, decision, representative and phone merged C8:C10
    and so on; line 11 is another producer's single product; line 12 has no
    producer at all (an empty cell in no merge); lines 13-14 are a second
    merged producer whose merge runs on over line 15, which is otherwise blank.
    """
    workbook = Workbook()
    sheet = workbook.active
    sheet.title = "Danh sách"
    width = len(MERGED_HEADER)
    row = title_block(sheet, width)  # title rows 1-6
    row = write_header(sheet, row, [(text, 1) for text in MERGED_HEADER])  # row 7
    decision = ["1234/QĐ-UBND", "17/05/2024", "Nguyễn Văn An", 912345678]
    write_rows(
        sheet,
        row,
        [
            [1, "Bình gốm men lam", "HTX Gốm sứ Bát Tràng", "Xã Bát Tràng, Thành phố Hà Nội"]
            + ["Thủ công mỹ nghệ gia dụng, trang trí", "4 sao", *decision],
            [2, "Bát gốm men rạn", None, None, None, "3 sao"],
            [3, "Lọ hoa gốm men ngọc", None, None, None, "4 sao"],
            [4, "Lụa tơ tằm Vạn Phúc", "HTX Lụa Vạn Phúc", "Phường Hà Đông, Thành phố Hà Nội"]
            + ["Dệt may", "4 sao", *decision],
            [5, "Miến dong", None, "Xã Minh Hồng, Thành phố Hà Nội", "Chế biến từ gạo"]
            + ["3 sao", *decision],
            [6, "Trà sen Tây Hồ", "HTX Sen Tây Hồ", "Phường Tây Hồ, Thành phố Hà Nội"]
            + ["Chè và các sản phẩm từ chè", "4 sao", *decision],
            [7, "Trà sen ướp gạo", None, None, None, "3 sao"],
        ],
    )  # rows 8-14
    for column in MERGED_COLUMNS:
        sheet.merge_cells(f"{column}8:{column}10")
        sheet.merge_cells(f"{column}13:{column}15")
    return save(workbook, tmp_path)


def _star_sheet(workbook: Workbook, title: str, rows: list[list], *, decision: str) -> None:
    sheet = workbook.create_sheet(title)
    row = title_block(sheet, len(ONE_ROW_HEADER), decision=decision)
    row = write_header(sheet, row, [(text, 1) for text in ONE_ROW_HEADER])
    write_rows(sheet, row, rows)


def star_sheets_list(tmp_path: Path) -> Path:
    """A list split by stars over sheets "3 sao" and "4 sao", each with its own title
    and header (line 7), then a "Ghi chú" sheet of prose.

    "3 sao": products on lines 8-9, a total on line 10. "4 sao": products on
    lines 8 and 10, a group title on line 9, unreadable stars on line 11 and,
    on line 12, a repeat of the "3 sao" sheet's line 8.
    """
    ceramics, rice, wine, silk, tea, *_ = products(8)
    workbook = Workbook()
    workbook.remove(workbook.active)
    decision = "(Kèm theo Quyết định số 1234/QĐ-UBND ngày 17 tháng 5 năm 2024)"
    three = [one_row_row(1, rice), one_row_row(2, wine)]
    three[0][5] = three[1][5] = "3 sao"
    _star_sheet(workbook, "3 sao", [*three, [None, "Tổng cộng: 2 sản phẩm"]], decision=decision)
    four = [
        one_row_row(1, silk),
        ["II", "THỊ XÃ SƠN TÂY"],
        one_row_row(2, tea),
        one_row_row(3, ceramics),
        three[0],
    ]
    four[0][5] = four[2][5] = "4 sao"
    four[3][5] = "nhiều sao"
    _star_sheet(workbook, "4 sao", four, decision=decision)
    notes = workbook.create_sheet("Ghi chú")
    notes.append(["Danh sách xếp theo hạng sao; mỗi trang một hạng."])
    return save(workbook, tmp_path)


HUE_AUTHORITY = ("ỦY BAN NHÂN DÂN", "TỈNH THỪA THIÊN HUẾ")


def province_title_list(
    tmp_path: Path, addresses: list[str], *, authority: tuple[str, str] = HUE_AUTHORITY
) -> Path:
    """A list whose title block names the province and whose rows mostly do not:
    one product per address, on lines 8 onwards."""
    rows = [
        [number, f"Sản phẩm {number}", f"HTX số {number}", address, "Thực phẩm", "4 sao"]
        for number, address in enumerate(addresses, start=1)
    ]
    workbook = Workbook()
    sheet = workbook.active
    decision = "(Kèm theo Quyết định số 77/QĐ-UBND ngày 02/04/2025)"
    row = title_block(sheet, len(ONE_ROW_HEADER), decision=decision, authority=authority)
    row = write_header(sheet, row, [(text, 1) for text in ONE_ROW_HEADER])
    write_rows(sheet, row, rows)
    return save(workbook, tmp_path)


def header_only_list(tmp_path: Path) -> Path:
    """The two-row header and its column numbers, a total of nothing, and no product."""
    workbook = Workbook()
    sheet = workbook.active
    row = title_block(sheet, TWO_ROW_WIDTH)
    row = write_header(sheet, row, TWO_ROW_TOP, TWO_ROW_SUB)
    write_rows(sheet, row, [[f"({n})" for n in range(1, TWO_ROW_WIDTH + 1)]])
    write_rows(sheet, row + 1, [[None, "Tổng cộng: 0 sản phẩm"]])
    return save(workbook, tmp_path)


# ---------------------------------------------------------------- hostile files

BOMB_PLACEHOLDER = "BOM_GIAI_NEN"


def bomb_list(tmp_path: Path, megabytes: int) -> Path:
    """The two-row list whose one product name is `megabytes` MB of "A": a few
    hundred KB on disk, since a repeated character compresses about 1000:1.

    Built as a real workbook with a placeholder, whose shared string is then
    swapped for the long run of "A", streamed so the test never holds it.
    """
    first, second = products(2)
    rows = [two_row_row(1, first), two_row_row(2, second)]
    rows[1][1] = BOMB_PLACEHOLDER
    good = two_row_header_list(tmp_path, rows)
    bomb = tmp_path / "bom.xlsx"
    chunk = b"A" * (1024 * 1024)
    marker = BOMB_PLACEHOLDER.encode()
    with (
        zipfile.ZipFile(good) as source,
        zipfile.ZipFile(bomb, "w", zipfile.ZIP_DEFLATED) as target,
    ):
        for item in source.infolist():
            data = source.read(item.filename)
            if marker not in data:
                target.writestr(item, data, compress_type=zipfile.ZIP_DEFLATED)
                continue
            before, after = data.split(marker, 1)
            with target.open(item.filename, "w", force_zip64=True) as part:
                part.write(before)
                for _ in range(megabytes):
                    part.write(chunk)
                part.write(after)
    return bomb


def long_csv(tmp_path: Path, rows: int) -> Path:
    """A CSV list of `rows` products, written line by line."""
    path = tmp_path / "danh_sach_dai.csv"
    with path.open("w", encoding="utf-8") as handle:
        handle.write("STT;Tên sản phẩm;Chủ thể;Bộ sản phẩm;Số sao;Số quyết định;Ngày quyết định\n")
        for number in range(1, rows + 1):
            handle.write(
                f"{number};Sản phẩm {number};HTX số {number % 500};Gốm sứ;4;1/QĐ-UBND;01/02/2024\n"
            )
    return path


def far_row_list(tmp_path: Path, line: int) -> Path:
    """The district list with one stray cell typed at `line`, far below the table."""
    path = one_row_header_list(tmp_path)
    workbook = load_workbook(path)
    workbook.active.cell(row=line, column=2, value="x")
    workbook.save(path)
    return path

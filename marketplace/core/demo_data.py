"""A little demo catalogue for `make run`, until the registry sync (issue 3)
replaces it with a Hanoi registry snapshot. Names come from the Hanoi OCOP
program's 2020 report."""

from decimal import Decimal

DEMO_PRODUCERS = [
    {"name": "HTX Gốm sứ Bát Tràng", "color": (176, 74, 43)},
    {"name": "HTX Nông nghiệp Tam Hưng", "color": (120, 150, 60)},
    {"name": "HTX Nông nghiệp hữu cơ Đồng Phú", "color": (95, 140, 70)},
    {"name": "Công ty CP Sữa Phù Đổng", "color": (70, 120, 170)},
    {"name": "HTX Khảm trai Chuyên Mỹ", "color": (60, 70, 110)},
    {"name": "Hộ kinh doanh Lụa Vạn Phúc", "color": (160, 50, 90)},
]

DEMO_CATEGORIES = ["Thực phẩm", "Đồ uống", "Thủ công mỹ nghệ"]

DEMO_PRODUCTS = [
    # title, producer index, category, price (whole đồng), stock, description
    (
        "Bình gốm men lam Bát Tràng",
        0,
        "Thủ công mỹ nghệ",
        Decimal("450000"),
        25,
        "Bình gốm vẽ tay men lam, nung ở 1.250 °C tại làng gốm Bát Tràng.",
    ),
    (
        "Bộ ấm chén gốm Bát Tràng men rạn",
        0,
        "Thủ công mỹ nghệ",
        Decimal("680000"),
        12,
        "Bộ ấm chén sáu món, men rạn cổ, làm thủ công.",
    ),
    (
        "Gạo Bắc thơm số 7 Tam Hưng (túi 5 kg)",
        1,
        "Thực phẩm",
        Decimal("125000"),
        200,
        "Gạo Bắc thơm số 7 trồng tại Tam Hưng, Thanh Oai; hạt nhỏ, cơm dẻo thơm.",
    ),
    (
        "Gạo hữu cơ Đồng Phú (túi 2 kg)",
        2,
        "Thực phẩm",
        Decimal("98000"),
        150,
        "Gạo canh tác hữu cơ tại Đồng Phú, Chương Mỹ.",
    ),
    (
        "Sữa tươi thanh trùng Phù Đổng (1 lít)",
        3,
        "Đồ uống",
        Decimal("38000"),
        80,
        "Sữa bò tươi thanh trùng từ vùng chăn nuôi Phù Đổng, Gia Lâm.",
    ),
    (
        "Hộp khảm trai Chuyên Mỹ",
        4,
        "Thủ công mỹ nghệ",
        Decimal("1250000"),
        6,
        "Hộp gỗ khảm trai thủ công của làng nghề Chuyên Mỹ, Phú Xuyên.",
    ),
    (
        "Khăn lụa tơ tằm Vạn Phúc",
        5,
        "Thủ công mỹ nghệ",
        Decimal("350000"),
        40,
        "Khăn lụa tơ tằm dệt tại làng lụa Vạn Phúc, Hà Đông.",
    ),
]

OPERATOR_USERNAME = "operator"
OPERATOR_EMAIL = "operator@ocop.local"

"""The Hanoi craft villages and product lines the demo snapshot is built from.

The village and product names come from Hanoi's 2020 OCOP report (Bát Tràng
ceramics, Tam Hưng's Bắc thơm số 7 rice, Đồng Phú organic rice, Thanh Hà
sprouts, Kinoco Thanh Cao enoki, Phù Đổng milk, Minh Dương vermicelli,
Chuyên Mỹ mother-of-pearl inlay, Phú Vinh rattan, Hạ Thái lacquer, Vạn Phúc
silk) plus a few well-known herb and tea villages so that every registry
`type` appears. Producers, people and contact details are invented; the
post-2025 commune each old commune merged into is a best-effort mapping.
Demo data only: nothing here is an official record.
"""

from __future__ import annotations

from dataclasses import dataclass


@dataclass(frozen=True)
class Place:
    """A producer's locality under both address systems (design.md §7)."""

    commune: str  # two-level, since 2025-07-01: "Xã Bát Tràng"
    legacy_commune: str  # three-level, before: "Xã Bát Tràng"
    legacy_district: str  # "Huyện Gia Lâm"


@dataclass(frozen=True)
class Family:
    """A village's product lines, the size variants they come in and who makes them.

    `share` is the family's weight in a 300-record snapshot; `premium`
    families are the only ones that may carry 5★ (national or potential).
    """

    key: str
    type: str
    place: Place
    lines: tuple[str, ...]
    sizes: tuple[str, ...]
    producers: tuple[str, ...]
    description: str
    story: str
    share: int
    premium: bool = False


PROVINCE = "Thành phố Hà Nội"

BAT_TRANG = Place("Xã Bát Tràng", "Xã Bát Tràng", "Huyện Gia Lâm")
PHU_DONG = Place("Xã Phù Đổng", "Xã Phù Đổng", "Huyện Gia Lâm")
NINH_HIEP = Place("Xã Phù Đổng", "Xã Ninh Hiệp", "Huyện Gia Lâm")
TAM_HUNG = Place("Xã Tam Hưng", "Xã Tam Hưng", "Huyện Thanh Oai")
THANH_CAO = Place("Xã Bình Minh", "Xã Thanh Cao", "Huyện Thanh Oai")
CU_KHE = Place("Xã Bình Minh", "Xã Cự Khê", "Huyện Thanh Oai")
DONG_PHU = Place("Xã Hòa Phú", "Xã Đồng Phú", "Huyện Chương Mỹ")
PHU_NGHIA = Place("Xã Phú Nghĩa", "Xã Phú Nghĩa", "Huyện Chương Mỹ")
PHU_NAM_AN = Place("Xã Trần Phú", "Xã Phú Nam An", "Huyện Chương Mỹ")
CHUYEN_MY = Place("Xã Chuyên Mỹ", "Xã Chuyên Mỹ", "Huyện Phú Xuyên")
DUYEN_THAI = Place("Xã Thường Tín", "Xã Duyên Thái", "Huyện Thường Tín")
VAN_PHUC = Place("Phường Hà Đông", "Phường Vạn Phúc", "Quận Hà Đông")
MINH_KHAI = Place("Xã Dương Hòa", "Xã Minh Khai", "Huyện Hoài Đức")
QUANG_AN = Place("Phường Tây Hồ", "Phường Quảng An", "Quận Tây Hồ")
BA_VI = Place("Xã Ba Vì", "Xã Ba Vì", "Huyện Ba Vì")

CRAFT_SIZES = ("", "cỡ nhỏ", "cỡ trung", "cỡ lớn")
RICE_SIZES = ("túi 2 kg", "túi 5 kg", "bao 10 kg")
PACK_SIZES = ("gói 300 g", "gói 500 g", "túi 1 kg")
TOUR_SIZES = ("(nửa ngày)", "(cả ngày)", "(gói gia đình)")

FAMILIES: tuple[Family, ...] = (
    Family(
        key="gom_bat_trang",
        type="keepsake",
        place=BAT_TRANG,
        lines=(
            "Bình hút lộc men lam Bát Tràng",
            "Bộ ấm chén men rạn Bát Tràng",
            "Lọ hoa men hoa biến Bát Tràng",
            "Bát đĩa gốm sứ Bát Tràng men lam",
            "Tranh gốm đắp nổi Bát Tràng",
            "Chum gốm men nâu Bát Tràng",
            "Bộ đồ thờ gốm sứ Bát Tràng",
            "Đèn gốm thấu quang Bát Tràng",
            "Bộ ấm chén men ngọc Bát Tràng",
        ),
        sizes=CRAFT_SIZES,
        producers=(
            "HTX Gốm sứ Bát Tràng",
            "Công ty TNHH Gốm sứ Minh Hải Bát Tràng",
            "Công ty TNHH Gốm Giang Cao",
            "Hộ kinh doanh Lê Văn Thắng",
            "Tổ hợp tác Gốm men lam Bát Tràng",
        ),
        description=(
            "{name}: gốm sứ Bát Tràng tạo hình, vẽ tay và nung ở 1.200–1.300 °C; "
            "men bền màu, an toàn khi dùng với thực phẩm."
        ),
        story=(
            "Làng gốm Bát Tràng bên sông Hồng làm gốm hơn năm trăm năm; mỗi sản phẩm "
            "vẫn qua tay người thợ từ khâu nhào đất đến khâu vẽ men."
        ),
        share=39,
        premium=True,
    ),
    Family(
        key="kham_trai_chuyen_my",
        type="keepsake",
        place=CHUYEN_MY,
        lines=(
            "Tranh khảm trai Chuyên Mỹ",
            "Hộp trang sức khảm trai Chuyên Mỹ",
            "Khay trà khảm trai Chuyên Mỹ",
            "Lục bình khảm trai Chuyên Mỹ",
            "Tranh khảm trai phong cảnh Hồ Gươm",
            "Bình phong khảm trai Chuyên Mỹ",
        ),
        sizes=CRAFT_SIZES,
        producers=(
            "HTX Khảm trai Chuyên Mỹ",
            "Công ty TNHH Mỹ nghệ Chuyên Mỹ",
            "Hộ kinh doanh Nguyễn Văn Trọng",
            "Tổ hợp tác khảm trai Chuôn Ngọ",
        ),
        description=(
            "{name}: vỏ trai, ốc xà cừ được cưa, mài và khảm thủ công trên nền gỗ "
            "hoặc sơn mài, hoàn thiện bằng nhiều lớp phủ bóng."
        ),
        story=(
            "Chuyên Mỹ là đất tổ nghề khảm trai; thợ Chuôn Ngọ từng khảm cho cung "
            "đình và nay giữ nghề qua các xưởng gia đình."
        ),
        share=15,
        premium=True,
    ),
    Family(
        key="may_tre_phu_vinh",
        type="keepsake",
        place=PHU_NGHIA,
        lines=(
            "Giỏ mây tre đan Phú Vinh",
            "Làn mây đan tay Phú Vinh",
            "Khay mây tre Phú Vinh",
            "Đèn mây tre đan Phú Vinh",
            "Hộp đựng đồ mây tre Phú Vinh",
            "Bình hoa mây tre đan Phú Vinh",
        ),
        sizes=CRAFT_SIZES,
        producers=(
            "HTX Mây tre đan Phú Vinh",
            "Công ty TNHH Mây tre Phú Nghĩa",
            "Hộ kinh doanh Đỗ Thị Huyền",
            "Tổ hợp tác mây tre đan Phú Vinh",
        ),
        description=(
            "{name}: sợi mây, giang được chẻ, vót và đan tay theo kỹ thuật truyền "
            "thống, sấy chống mốc trước khi hoàn thiện."
        ),
        story=(
            "Làng Phú Vinh có nghề mây tre đan hơn bốn thế kỷ; sản phẩm của làng "
            "từng được chọn làm quà tặng trong các hội nghị quốc tế."
        ),
        share=16,
    ),
    Family(
        key="son_mai_ha_thai",
        type="keepsake",
        place=DUYEN_THAI,
        lines=(
            "Tranh sơn mài Hạ Thái",
            "Hộp sơn mài Hạ Thái",
            "Bình sơn mài vẽ sen Hạ Thái",
            "Khay sơn mài khảm vỏ trứng Hạ Thái",
            "Bộ đĩa sơn mài Hạ Thái",
            "Tranh sơn mài phố cổ Hà Nội",
        ),
        sizes=CRAFT_SIZES,
        producers=(
            "HTX Sơn mài Hạ Thái",
            "Công ty TNHH Sơn mài Duyên Thái",
            "Hộ kinh doanh Trần Văn Hùng",
            "Tổ hợp tác sơn mài Hạ Thái",
        ),
        description=(
            "{name}: cốt gỗ phủ sơn ta nhiều lớp, mài nước và thếp vàng bạc, khảm "
            "vỏ trứng hoặc vỏ trai theo kỹ thuật sơn mài truyền thống."
        ),
        story=(
            "Hạ Thái là làng sơn mài lâu đời nhất miền Bắc; mỗi bức tranh qua hàng "
            "chục lớp sơn và nhiều tháng mài, phủ."
        ),
        share=16,
        premium=True,
    ),
    Family(
        key="lua_van_phuc",
        type="cloth",
        place=VAN_PHUC,
        lines=(
            "Lụa tơ tằm Vạn Phúc",
            "Khăn lụa Vạn Phúc",
            "Áo dài lụa Vạn Phúc",
            "Lụa vân hoa Vạn Phúc",
            "Cà vạt lụa tơ tằm Vạn Phúc",
            "Gối lụa tơ tằm Vạn Phúc",
            "Túi lụa thêu tay Vạn Phúc",
        ),
        sizes=("", "màu trơn", "hoa văn truyền thống", "hộp quà tặng"),
        producers=(
            "HTX Lụa Vạn Phúc",
            "Công ty TNHH Lụa tơ tằm Vạn Phúc Hà Đông",
            "Hộ kinh doanh Nguyễn Thị Lan",
            "Tổ hợp tác dệt lụa Vạn Phúc",
        ),
        description=(
            "{name}: dệt từ tơ tằm tự nhiên trên khung dệt của làng, mặt lụa mềm, "
            "thoáng và giữ màu sau nhiều lần giặt."
        ),
        story=(
            "Làng lụa Vạn Phúc dệt lụa hơn một nghìn năm; lụa vân của làng từng là "
            "hàng tiến vua và được giới thiệu ở nhiều hội chợ quốc tế."
        ),
        share=30,
        premium=True,
    ),
    Family(
        key="gao_tam_hung",
        type="food",
        place=TAM_HUNG,
        lines=(
            "Gạo Bắc thơm số 7 Tam Hưng",
            "Gạo Bắc thơm số 7 hữu cơ Tam Hưng",
            "Gạo nếp cái hoa vàng Tam Hưng",
            "Gạo tẻ thơm Tam Hưng",
        ),
        sizes=RICE_SIZES,
        producers=(
            "HTX Nông nghiệp Tam Hưng",
            "Công ty TNHH Nông sản Tam Hưng",
            "Tổ hợp tác lúa gạo Tam Hưng",
            "Hộ kinh doanh Nguyễn Văn Bình",
        ),
        description=(
            "{name}: lúa trồng trên cánh đồng mẫu của xã, thu hoạch đúng độ chín, "
            "xay xát trong ngày; cơm dẻo, thơm nhẹ."
        ),
        story=(
            "Tam Hưng giữ giống Bắc thơm số 7 trên những cánh đồng lớn và liên kết "
            "bao tiêu cho hàng trăm hộ trồng lúa."
        ),
        share=20,
    ),
    Family(
        key="gao_dong_phu",
        type="food",
        place=DONG_PHU,
        lines=(
            "Gạo hữu cơ Đồng Phú",
            "Gạo lứt hữu cơ Đồng Phú",
            "Gạo nếp hữu cơ Đồng Phú",
            "Bột gạo lứt Đồng Phú",
        ),
        sizes=RICE_SIZES,
        producers=(
            "HTX Nông nghiệp hữu cơ Đồng Phú",
            "Công ty TNHH Gạo sạch Đồng Phú",
            "Tổ hợp tác sản xuất lúa hữu cơ Đồng Phú",
        ),
        description=(
            "{name}: canh tác hữu cơ, không thuốc bảo vệ thực vật hóa học, bón phân "
            "chuồng ủ hoai; truy xuất nguồn gốc bằng mã QR."
        ),
        story=(
            "Nông dân Đồng Phú chuyển sang lúa hữu cơ để giữ đồng ruộng sạch và bán "
            "gạo thẳng tới các chuỗi thực phẩm sạch của Thủ đô."
        ),
        share=18,
    ),
    Family(
        key="gia_do_thanh_ha",
        type="food",
        place=CU_KHE,
        lines=(
            "Giá đỗ Thanh Hà",
            "Giá đỗ xanh sạch Thanh Hà",
            "Mầm đậu nành Thanh Hà",
            "Giá đỗ đen Thanh Hà",
        ),
        sizes=("gói 300 g", "gói 500 g", "túi 1 kg"),
        producers=("HTX Rau sạch Thanh Hà", "Hộ kinh doanh Phạm Thị Hạnh"),
        description=(
            "{name}: ủ từ hạt đỗ chọn lọc bằng nước sạch, không chất kích thích, "
            "thu hoạch và đóng gói trong ngày."
        ),
        story=(
            "Giá đỗ Thanh Hà làm theo quy trình khép kín, đưa món rau quen thuộc "
            "của bữa cơm Hà Nội lên kệ siêu thị."
        ),
        share=12,
    ),
    Family(
        key="nam_kinoco",
        type="food",
        place=THANH_CAO,
        lines=(
            "Nấm kim châm Kinoco",
            "Nấm kim châm trắng Kinoco",
            "Nấm hải sản Kinoco",
            "Nấm đùi gà Kinoco",
        ),
        sizes=("gói 150 g", "gói 200 g", "hộp 500 g"),
        producers=("Công ty TNHH Nấm Kinoco Thanh Cao", "HTX Nấm Thanh Cao"),
        description=(
            "{name}: nuôi trồng trong nhà lạnh điều khiển nhiệt độ, độ ẩm; cây nấm "
            "trắng đều, giòn ngọt."
        ),
        story=(
            "Kinoco đưa công nghệ trồng nấm kim châm trong phòng lạnh về Thanh Cao, "
            "thay một phần nấm nhập khẩu trên thị trường."
        ),
        share=18,
    ),
    Family(
        key="bun_mien_minh_duong",
        type="food",
        place=MINH_KHAI,
        lines=(
            "Bún khô Minh Dương",
            "Miến dong Minh Dương",
            "Bún gạo lứt Minh Dương",
            "Phở khô Minh Dương",
            "Miến sắn dây Minh Dương",
        ),
        sizes=PACK_SIZES,
        producers=(
            "Công ty TNHH Bún miến Minh Dương",
            "Hộ kinh doanh Đỗ Văn Dương",
            "Tổ hợp tác bún miến Minh Khai",
        ),
        description=(
            "{name}: làm từ gạo và tinh bột dong riềng của làng nghề, phơi sấy khô "
            "tự nhiên, không chất tẩy trắng."
        ),
        story=(
            "Làng bún miến Minh Khai nấu, tráng, phơi miến quanh năm; Minh Dương "
            "giữ công thức gia truyền và đầu tư lò sấy sạch."
        ),
        share=22,
    ),
    Family(
        key="sua_chua_phu_dong",
        type="food",
        place=PHU_DONG,
        lines=("Sữa chua Phù Đổng", "Sữa chua nếp cẩm Phù Đổng", "Bánh sữa Phù Đổng"),
        sizes=("hũ 100 g", "lốc 4 hũ", "hộp 250 g"),
        producers=("HTX Chăn nuôi bò sữa Phù Đổng", "Công ty TNHH Sữa Phù Đổng"),
        description=(
            "{name}: làm từ sữa bò tươi vắt trong ngày tại các trang trại của xã, "
            "lên men tự nhiên, bảo quản lạnh."
        ),
        story=(
            "Phù Đổng là vùng bò sữa lớn nhất ven đô Hà Nội; các hộ góp sữa về HTX "
            "để chế biến thành sản phẩm mang tên làng."
        ),
        share=8,
    ),
    Family(
        key="sua_tuoi_phu_dong",
        type="drink",
        place=PHU_DONG,
        lines=(
            "Sữa tươi Phù Đổng",
            "Sữa tươi thanh trùng Phù Đổng",
            "Sữa tươi tiệt trùng Phù Đổng",
            "Sữa tươi có đường Phù Đổng",
            "Sữa chua uống Phù Đổng",
        ),
        sizes=("chai 180 ml", "chai 500 ml", "chai 1 lít"),
        producers=(
            "HTX Chăn nuôi bò sữa Phù Đổng",
            "Công ty TNHH Sữa Phù Đổng",
            "Hộ kinh doanh Nguyễn Văn Tuấn",
        ),
        description=(
            "{name}: sữa bò tươi vắt tại trang trại, thanh trùng ngay trong ngày, "
            "không pha sữa bột."
        ),
        story=(
            "Sữa tươi Phù Đổng đi từ chuồng bò tới bàn ăn trong vòng một ngày, "
            "nhờ dây chuyền chế biến đặt ngay trong xã."
        ),
        share=22,
        premium=True,
    ),
    Family(
        key="tra_sen_tay_ho",
        type="drink",
        place=QUANG_AN,
        lines=("Trà sen Tây Hồ", "Trà ướp sen Bách Diệp Tây Hồ", "Trà sen Quảng An"),
        sizes=("hộp 100 g", "hộp 200 g", "hộp quà 500 g"),
        producers=("HTX Trà sen Quảng An", "Hộ kinh doanh Nguyễn Thị Dung"),
        description=(
            "{name}: chè Thái Nguyên ướp nhiều lượt với gạo sen Bách Diệp hồ Tây, "
            "hương sen đậm, nước xanh trong."
        ),
        story=(
            "Ướp trà sen là thú chơi tao nhã của người Hà Nội; một cân trà cần gạo "
            "của hơn một nghìn bông sen hồ Tây."
        ),
        share=12,
        premium=True,
    ),
    Family(
        key="duoc_lieu_ninh_hiep",
        type="herbs",
        place=NINH_HIEP,
        lines=(
            "Trà thảo mộc Ninh Hiệp",
            "Cao ích mẫu Ninh Hiệp",
            "Trà hoa cúc sấy khô Ninh Hiệp",
        ),
        sizes=("hộp 20 túi lọc", "hộp 250 g", "hộp quà"),
        producers=(
            "HTX Dược liệu Ninh Hiệp",
            "Công ty TNHH Dược thảo Ninh Hiệp",
            "Hộ kinh doanh Nguyễn Thị Thoa",
        ),
        description=(
            "{name}: dược liệu được kiểm nghiệm, sơ chế và phối theo bài thuốc "
            "của làng thuốc Bắc Ninh Hiệp."
        ),
        story=(
            "Ninh Hiệp là chợ thuốc Bắc lớn nhất miền Bắc; các gia đình làm thuốc "
            "đưa bài thuốc gia truyền vào sản phẩm đóng gói."
        ),
        share=14,
    ),
    Family(
        key="thuoc_nam_ba_vi",
        type="herbs",
        place=BA_VI,
        lines=(
            "Thuốc tắm người Dao Ba Vì",
            "Cao xương khớp người Dao Ba Vì",
            "Trà giảo cổ lam Ba Vì",
        ),
        sizes=("gói 200 g", "hộp 10 gói", "lọ 250 ml"),
        producers=(
            "HTX Thuốc nam Dao Ba Vì",
            "Tổ hợp tác dược liệu người Dao Ba Vì",
            "Hộ kinh doanh Triệu Thị Hương",
        ),
        description=(
            "{name}: lá thuốc hái dưới chân núi Ba Vì, phơi sấy và phối theo bài "
            "thuốc của đồng bào Dao."
        ),
        story=(
            "Người Dao ở Ba Vì truyền bài thuốc nam qua nhiều đời; nay họ trồng lại "
            "dược liệu để không phải khai thác cạn rừng."
        ),
        share=14,
    ),
    Family(
        key="dong_trung_phu_nam_an",
        type="herbs",
        place=PHU_NAM_AN,
        lines=(
            "Đông trùng hạ thảo sấy khô",
            "Đông trùng hạ thảo sấy đông khô",
            "Trà đông trùng hạ thảo",
            "Viên nang đông trùng hạ thảo",
        ),
        sizes=("hộp 10 g", "hộp 30 g", "hộp quà 50 g"),
        producers=("Công ty TNHH Dược thảo Phú Nam An",),
        description=(
            "{name}: nuôi cấy trong phòng sạch, sấy ở nhiệt độ thấp để giữ hoạt "
            "chất; có phiếu kiểm nghiệm từng lô."
        ),
        story=(
            "Từ một phòng thí nghiệm nhỏ ở Chương Mỹ, cơ sở nuôi cấy đông trùng hạ "
            "thảo đã đạt chuẩn sạch và mở rộng thành nhà máy."
        ),
        share=10,
        premium=True,
    ),
    Family(
        key="du_lich_bat_trang",
        type="travel",
        place=BAT_TRANG,
        lines=("Du lịch trải nghiệm làng gốm Bát Tràng", "Tự tay nặn gốm Bát Tràng"),
        sizes=TOUR_SIZES,
        producers=("HTX Dịch vụ du lịch Bát Tràng", "Công ty TNHH Du lịch Làng cổ Bát Tràng"),
        description=(
            "{name}: tham quan lò gốm, chợ gốm và nhà cổ, tự tay chuốt và vẽ một sản phẩm mang về."
        ),
        story=(
            "Du lịch cộng đồng giúp thợ gốm Bát Tràng giới thiệu nghề tận nơi, thay "
            "vì chỉ bán hàng qua trung gian."
        ),
        share=5,
    ),
    Family(
        key="du_lich_van_phuc",
        type="travel",
        place=VAN_PHUC,
        lines=("Trải nghiệm dệt lụa làng Vạn Phúc",),
        sizes=TOUR_SIZES,
        producers=("HTX Lụa Vạn Phúc",),
        description="{name}: xem ươm tơ, dệt lụa trên khung cổ và tự tay nhuộm một chiếc khăn.",
        story="Vạn Phúc mở cửa các xưởng dệt cho khách để giữ nghề sống cùng làng.",
        share=3,
    ),
    Family(
        key="du_lich_phu_vinh",
        type="travel",
        place=PHU_NGHIA,
        lines=("Du lịch cộng đồng làng mây tre đan Phú Vinh",),
        sizes=TOUR_SIZES,
        producers=("HTX Mây tre đan Phú Vinh",),
        description="{name}: học chẻ nan, đan một chiếc giỏ nhỏ cùng nghệ nhân của làng.",
        story="Khách đến Phú Vinh được ở nhà dân và làm cùng người thợ đan.",
        share=2,
    ),
    Family(
        key="du_lich_ha_thai",
        type="travel",
        place=DUYEN_THAI,
        lines=("Trải nghiệm làm sơn mài Hạ Thái",),
        sizes=TOUR_SIZES,
        producers=("HTX Sơn mài Hạ Thái",),
        description="{name}: thử mài, vẽ và khảm vỏ trứng trên một tấm tranh sơn mài nhỏ.",
        story="Hạ Thái đón khách vào xưởng để người xem hiểu vì sao sơn mài cần nhiều tháng.",
        share=2,
    ),
    Family(
        key="du_lich_phu_dong",
        type="travel",
        place=PHU_DONG,
        lines=("Tham quan trang trại bò sữa Phù Đổng",),
        sizes=TOUR_SIZES,
        producers=("HTX Chăn nuôi bò sữa Phù Đổng",),
        description="{name}: cho bê ăn, xem vắt sữa và làm sữa chua tại trang trại.",
        story="Trang trại mở cửa cho học sinh nội thành tìm hiểu nghề nuôi bò sữa.",
        share=2,
    ),
)

SURNAMES = ("Nguyễn", "Trần", "Lê", "Phạm", "Hoàng", "Vũ", "Đỗ", "Bùi", "Đặng", "Ngô", "Phan")
MALE_MIDDLE = ("Văn", "Đức", "Minh", "Quang", "Hữu")
FEMALE_MIDDLE = ("Thị", "Thu", "Ngọc", "Thanh")
MALE_GIVEN = ("Hùng", "Dũng", "Thắng", "Tuấn", "Cường", "Long", "Sơn", "Hải", "Bình", "Khánh")
FEMALE_GIVEN = ("Lan", "Hoa", "Hương", "Thủy", "Hạnh", "Mai", "Dung", "Huyền", "Nga", "Yến")
PHONE_PREFIXES = ("091", "094", "096", "097", "098", "088", "086", "083", "035", "036", "038")

"""Demo-only values for `make run`: the operator account and the prices the
demo gives synced products so the shop is alive. Product data itself comes
from the bundled Hanoi registry snapshot, through the real sync."""

from decimal import Decimal

OPERATOR_USERNAME = "operator"
OPERATOR_EMAIL = "operator@ocop.local"

# (lowest, highest) price in đồng by the registry's type code
PRICE_RANGES = {
    "food": (Decimal("35000"), Decimal("250000")),
    "drink": (Decimal("30000"), Decimal("450000")),
    "herbs": (Decimal("60000"), Decimal("600000")),
    "cloth": (Decimal("250000"), Decimal("2500000")),
    "keepsake": (Decimal("150000"), Decimal("3500000")),
    "travel": (Decimal("150000"), Decimal("1200000")),
}

# Fairs, events and craft villages for the CMS sections.
#
# The fairs' and events' names and venues come from Hanoi's 2020 OCOP report;
# the days and hours below are approximate (the report gives no timetable),
# and each page says so. Villages are real and well known: their texts stay
# general and give no figures. The producers linked to them, like every
# producer in the demo, are invented (marketplace/registry/demo/villages.py).

APPROXIMATE_NOTE = (
    "<p>Tóm tắt từ báo cáo kết quả Chương trình OCOP năm 2020 của Hà Nội; "
    "ngày giờ trên trang là gần đúng.</p>"
)
SAMPLE_NOTE = (
    "<p><b>Dữ liệu mẫu:</b> trang này minh họa một hội chợ sắp diễn ra; thời gian, "
    "lịch trình và chủ thể tham gia đều do bản demo tạo ra.</p>"
)
ORGANIZER_HANOI = "Sở Nông nghiệp và Phát triển nông thôn Hà Nội"

# start_at/end_at are Hanoi wall-clock times; `exhibitors` name demo producer
# families (villages.py); `products` picks a query or hand-chosen products block
FAIRS_2020 = (
    {
        "slug": "le-hoi-nong-nghiep-lang-nghe-ha-noi-2020",
        "title": "Lễ hội giới thiệu sản phẩm nông nghiệp và làng nghề Hà Nội lần thứ nhất",
        "start_at": (2020, 12, 10, 8, 0),
        "end_at": (2020, 12, 13, 21, 0),
        "venue_name": "489 Hoàng Quốc Việt",
        "venue_address": "489 Hoàng Quốc Việt, Cầu Giấy, Hà Nội",
        "latitude": "21.046500",
        "longitude": "105.788700",
        "intro": (
            "Lần đầu tiên Hà Nội tổ chức lễ hội giới thiệu nông sản và sản phẩm làng "
            "nghề, với các gian hàng sản phẩm OCOP của nhiều quận, huyện."
        ),
        "exhibitors": ("gom_bat_trang", "lua_van_phuc", "gao_tam_hung", "sua_tuoi_phu_dong"),
        "products": "query",
    },
    {
        "slug": "tuan-le-san-pham-ocop-ha-noi-2020",
        "title": "Tuần lễ trưng bày sản phẩm OCOP Hà Nội",
        "start_at": (2020, 12, 24, 8, 0),
        "end_at": (2020, 12, 30, 21, 0),
        "venue_name": "Cung Văn hóa Hữu nghị Việt Xô",
        "venue_address": "91 Trần Hưng Đạo, Hoàn Kiếm, Hà Nội",
        "latitude": "21.022200",
        "longitude": "105.843100",
        "intro": (
            "Một tuần trưng bày và bán sản phẩm OCOP của Hà Nội giữa trung tâm "
            "thành phố, dịp cuối năm 2020."
        ),
        "exhibitors": ("kham_trai_chuyen_my", "son_mai_ha_thai", "may_tre_phu_vinh"),
        "products": "chosen",
    },
)

SAMPLE_FAIR = {
    "slug": "hoi-cho-ocop-ha-noi-du-lieu-mau",
    "title": "Hội chợ OCOP Hà Nội (dữ liệu mẫu)",
    "starts_in_days": 30,
    "days": 4,
    "venue_name": "Cung Văn hóa Hữu nghị Việt Xô",
    "venue_address": "91 Trần Hưng Đạo, Hoàn Kiếm, Hà Nội",
    "latitude": "21.022200",
    "longitude": "105.843100",
    "intro": (
        "Dữ liệu mẫu: hội chợ giới thiệu sản phẩm OCOP 3–5 sao của các làng nghề và "
        "hợp tác xã Hà Nội, có khu trải nghiệm làm gốm, dệt lụa và kết nối giao thương."
    ),
    "exhibitors": (
        "gom_bat_trang",
        "lua_van_phuc",
        "kham_trai_chuyen_my",
        "gao_dong_phu",
        "tra_sen_tay_ho",
    ),
    "contact_email": "hoicho@ocop.local",
}

EVENTS_2020 = (
    {
        "slug": "ket-noi-giao-thuong-ocop-thuong-tin-2020",
        "title": "Hội nghị kết nối giao thương sản phẩm OCOP huyện Thường Tín",
        "start_at": (2020, 10, 15, 8, 0),
        "end_at": (2020, 10, 15, 11, 30),
        "venue_name": "Huyện Thường Tín",
        "venue_address": "Thường Tín, Hà Nội",
        "latitude": None,
        "longitude": None,
        "intro": (
            "Chủ thể OCOP của Thường Tín và các huyện lân cận gặp gỡ doanh nghiệp "
            "phân phối để giới thiệu sản phẩm và tìm đầu ra."
        ),
    },
    {
        "slug": "ket-noi-giao-thuong-ocop-big-c-thang-long-2020",
        "title": "Kết nối giao thương sản phẩm OCOP tại Big C Thăng Long",
        "start_at": (2020, 11, 6, 9, 0),
        "end_at": (2020, 11, 8, 21, 0),
        "venue_name": "Big C Thăng Long",
        "venue_address": "222 Trần Duy Hưng, Cầu Giấy, Hà Nội",
        "latitude": "21.007500",
        "longitude": "105.794600",
        "intro": (
            "Sản phẩm OCOP Hà Nội được giới thiệu ngay tại siêu thị, để người mua và "
            "hệ thống bán lẻ làm quen với nông sản, đặc sản của các làng nghề."
        ),
    },
    {
        "slug": "gioi-thieu-ocop-pho-di-bo-trinh-cong-son-2020",
        "title": "Giới thiệu sản phẩm OCOP trên phố đi bộ Trịnh Công Sơn",
        "start_at": (2020, 11, 20, 17, 0),
        "end_at": (2020, 11, 22, 22, 0),
        "venue_name": "Phố đi bộ Trịnh Công Sơn",
        "venue_address": "Phố Trịnh Công Sơn, Tây Hồ, Hà Nội",
        "latitude": "21.066700",
        "longitude": "105.828300",
        "intro": (
            "Các gian hàng OCOP bên hồ Tây vào cuối tuần, nơi người dân và du khách "
            "thử, mua sản phẩm và gặp trực tiếp người làm ra chúng."
        ),
    },
)

VILLAGE_DEMO_NOTE = (
    "<p>Các chủ thể liệt kê ở trang này là dữ liệu mẫu của bản demo, không phải danh sách "
    "chính thức của làng.</p>"
)

# craft villages: ward is the post-2025 commune (villages.py Place.commune);
# `families` name the demo producer families whose producers work there
VILLAGES = (
    {
        "slug": "bat-trang",
        "title": "Làng gốm Bát Tràng",
        "craft": "Gốm sứ",
        "ward": "Xã Bát Tràng",
        "families": ("gom_bat_trang", "du_lich_bat_trang"),
        "intro": (
            "Làng gốm bên bờ sông Hồng, nổi tiếng với gốm men lam, men rạn và men ngọc, "
            "nay còn là điểm du lịch trải nghiệm nghề gốm."
        ),
        "history": (
            "<p>Nghề gốm ở Bát Tràng có lịch sử nhiều trăm năm. Gốm của làng từng được "
            "dùng trong cung đình, theo thuyền buôn đi xa và đến nay vẫn được làm thủ "
            "công ở nhiều khâu, từ tạo dáng, vẽ men đến nung.</p>"
        ),
        "recognition": "Làng nghề truyền thống của Hà Nội",
    },
    {
        "slug": "chuyen-my",
        "title": "Làng khảm trai Chuyên Mỹ",
        "craft": "Khảm trai",
        "ward": "Xã Chuyên Mỹ",
        "families": ("kham_trai_chuyen_my",),
        "intro": (
            "Chuyên Mỹ (Phú Xuyên) được xem là đất tổ nghề khảm trai, với các xưởng "
            "gia đình nối tiếp nhau trong làng."
        ),
        "history": (
            "<p>Nghề khảm trai gắn với thôn Chuôn Ngọ và các thôn lân cận của xã Chuyên "
            "Mỹ từ lâu đời. Thợ Chuyên Mỹ cưa, mài vỏ trai, ốc rồi khảm lên gỗ hoặc "
            "sơn mài thành tranh, hộp, đồ nội thất.</p>"
        ),
        "recognition": "Làng nghề truyền thống của Hà Nội",
    },
    {
        "slug": "phu-vinh",
        "title": "Làng mây tre đan Phú Vinh",
        "craft": "Mây tre đan",
        "ward": "Xã Phú Nghĩa",
        "families": ("may_tre_phu_vinh", "du_lich_phu_vinh"),
        "intro": (
            "Làng Phú Vinh (Chương Mỹ) đan mây, tre, giang thành đồ gia dụng và đồ "
            "trang trí tinh xảo."
        ),
        "history": (
            "<p>Mây tre đan Phú Vinh là nghề truyền thống lâu đời của vùng Chương Mỹ. "
            "Người thợ chẻ nan, vót sợi và đan tay, giữ những kỹ thuật đan khó được "
            "truyền qua nhiều thế hệ.</p>"
        ),
        "recognition": "Làng nghề truyền thống của Hà Nội",
    },
    {
        "slug": "ha-thai",
        "title": "Làng sơn mài Hạ Thái",
        "craft": "Sơn mài",
        "ward": "Xã Thường Tín",
        "families": ("son_mai_ha_thai", "du_lich_ha_thai"),
        "intro": (
            "Thôn Hạ Thái (Thường Tín) làm tranh và đồ sơn mài, một nghề đòi hỏi nhiều "
            "lớp sơn và nhiều công đoạn mài, phủ."
        ),
        "history": (
            "<p>Sơn mài Hạ Thái có từ lâu đời. Từ cốt gỗ, người thợ phủ sơn ta nhiều lớp, "
            "mài nước, thếp vàng bạc và khảm vỏ trứng, vỏ trai để tạo nên tranh, hộp, "
            "bình và đồ trang trí.</p>"
        ),
        "recognition": "Làng nghề truyền thống của Hà Nội",
    },
    {
        "slug": "van-phuc",
        "title": "Làng lụa Vạn Phúc",
        "craft": "Dệt lụa",
        "ward": "Phường Hà Đông",
        "families": ("lua_van_phuc", "du_lich_van_phuc"),
        "intro": (
            "Vạn Phúc (Hà Đông) là làng dệt lụa nổi tiếng của Hà Nội, với phố bán lụa "
            "và những xưởng dệt vẫn hoạt động."
        ),
        "history": (
            "<p>Làng Vạn Phúc dệt lụa từ nhiều thế kỷ. Lụa Vạn Phúc, nhất là lụa vân, "
            "được biết đến rộng rãi trong và ngoài nước; nhiều gia đình vẫn giữ khung "
            "dệt và mở cửa cho khách tham quan.</p>"
        ),
        "recognition": "Làng nghề truyền thống của Hà Nội",
    },
)
VILLAGE_PROVINCE = "Hà Nội"  # as the registry sync stores Producer.province

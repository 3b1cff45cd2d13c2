"""Fair, event and craft-village pages, and the home page's sections."""

import json
from datetime import datetime, timedelta
from decimal import Decimal

import pytest
from django.urls import reverse
from django.utils import timezone

from marketplace.ocop.dates import today_in_vietnam
from tests.cms.conftest import event_add, fair_add, village_add
from tests.factories import certified_product_create, producer_create

pytestmark = pytest.mark.django_db


def section(html: str, testid: str) -> str:
    """The HTML of the element carrying `data-testid=testid`, up to its section's end."""
    start = html.index(f'data-testid="{testid}"')
    return html[start : html.index("</section>", start)]


def test_a_fair_page_shows_when_where_who_and_exhibitors(client, fair_index):
    # given a fair with coordinates, organizer, schedule and an exhibitor
    producer = producer_create("HTX Lụa Vạn Phúc", kind="cooperative")
    certified_product_create(title="Khăn lụa tơ tằm", producer=producer)
    start = timezone.make_aware(datetime(2031, 5, 2, 8, 30))
    fair = fair_add(
        fair_index,
        title="Hội chợ OCOP Hà Nội 2031",
        start_at=start,
        end_at=start + timedelta(days=2, hours=9),
        venue_name="Cung Văn hóa Hữu nghị",
        venue_address="91 Trần Hưng Đạo, Hoàn Kiếm, Hà Nội",
        latitude=Decimal("21.024380"),
        longitude=Decimal("105.843880"),
        organizer="Sở Công Thương Hà Nội",
        intro="Hơn 300 gian hàng OCOP.",
        contact_phone="024 3825 1234",
        registration_url="https://example.org/dang-ky",
        exhibitors=json.dumps([{"type": "producer", "value": producer.pk}]),
        schedule=json.dumps(
            [
                {
                    "type": "item",
                    "value": {
                        "starts_at": start.isoformat(),
                        "title": "Khai mạc",
                        "place": "Sảnh A",
                    },
                }
            ]
        ),
    )
    # when a visitor opens it
    response = client.get(fair.url)
    html = response.content.decode()
    # then dates read Vietnamese style, with the venue, map, organizer and contact
    assert response.status_code == 200
    assert "02/05/2031 08:30" in html and "04/05/2031 17:30" in html
    assert "91 Trần Hưng Đạo" in html and "Sở Công Thương Hà Nội" in html
    assert (
        "https://www.openstreetmap.org/?mlat=21.024380&amp;mlon=105.843880"
        "#map=17/21.024380/105.843880" in html
    )
    assert reverse("cms-calendar:event", args=[fair.pk]) in html
    assert 'data-testid="event-register"' in html
    assert 'data-testid="event-past"' not in html
    # and the exhibitor links to its shop with what it sells today, and the schedule
    exhibitors = section(html, "exhibitors")
    assert reverse("producers:shop", args=[producer.pk]) in exhibitors
    assert "1 sản phẩm OCOP đang bán" in exhibitors
    assert "Khai mạc" in section(html, "schedule")


def test_a_past_event_says_it_has_ended(client, event_index):
    event = event_add(event_index, start_in=-timedelta(days=3), registration_url="https://x.vn")
    html = client.get(event.url).content.decode()
    assert 'data-testid="event-past"' in html and "Sự kiện đã kết thúc" in html
    assert 'data-testid="event-register"' not in html


def test_the_event_index_splits_upcoming_from_past(client, event_index):
    event_add(event_index, title="Tập huấn livestream bán hàng")
    event_add(event_index, title="Hội nghị năm ngoái", start_in=-timedelta(days=300))
    html = client.get(event_index.url).content.decode()
    assert "Tập huấn livestream bán hàng" in section(html, "upcoming-events")
    assert "Hội nghị năm ngoái" in section(html, "past-events")


def test_the_village_index_filters_by_craft_and_by_province(client, village_index):
    # given villages of two crafts in two provinces
    village_add(village_index, title="Làng gốm Bát Tràng", craft="Gốm", province="Hà Nội")
    village_add(village_index, title="Làng lụa Vạn Phúc", craft="Dệt lụa", province="Hà Nội")
    village_add(village_index, title="Làng gốm Phù Lãng", craft="Gốm", province="Bắc Ninh")
    village_add(village_index, title="Làng gốm nháp", craft="Gốm", province="Hà Nội", live=False)
    url = village_index.url
    # when nothing is chosen, every published village shows, with both filters offered
    html = client.get(url).content.decode()
    assert html.count('data-testid="village-card"') == 3
    assert "Làng gốm nháp" not in html
    assert '<option value="Dệt lụa">' in html and '<option value="Bắc Ninh">' in html
    # when a craft is chosen
    html = client.get(url, {"craft": "Gốm"}).content.decode()
    assert "Làng gốm Bát Tràng" in html and "Làng gốm Phù Lãng" in html
    assert "Làng lụa Vạn Phúc" not in html
    assert '<option value="Gốm" selected>' in html
    # when a province is chosen
    html = client.get(url, {"province": "Hà Nội"}).content.decode()
    assert "Làng gốm Bát Tràng" in html and "Làng lụa Vạn Phúc" in html
    assert "Làng gốm Phù Lãng" not in html
    # when both are chosen, and when nothing matches
    html = client.get(url, {"craft": "Gốm", "province": "Bắc Ninh"}).content.decode()
    assert html.count('data-testid="village-card"') == 1 and "Làng gốm Phù Lãng" in html
    html = client.get(url, {"craft": "Dệt lụa", "province": "Bắc Ninh"}).content.decode()
    assert 'data-testid="village-card"' not in html and "Không có làng nghề nào" in html


def test_a_village_page_lists_its_producers_and_only_their_listable_products(client, village_index):
    # given a village with two producers, and a producer from elsewhere
    potter = producer_create("HTX Gốm sứ Bát Tràng", kind="cooperative")
    glazer = producer_create("Hộ Nguyễn Văn Men", kind="household")
    stranger = producer_create("HTX Gốm Chu Đậu", province="Hải Dương")
    certified_product_create(title="Bình gốm men lam", producer=potter)
    certified_product_create(title="Ấm trà men ngọc", producer=glazer)
    certified_product_create(
        title="Chén hết hạn", producer=potter, expiry_date=today_in_vietnam() - timedelta(days=1)
    )
    certified_product_create(title="Đĩa bị thu hồi", producer=glazer, status="withdrawn")
    certified_product_create(title="Bát Chu Đậu", producer=stranger)
    village = village_add(
        village_index,
        title="Làng gốm Bát Tràng",
        craft="Gốm sứ",
        province="Hà Nội",
        ward="Xã Bát Tràng",
        recognition="Làng nghề truyền thống, công nhận năm 2010",
        history="<p>Hơn 700 năm làm gốm.</p>",
        producers=[potter, glazer],
    )
    # when a visitor opens the village
    html = client.get(village.url).content.decode()
    # then craft, place, history and recognition show
    assert "Gốm sứ" in html and "Xã Bát Tràng, Hà Nội" in html
    assert "Hơn 700 năm làm gốm." in html and "công nhận năm 2010" in html
    # and both producers link to their shops with today's counts
    producers = section(html, "village-producers")
    for producer in (potter, glazer):
        assert f'href="{reverse("producers:shop", args=[producer.pk])}"' in producers
    assert producers.count("1 sản phẩm OCOP đang bán") == 2
    assert "HTX Gốm Chu Đậu" not in html
    # and only their listable products show, as product cards
    products = section(html, "village-products")
    assert products.count('data-testid="product-card"') == 2
    assert "Bình gốm men lam" in products and "Ấm trà men ngọc" in products
    for title in ("Chén hết hạn", "Đĩa bị thu hồi", "Bát Chu Đậu"):
        assert title not in html


def test_the_home_page_lists_upcoming_fairs_not_past_ones(client, fair_index):
    fair_add(fair_index, title="Hội chợ Xuân 2031", start_in=timedelta(days=20))
    fair_add(fair_index, title="Hội chợ Thu đã qua", start_in=-timedelta(days=40))
    html = client.get("/").content.decode()
    upcoming = section(html, "upcoming-fairs")
    assert upcoming.count('data-testid="upcoming-fair"') == 1
    assert "Hội chợ Xuân 2031" in upcoming and "Hội chợ Thu đã qua" not in upcoming
    assert fair_index.url in upcoming


def test_the_home_page_without_fairs_or_stories_says_so(client, home_page):
    html = client.get("/").content.decode()
    assert "Chưa có hội chợ nào sắp diễn ra" in section(html, "upcoming-fairs")
    assert "Chưa có tin nào" in section(html, "latest-stories")


def test_the_home_page_figures_count_listable_products_only(client, village_index):
    # given two listable products of one producer, and three that may not be sold
    producer = producer_create("HTX Chè Tân Cương")
    certified_product_create(title="Chè búp", producer=producer)
    certified_product_create(title="Chè móc câu", producer=producer)
    certified_product_create(title="Chè hết hạn", expiry_date=today_in_vietnam() - timedelta(1))
    certified_product_create(title="Chè chưa có giá", price=None)
    certified_product_create(title="Chè thu hồi", status="withdrawn")
    village_add(village_index, title="Làng chè Tân Cương", craft="Chè", province="Thái Nguyên")
    # when the home page renders
    html = client.get("/").content.decode()
    # then the figures count what may be sold today
    figures = section(html, "headline-figures")
    assert 'data-testid="figure-products">2<' in figures
    assert 'data-testid="figure-producers">1<' in figures
    assert 'data-testid="figure-villages">1<' in figures
    # and the village is among the latest stories, labelled by its type
    stories = section(html, "latest-stories")
    assert "Làng chè Tân Cương" in stories and "Làng nghề" in stories

"""What search engines and link previews read: titles, descriptions,
OpenGraph cards and schema.org JSON-LD."""

import json
import re
from datetime import datetime, timedelta
from decimal import Decimal

import pytest
from django.utils import timezone
from wagtail.images.models import Image
from wagtail.images.tests.utils import get_test_image_file

from cms.models import CraftVillagePage
from tests.cms.conftest import event_add, fair_add, village_add
from tests.factories import certified_product_create

pytestmark = pytest.mark.django_db


def meta(html: str, attr: str, name: str) -> str:
    found = re.search(rf'<meta {attr}="{re.escape(name)}" content="([^"]*)"', html)
    assert found, f"no {attr}={name} in the page"
    return found.group(1)


def jsonld(html: str) -> list[dict]:
    blocks = re.findall(r'<script type="application/ld\+json">(.*?)</script>', html, re.S)
    return [json.loads(block) for block in blocks]


def test_a_page_with_a_search_description_has_title_description_and_opengraph(
    client, village_index
):
    # given a village with an SEO title, a description and a sharing image
    image = Image.objects.create(title="Lò gốm", file=get_test_image_file(size=(1400, 900)))
    village = village_add(
        village_index,
        title="Làng gốm Bát Tràng",
        craft="Gốm",
        province="Hà Nội",
        seo_title="Bát Tràng – làng gốm 700 năm",
        search_description="Gốm sứ OCOP từ làng Bát Tràng, Gia Lâm.",
        og_image=image,
    )
    # when a crawler fetches it
    html = client.get(village.url).content.decode()
    # then the title, description and OpenGraph card come from the Promote tab
    assert "<title>Bát Tràng – làng gốm 700 năm ·" in html
    assert meta(html, "name", "description") == "Gốm sứ OCOP từ làng Bát Tràng, Gia Lâm."
    assert meta(html, "property", "og:title") == "Bát Tràng – làng gốm 700 năm"
    assert meta(html, "property", "og:description") == "Gốm sứ OCOP từ làng Bát Tràng, Gia Lâm."
    assert meta(html, "property", "og:type") == "website"
    assert meta(html, "property", "og:url") == f"http://testserver{village.url}"
    og_image = meta(html, "property", "og:image")
    assert og_image.startswith("http://testserver/") and ".fill-1200x630" in og_image


def test_a_page_without_an_image_has_no_og_image(client, village_index):
    village = village_add(village_index, title="Làng lụa", craft="Lụa", province="Hà Nội")
    html = client.get(village.url).content.decode()
    assert meta(html, "property", "og:title") == "Làng lụa"
    assert 'property="og:image"' not in html
    assert isinstance(village, CraftVillagePage)


def test_a_fair_page_carries_an_event_in_json_ld(client, fair_index):
    # given a fair with coordinates and an organizer whose name could break out of a script
    start = timezone.make_aware(datetime(2031, 11, 20, 8, 0))
    fair = fair_add(
        fair_index,
        title="Hội chợ OCOP khu vực phía Bắc",
        start_at=start,
        end_at=start + timedelta(days=3, hours=10),
        venue_name="Trung tâm Triển lãm Giảng Võ",
        venue_address="148 Giảng Võ, Ba Đình, Hà Nội",
        latitude=Decimal("21.028600"),
        longitude=Decimal("105.823000"),
        organizer="Bộ Công Thương </script><b>&",
        search_description="Hơn 500 gian hàng OCOP.",
    )
    # when a crawler reads it
    html = client.get(fair.url).content.decode()
    [event] = [data for data in jsonld(html) if data["@type"] == "Event"]
    # then it is a schema.org Event with local times and a located venue
    assert event["@context"] == "https://schema.org"
    assert event["name"] == "Hội chợ OCOP khu vực phía Bắc"
    assert event["startDate"] == "2031-11-20T08:00:00+07:00"
    assert event["endDate"] == "2031-11-23T18:00:00+07:00"
    assert event["eventStatus"] == "https://schema.org/EventScheduled"
    assert event["eventAttendanceMode"] == "https://schema.org/OfflineEventAttendanceMode"
    assert event["location"]["@type"] == "Place"
    assert event["location"]["name"] == "Trung tâm Triển lãm Giảng Võ"
    assert event["location"]["address"]["streetAddress"] == "148 Giảng Võ, Ba Đình, Hà Nội"
    assert event["location"]["geo"] == {
        "@type": "GeoCoordinates",
        "latitude": 21.0286,
        "longitude": 105.823,
    }
    assert event["organizer"] == {"@type": "Organization", "name": "Bộ Công Thương </script><b>&"}
    assert event["description"] == "Hơn 500 gian hàng OCOP."
    assert event["url"] == f"http://testserver{fair.url}"
    # and the organizer's name stayed inside the script
    assert "Bộ Công Thương </script>" not in html


def test_an_event_page_carries_an_event_in_json_ld(client, event_index):
    event_page = event_add(event_index, intro="Kết nối nhà phân phối với chủ thể OCOP.")
    html = client.get(event_page.url).content.decode()
    [event] = jsonld(html)
    assert event["@type"] == "Event"
    assert event["description"] == "Kết nối nhà phân phối với chủ thể OCOP."
    assert event["location"]["name"] == event_page.venue_name
    assert "geo" not in event["location"]
    assert meta(html, "property", "og:description").startswith("Kết nối")


def test_the_product_page_carries_a_product_with_its_offer(client):
    # given a listable product priced 150.000 ₫
    product = certified_product_create(title="Gạo ST25 Sóc Trăng", price=Decimal("150000"))
    producer = product.certificate.producer
    # when a crawler reads its page
    html = client.get(product.get_absolute_url()).content.decode()
    [data] = [d for d in jsonld(html) if d["@type"] == "Product"]
    # then it is a schema.org Product sold by the producer at a whole-đồng price
    assert data["name"] == "Gạo ST25 Sóc Trăng"
    assert data["brand"] == {"@type": "Brand", "name": producer.name}
    assert data["manufacturer"]["name"] == producer.name
    assert data["sku"]
    assert data["url"] == f"http://testserver{product.get_absolute_url()}"
    offer = data["offers"]
    assert offer["@type"] == "Offer"
    assert offer["price"] == 150000 and isinstance(offer["price"], int)
    assert offer["priceCurrency"] == "VND"
    assert offer["availability"] == "https://schema.org/InStock"
    # and its OpenGraph card names it
    assert meta(html, "property", "og:title") == "Gạo ST25 Sóc Trăng"
    assert meta(html, "property", "og:type") == "product"


def test_an_out_of_stock_product_offers_out_of_stock(client):
    product = certified_product_create(title="Mắm tôm Hậu Lộc", num_in_stock=0)
    html = client.get(product.get_absolute_url()).content.decode()
    [data] = [d for d in jsonld(html) if d["@type"] == "Product"]
    assert data["offers"]["availability"] == "https://schema.org/OutOfStock"

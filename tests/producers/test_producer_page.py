"""A producer's public page lists only what the listing rule allows."""

from datetime import date, timedelta

import pytest
from django.urls import reverse

from marketplace.ocop.models import Producer
from tests.factories import certified_product_create, producer_create

pytestmark = pytest.mark.django_db


def test_the_producer_page_shows_the_story_and_only_listable_products(client):
    producer = producer_create(
        "HTX Gốm Bát Tràng",
        kind="cooperative",
        ward="Xã Bát Tràng",
        story="Làng gốm năm trăm năm bên sông Hồng.",
    )
    sold = certified_product_create(title="Bình gốm men lam", producer=producer)
    certified_product_create(
        title="Chén gốm đã hết hạn",
        producer=producer,
        issued_on=date.today() - timedelta(days=1200),
        expiry_date=date.today() - timedelta(days=1),
    )
    certified_product_create(title="Đĩa gốm thu hồi", producer=producer, status="withdrawn")
    html = client.get(reverse("producers:shop", args=[producer.pk])).content.decode()
    assert "Hợp tác xã" in html and "Xã Bát Tràng" in html
    assert "Làng gốm năm trăm năm" in html
    assert sold.title in html
    assert "đã hết hạn" not in html and "thu hồi" not in html
    assert "1 sản phẩm OCOP đang bán" in html


def test_an_inactive_producer_has_no_page(client):
    producer = producer_create("HTX đã giải thể")
    Producer.objects.filter(pk=producer.pk).update(is_active=False)
    assert client.get(reverse("producers:shop", args=[producer.pk])).status_code == 404


def test_the_product_page_links_to_its_producer(client):
    product = certified_product_create(title="Bình gốm men lam")
    html = client.get(product.get_absolute_url()).content.decode()
    producer_id = product.certificate.producer_id
    assert f'href="{reverse("producers:shop", args=[producer_id])}"' in html

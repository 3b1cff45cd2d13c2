"""The product page earns trust: badge, certificate facts, QR to a live lookup."""

from datetime import date, timedelta

import pytest

from tests.factories import certified_product_create

pytestmark = pytest.mark.django_db


def test_product_page_shows_badge_certificate_facts_and_qr(client):
    # given a listable 4★ product
    product = certified_product_create(stars=4, title="Bình gốm men lam")
    cert = product.certificate
    # when a shopper opens its page
    response = client.get(product.get_absolute_url())
    html = response.content.decode()
    # then the trust block shows stars, number, dates, level and producer, and a QR code
    assert response.status_code == 200
    assert 'data-testid="trust-block"' in html
    assert "★★★★" in html and "★★★★★" not in html
    assert cert.number in html
    assert cert.expiry_date.strftime("%d/%m/%Y") in html
    assert "Cấp tỉnh" in html and cert.producer.name in html
    assert "<svg" in html and "/chung-nhan/?so=" in html
    assert f"/shop/basket/add/{product.pk}/" in html


def test_potential_five_star_is_labelled_not_shown_as_five_stars(client):
    product = certified_product_create(stars=5, is_potential_five_star=True)
    html = client.get(product.get_absolute_url()).content.decode()
    assert "Tiềm năng 5 sao" in html
    assert "★★★★★" not in html


def test_registry_description_is_escaped(client):
    product = certified_product_create()
    product.description = '<script>alert("x")</script>Gốm đẹp'
    product.save()
    html = client.get(product.get_absolute_url()).content.decode()
    assert '<script>alert("x")</script>' not in html
    assert "&lt;script&gt;" in html


def test_expired_product_page_says_when_it_expired(client):
    expiry = date.today() - timedelta(days=3)
    product = certified_product_create(issued_on=expiry - timedelta(days=1000), expiry_date=expiry)
    html = client.get(product.get_absolute_url()).content.decode()
    assert "hết hạn ngày " + expiry.strftime("%d/%m/%Y") in html
    assert f"/shop/basket/add/{product.pk}/" not in html


def test_certificate_lookup_shows_live_status(client):
    valid = certified_product_create()
    expired = certified_product_create(
        issued_on=date.today() - timedelta(days=1200), expiry_date=date.today() - timedelta(days=1)
    )
    html = client.get("/chung-nhan/", {"so": valid.certificate.number}).content.decode()
    assert "Còn hiệu lực" in html and valid.get_absolute_url() in html
    html = client.get("/chung-nhan/", {"so": expired.certificate.number}).content.decode()
    assert "Đã hết hạn" in html and expired.get_absolute_url() not in html


def test_certificate_lookup_with_unknown_number_explains(client):
    html = client.get("/chung-nhan/", {"so": "000/QĐ-KHÔNG-CÓ"}).content.decode()
    assert "Không tìm thấy chứng nhận" in html


def test_catalogue_lists_only_listable_products(client):
    listed = certified_product_create(title="Gạo Bắc thơm số 7")
    certified_product_create(title="Gạo hai sao", stars=2)
    certified_product_create(title="Gạo bị thu hồi", status="withdrawn")
    html = client.get("/shop/").content.decode()
    assert listed.title in html
    assert "Gạo hai sao" not in html and "Gạo bị thu hồi" not in html

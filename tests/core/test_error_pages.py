"""Errors show the site's own page in its language, never a traceback."""

import pytest
from django.test import Client


def test_unknown_url_shows_our_404_in_vietnamese(client, demo_site, settings):
    assert settings.DEBUG is False
    response = client.get("/khong-co-trang-nay/")
    html = response.content.decode()
    assert response.status_code == 404
    assert "Không tìm thấy trang bạn cần" in html
    assert "Traceback" not in html


def test_unknown_shop_url_shows_our_404(client, demo_site):
    response = client.get("/shop/khong-co-san-pham_999999/")
    assert response.status_code == 404
    assert "Không tìm thấy trang bạn cần" in response.content.decode()


@pytest.mark.urls("tests.core.urls_that_fail")
def test_server_error_shows_our_500_without_a_traceback(db):
    client = Client(raise_request_exception=False)
    response = client.get("/boom/")
    html = response.content.decode()
    assert response.status_code == 500
    assert "Đã có lỗi xảy ra" in html
    assert "Traceback" not in html and "RuntimeError" not in html


def test_a_stale_form_shows_our_403_not_djangos_english_page(db):
    """A form posted with a missing or stale CSRF token (a page left open
    while the visitor signed in or out in another tab, as on the VietQR
    page's cancel button) got Django's English "CSRF verification failed"."""
    client = Client(enforce_csrf_checks=True)
    response = client.post("/shop/basket/", {"form-TOTAL_FORMS": "0"})
    html = response.content.decode()
    assert response.status_code == 403
    assert "Biểu mẫu đã cũ" in html and "Không có gì bị thay đổi" in html
    assert "CSRF verification failed" not in html and "Traceback" not in html

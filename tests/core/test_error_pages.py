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

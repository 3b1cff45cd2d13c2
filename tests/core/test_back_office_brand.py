"""The back offices carry the shop's mark, not Oscar's or Wagtail's (issue
15, finding 9: "our logo")."""

import re

import pytest
from django.urls import reverse

from cms.services import home_page_ensure

pytestmark = pytest.mark.django_db

OUR_MARK = 'class="ocop-mark"'
OUR_FAVICON = "/static/img/ocop-star.svg"


def test_the_dashboard_shows_the_shops_logo_and_name(admin_client):
    html = admin_client.get(reverse("dashboard:index")).content.decode()
    brand = re.search(r'<a [^>]*data-testid="dashboard-brand"[^>]*>(.*?)</a>', html, re.S)
    assert brand, "the dashboard's brand"
    assert OUR_MARK in brand.group(1) and "Chợ OCOP" in brand.group(1)
    assert f'href="{reverse("dashboard:index")}"' in brand.group(0)
    # Oscar's dashboard.css draws Oscar's logo on .navbar-brand, hiding its text
    assert "navbar-brand" not in html
    assert OUR_FAVICON in html and "oscar/favicon.ico" not in html


def test_dashboard_pages_of_our_own_carry_the_logo_too(admin_client):
    html = admin_client.get(reverse("dashboard:producers-list")).content.decode()
    assert OUR_MARK in html and "oscar/favicon.ico" not in html


def test_wagtails_admin_shows_the_shops_logo_and_name(admin_client):
    home_page_ensure()  # Wagtail's start page needs a page tree
    html = admin_client.get("/cms-admin/").content.decode()
    logo = re.search(r"<template data-wagtail-sidebar-branding-logo>(.*?)</template>", html, re.S)
    assert logo and OUR_MARK in logo.group(1)
    assert OUR_FAVICON in html and "wagtailadmin/images/favicon.ico" not in html
    assert "- Wagtail</title>" not in html and "Chợ OCOP</title>" in html


def test_wagtails_sign_in_page_shows_the_shops_logo_and_name(client):
    html = client.get("/cms-admin/login/").content.decode()
    assert OUR_MARK in html and "Đăng nhập vào Chợ OCOP" in html
    assert "Wagtail</title>" not in html

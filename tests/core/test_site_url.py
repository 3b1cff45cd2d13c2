"""Links that leave the site point where it is served (issue 15, finding
11: `make run` with PORT=8010 printed, and mailed, links to port 8000)."""

from decimal import Decimal
from io import StringIO

import pytest
from django.core.management import call_command
from django.urls import reverse

from tests.checkout.test_checkout_page import FORM, _add
from tests.factories import certified_product_create, checkout_shown

pytestmark = pytest.mark.django_db


def test_demo_setup_prints_the_address_it_will_be_served_on(settings):
    settings.SITE_URL = "http://127.0.0.1:8010"
    out = StringIO()
    call_command("demo_setup", "--operator-password", "test-operator-pass", stdout=out)
    printed = out.getvalue()
    assert "http://127.0.0.1:8010/dashboard/" in printed and ":8000" not in printed


def test_the_order_mail_links_to_the_site_url(
    client, settings, mailoutbox, django_capture_on_commit_callbacks
):
    settings.SITE_URL = "http://127.0.0.1:8010"
    _add(client, certified_product_create(title="Chè Thái Nguyên", price=Decimal("150000")))
    with django_capture_on_commit_callbacks(execute=True):
        client.post(reverse("checkout:index"), checkout_shown(client, FORM))
    (mail,) = mailoutbox
    assert "http://127.0.0.1:8010/" in mail.body and ":8000" not in mail.body

"""The QR page's status poll in Chromium (issue 16, review finding 10): it
stops when the shop no longer knows the request (404, e.g. the session is
gone) or the request ended, and a cancelled QR is not called expired."""

import json
import time
from decimal import Decimal

import pytest
from django.conf import settings
from django.test import Client
from django.urls import reverse

from marketplace.payments.models import PaymentAttempt
from tests.checkout.test_checkout_page import FORM, _add
from tests.factories import certified_product_create, checkout_shown

pytestmark = pytest.mark.e2e


@pytest.fixture
def qr_page(browser, live_server, transactional_db, payos_standin):
    """The browser on a shopper's live QR page, the status poll counted and
    answered by the test."""
    product = certified_product_create(title="Khăn lụa Vạn Phúc", price=Decimal("320000"))
    shopper = Client()
    _add(shopper, product)
    shopper.post(reverse("checkout:index"), checkout_shown(shopper, {**FORM, "payment": "vietqr"}))
    attempt = PaymentAttempt.objects.get()
    context = browser.new_context()
    cookie = shopper.cookies[settings.SESSION_COOKIE_NAME].value
    context.add_cookies(
        [{"name": settings.SESSION_COOKIE_NAME, "value": cookie, "url": live_server.url}]
    )
    page = context.new_page()
    polls = []

    def answer_with(status, body):
        def handle(route):
            polls.append(time.monotonic())
            route.fulfill(status=status, content_type="application/json", body=json.dumps(body))

        page.route("**" + reverse("checkout:vietqr-status", args=[attempt.order_code]), handle)
        page.goto(live_server.url + reverse("checkout:vietqr", args=[attempt.order_code]))

    yield page, polls, answer_with
    context.close()


def test_the_poll_stops_on_a_404(qr_page):
    page, polls, answer_with = qr_page
    answer_with(404, {"status": "unknown"})
    page.wait_for_timeout(8000)  # first poll at 1.5 s; it retried every 5 s
    assert len(polls) == 1
    status = page.get_by_test_id("vietqr-status").inner_text()
    assert "tải lại trang" in status


def test_a_cancelled_qr_says_cancelled_not_expired_and_the_poll_stops(qr_page):
    page, polls, answer_with = qr_page
    answer_with(200, {"status": "cancelled"})
    page.wait_for_timeout(5000)
    assert len(polls) == 1
    status = page.get_by_test_id("vietqr-status").inner_text()
    assert "đã bị huỷ" in status and "hết hạn" not in status

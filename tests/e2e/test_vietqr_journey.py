"""A shopper pays by bank transfer with VietQR on a phone (issue 16): the
QR and amount, the stand-in payOS "pays" and sends its signed webhook to
the live shop, the page moves to thank-you by itself, the order is paid and
so is the producer's parcel. Every step fails on a console error or a page
wider than the screen, and is photographed (into docs/screenshots/ when
`make screenshots` asks)."""

import os
from pathlib import Path

import pytest
from django.contrib.auth import get_user_model
from django.test import Client
from django.urls import reverse
from oscar.core.loading import get_model

from marketplace.payments.models import PaymentAttempt
from marketplace.payments.payos_client import PayosClient
from marketplace.producers.models import ProducerMembership
from tests.e2e.test_buyer_journey import Journey
from tests.e2e.test_checkout import _buy_first_result, _dong

Order = get_model("order", "Order")

pytestmark = pytest.mark.e2e

WIDTH = 390


def test_vietqr_journey_with_screenshots_pays_and_moves_on_by_itself(
    browser, live_demo, payos_standin, tmp_path
):
    out_dir = Path(os.environ.get("SCREENSHOTS_DIR") or tmp_path)
    out_dir.mkdir(parents=True, exist_ok=True)
    # given the shop's webhook URL registered with payOS through the SDK
    # (the stand-in posts it a signed test webhook first, as payOS does)
    confirmed = PayosClient.from_settings().webhook_confirm(
        live_demo.url + reverse("payos-webhook")
    )
    assert confirmed["webhook_url"].endswith("/payments/payos/webhook/")
    context = browser.new_context(viewport={"width": WIDTH, "height": 844})
    page = context.new_page()
    journey = Journey(page, out_dir, f"vietqr-vi-{WIDTH}", WIDTH)

    # 1. choose VietQR at checkout, and see the QR and the amount
    _buy_first_result(page, live_demo.url, "lua van phuc")
    page.goto(live_demo.url + "/shop/checkout/")
    page.get_by_label("Họ và tên người nhận").fill("Nguyễn Thị Lan")
    page.get_by_label("Số điện thoại").fill("0912 345 678")
    page.get_by_label("Email (nhận xác nhận đơn hàng)").fill("lan@example.vn")
    page.get_by_label("Tỉnh/thành phố").select_option("Hà Nội")
    page.get_by_label("Xã/phường").fill("Phường Tây Hồ")
    page.get_by_label("Số nhà, tên đường").fill("12 Quảng An")
    page.get_by_label("Chuyển khoản ngân hàng (VietQR)").check()
    page.get_by_test_id("order-total").wait_for()
    shown = _dong(page.get_by_test_id("order-total").inner_text())
    page.evaluate("window.scrollTo(0, 0)")  # the sticky header back on top for the photo
    journey.step("checkout")
    page.get_by_test_id("place-order").click()
    page.wait_for_url("**/shop/checkout/vietqr/**")
    assert page.locator("[data-testid=vietqr-code] svg").is_visible()
    assert _dong(page.get_by_test_id("vietqr-amount").inner_text()) == shown
    assert page.get_by_test_id("vietqr-bank").inner_text() == "MB Bank"
    assert page.get_by_test_id("vietqr-open-app").is_visible()  # on a phone
    content = page.get_by_test_id("vietqr-content").inner_text()
    journey.step("vietqr")

    # 2. the stand-in "pays": the bank's money arrives and payOS's signed
    # webhook reaches the live shop over HTTP
    attempt = PaymentAttempt.objects.get(transfer_content=content)
    assert attempt.amount == shown
    paid = payos_standin.pay(attempt.order_code)
    assert paid["deliveries"] == [200]

    # 3. the page moves to thank-you by itself (it polls the shop)
    page.wait_for_url("**/checkout/thank-you/", timeout=15000)
    assert "chuyển khoản ngân hàng" in page.get_by_test_id("what-next").inner_text()
    journey.step("thank-you")

    # 4. the order is paid, and so is the producer's parcel
    order = Order.objects.get(number=page.get_by_test_id("order-number").inner_text())
    assert (order.payment_method, order.payment_state) == ("vietqr", "paid")
    assert order.total_incl_tax == shown
    page.get_by_test_id("order-status-link").click()
    page.get_by_test_id("order-summary").wait_for()
    assert "Đã thanh toán" in page.get_by_test_id("order-summary").inner_text()
    journey.step("order-status")

    parcel = order.parcels.get()
    member = get_user_model().objects.create_user(
        username="nha-san-xuat", email="nsx@example.vn", password="mat-khau-123"
    )
    ProducerMembership.objects.create(user=member, producer=parcel.producer)
    session = Client()
    session.force_login(member)
    producer = browser.new_context(viewport={"width": WIDTH, "height": 844})
    producer.add_cookies(
        [{"name": "sessionid", "value": session.cookies["sessionid"].value, "url": live_demo.url}]
    )
    workspace = producer.new_page()
    seen = Journey(workspace, out_dir, f"vietqr-producer-vi-{WIDTH}", WIDTH)
    workspace.goto(live_demo.url + reverse("workspace:parcel-list"))
    assert workspace.get_by_test_id("parcel-payment").first.inner_text() == "Đã thanh toán"
    seen.step("parcels")
    workspace.goto(live_demo.url + reverse("workspace:parcel-detail", args=[parcel.pk]))
    assert workspace.get_by_test_id("parcel-payment-state").inner_text() == "Đã thanh toán"
    seen.step("parcel")
    producer.close()
    context.close()

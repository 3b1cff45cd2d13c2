"""The VietQR pages around payOS (the stand-in, through the SDK): choosing
it at checkout, the QR page, its status poll, the return and cancel links."""

import re
from datetime import timedelta
from decimal import Decimal

import pytest
from django.test import Client
from django.urls import reverse
from django.utils import timezone
from oscar.core.loading import get_model

from marketplace.payments.models import PaymentAttempt
from tests.checkout.test_checkout_page import FORM, _add
from tests.factories import certified_product_create, checkout_shown
from tests.payments.conftest import payos_post

Order = get_model("order", "Order")
Basket = get_model("basket", "Basket")

pytestmark = pytest.mark.django_db


@pytest.fixture
def khan():
    return certified_product_create(title="Khăn lụa Vạn Phúc", price=Decimal("320000"))


def _choose_vietqr(client):
    return client.post(
        reverse("checkout:index"), checkout_shown(client, {**FORM, "payment": "vietqr"})
    )


def test_without_payos_keys_vietqr_is_not_offered(client, khan, settings):
    settings.PAYOS_CLIENT_ID = ""
    _add(client, khan)
    html = client.get(reverse("checkout:index")).content.decode()
    assert 'value="cod"' in html and 'value="vietqr"' not in html


def test_choosing_vietqr_shows_the_qr_amount_account_and_content(client, khan, payos_standin):
    # given a basket and payOS keys: VietQR is offered beside COD
    _add(client, khan)
    html = client.get(reverse("checkout:index")).content.decode()
    assert 'value="vietqr"' in html and "Chuyển khoản ngân hàng (VietQR)" in html
    # when the shopper chooses it
    answer = _choose_vietqr(client)
    attempt = PaymentAttempt.objects.get()
    # then the QR page shows the code as SVG, the bank, account, amount and content
    assert answer.status_code == 302
    assert answer["Location"] == reverse("checkout:vietqr", args=[attempt.order_code])
    page = client.get(answer["Location"])
    html = page.content.decode()
    assert page.status_code == 200
    assert re.search(r'data-testid="vietqr-code"[^>]*><svg', html)
    assert "MB Bank" in html and attempt.account_number in html and attempt.account_name in html
    assert "345.000" in html and attempt.transfer_content in html
    assert "data-copy=" in html and "Mở ứng dụng ngân hàng" in html
    assert attempt.checkout_url in html
    # and the time left, and no inline script (the page's is a static file)
    assert 'data-testid="vietqr-countdown"' in html and "js/bank-transfer.js" in html
    assert "<script>" not in html
    assert Basket.objects.get(pk=attempt.basket_id).status == Basket.FROZEN


def test_the_poll_reports_pending_then_sends_to_thank_you_once_the_webhook_placed_it(
    client, khan, payos_standin
):
    _add(client, khan)
    _choose_vietqr(client)
    attempt = PaymentAttempt.objects.get()
    status_url = reverse("checkout:vietqr-status", args=[attempt.order_code])
    assert client.get(status_url).json() == {"status": "pending"}
    # when payOS's webhook arrives (from another client: payOS has no session)
    paid = payos_standin.pay(attempt.order_code, deliver=False)
    assert payos_post(Client(), paid["webhook"]).status_code == 200
    # then the poll answers paid and where to go, and the thank-you page is this order's
    polled = client.get(status_url).json()
    assert polled == {"status": "paid", "redirect": reverse("checkout:thank-you")}
    thanks = client.get(polled["redirect"]).content.decode()
    order = Order.objects.get()
    assert order.number in thanks and "bằng chuyển khoản ngân hàng" in thanks


def test_another_session_cannot_read_the_qr_page_or_its_status(client, khan, payos_standin):
    _add(client, khan)
    _choose_vietqr(client)
    attempt = PaymentAttempt.objects.get()
    other = Client()
    assert other.get(reverse("checkout:vietqr", args=[attempt.order_code])).status_code == 404
    status = other.get(reverse("checkout:vietqr-status", args=[attempt.order_code]))
    assert status.status_code == 404


def test_the_return_link_asks_payos_and_places_the_order_without_the_webhook(
    client, khan, payos_standin
):
    _add(client, khan)
    _choose_vietqr(client)
    attempt = PaymentAttempt.objects.get()
    # the bank paid, but the webhook never came (deliver=False)
    payos_standin.pay(attempt.order_code, deliver=False)
    back = client.get(
        reverse("checkout:vietqr-return") + f"?code=00&status=PAID&orderCode={attempt.order_code}"
    )
    assert back.status_code == 302 and back["Location"] == reverse("checkout:thank-you")
    assert Order.objects.get().payment_method == "vietqr"


def test_a_return_link_claiming_paid_before_the_money_places_nothing(client, khan, payos_standin):
    _add(client, khan)
    _choose_vietqr(client)
    attempt = PaymentAttempt.objects.get()
    back = client.get(
        reverse("checkout:vietqr-return") + f"?code=00&status=PAID&orderCode={attempt.order_code}"
    )
    assert back["Location"] == reverse("checkout:vietqr", args=[attempt.order_code])
    assert not Order.objects.exists()


def test_cancelling_brings_the_basket_back_and_cod_places_the_order(client, khan, payos_standin):
    _add(client, khan)
    _choose_vietqr(client)
    attempt = PaymentAttempt.objects.get()
    # when the shopper presses "pay another way"
    back = client.post(reverse("checkout:vietqr-cancel"), {"orderCode": attempt.order_code})
    assert back["Location"] == reverse("checkout:index")
    assert payos_standin.requests[attempt.order_code]["status"] == "CANCELLED"
    # then the checkout has the basket again and COD places the order
    page = client.get(reverse("checkout:index"))
    assert page.status_code == 200 and "Khăn lụa Vạn Phúc" in page.content.decode()
    placed = client.post(reverse("checkout:index"), checkout_shown(client, FORM))
    assert placed["Location"] == reverse("checkout:thank-you")
    assert Order.objects.get().payment_method == "cod"


def test_leaving_the_qr_page_for_the_checkout_keeps_the_live_qr(client, khan, payos_standin):
    _add(client, khan)
    _choose_vietqr(client)
    attempt = PaymentAttempt.objects.get()
    qr_page = reverse("checkout:vietqr", args=[attempt.order_code])
    # when another tab opens the checkout, or its summary for another province
    page = client.get(reverse("checkout:index"))
    summary = client.get(reverse("checkout:summary"), {"province": "Hà Nội"})
    # then the live QR is not cancelled: the shopper is sent back to it
    assert page.status_code == 302 and page["Location"] == qr_page
    assert summary.status_code == 204
    assert payos_standin.requests[attempt.order_code]["status"] == "PENDING"
    assert PaymentAttempt.objects.get().status == "pending"
    assert "mã QR chuyển khoản chưa thanh toán" in client.get(qr_page).content.decode()


def test_the_checkout_after_the_qr_time_ends_it_through_payos(client, khan, payos_standin):
    _add(client, khan)
    _choose_vietqr(client)
    PaymentAttempt.objects.update(expires_at=timezone.now() - timedelta(seconds=1))
    page = client.get(reverse("checkout:index"))
    assert page.status_code == 200 and "Khăn lụa Vạn Phúc" in page.content.decode()
    attempt = PaymentAttempt.objects.get()
    assert attempt.status == "expired"
    assert payos_standin.requests[attempt.order_code]["status"] == "CANCELLED"


def test_the_checkout_after_the_qr_time_places_money_payos_took(client, khan, payos_standin):
    _add(client, khan)
    _choose_vietqr(client)
    attempt = PaymentAttempt.objects.get()
    payos_standin.pay(attempt.order_code, deliver=False)  # the webhook is lost
    PaymentAttempt.objects.update(expires_at=timezone.now() - timedelta(seconds=1))
    page = client.get(reverse("checkout:index"))
    assert page["Location"] == reverse("checkout:thank-you")
    assert Order.objects.get().payment_state == "paid"


def test_pressing_cancel_after_paying_places_the_paid_order_not_cod(client, khan, payos_standin):
    _add(client, khan)
    _choose_vietqr(client)
    attempt = PaymentAttempt.objects.get()
    payos_standin.pay(attempt.order_code, deliver=False)  # the webhook is on its way
    back = client.post(reverse("checkout:vietqr-cancel"), {"orderCode": attempt.order_code})
    assert back["Location"] == reverse("checkout:thank-you")
    order = Order.objects.get()
    assert (order.payment_method, order.payment_state) == ("vietqr", "paid")
    assert PaymentAttempt.objects.get().status == "succeeded"


def test_payos_cancel_link_cancels_nothing_itself(client, khan, payos_standin):
    # given a live QR, and a GET of payOS's cancelUrl (a link from anywhere)
    _add(client, khan)
    _choose_vietqr(client)
    attempt = PaymentAttempt.objects.get()
    link = reverse("checkout:vietqr-cancel") + f"?orderCode={attempt.order_code}"
    back = client.get(link)
    # then nothing is cancelled: back to the QR
    assert back["Location"] == reverse("checkout:vietqr", args=[attempt.order_code])
    assert payos_standin.requests[attempt.order_code]["status"] == "PENDING"
    assert PaymentAttempt.objects.get().status == "pending"
    # but once payOS's own page cancelled it, the link records it
    payos_standin.cancel(str(attempt.order_code), "Người mua huỷ")
    back = client.get(link)
    assert back["Location"] == reverse("checkout:index")
    assert PaymentAttempt.objects.get().status == "cancelled"
    assert "Khăn lụa Vạn Phúc" in client.get(reverse("checkout:index")).content.decode()


@pytest.mark.parametrize("fault", [{"error_status": 502}, {"delay": 3.0}], ids=["down", "slow"])
def test_payos_down_or_slow_gives_a_vietnamese_message_and_cod_still_works(
    client, khan, payos_standin, fault
):
    _add(client, khan)
    payos_standin.set_faults(**fault)
    page = _choose_vietqr(client)
    html = page.content.decode()
    # then the checkout says so in Vietnamese, offers COD, and holds nothing
    assert page.status_code == 200 and "payOS không phản hồi" in html
    assert "Traceback" not in html and 'value="cod"' in html
    assert not PaymentAttempt.objects.exists()
    # and COD places the order at once
    placed = client.post(reverse("checkout:index"), checkout_shown(client, FORM))
    assert placed["Location"] == reverse("checkout:thank-you")


def test_an_expired_qr_page_says_so_and_leads_back_to_checkout(client, khan, payos_standin):
    from marketplace.payments.payos_client import PayosClient
    from marketplace.payments.services import bank_transfers_expire

    _add(client, khan)
    _choose_vietqr(client)
    attempt = PaymentAttempt.objects.get()
    bank_transfers_expire(
        client=PayosClient.from_settings(), now=attempt.expires_at + timedelta(seconds=1)
    )
    html = client.get(reverse("checkout:vietqr", args=[attempt.order_code])).content.decode()
    assert "Mã QR đã hết hạn" in html and 'data-testid="vietqr-code"' not in html
    assert client.get(reverse("checkout:vietqr-status", args=[attempt.order_code])).json() == {
        "status": "expired"
    }
    # and back at the checkout the basket is there again
    page = client.get(reverse("checkout:index"))
    assert "Khăn lụa Vạn Phúc" in page.content.decode()


def test_the_qr_page_speaks_english_to_an_english_visitor(client, khan, payos_standin, settings):
    client.cookies[settings.LANGUAGE_COOKIE_NAME] = "en"
    _add(client, khan)
    answer = _choose_vietqr(client)
    html = client.get(answer["Location"]).content.decode()
    for english in ("Bank transfer (VietQR)", "Account number", "Transfer content", "Copy"):
        assert english in html
    for vietnamese in ("Số tài khoản", "Nội dung chuyển khoản", "Chép", "Mở ứng dụng ngân hàng"):
        assert vietnamese not in html


def test_a_cancelled_qr_page_says_cancelled_not_expired(client, khan, payos_standin):
    _add(client, khan)
    _choose_vietqr(client)
    attempt = PaymentAttempt.objects.get()
    PaymentAttempt.objects.update(status="cancelled")
    html = client.get(reverse("checkout:vietqr", args=[attempt.order_code])).content.decode()
    ended = re.search(r'data-testid="vietqr-ended">(.*?)</p>', html).group(1)
    assert "Mã QR đã bị huỷ" in ended and "hết hạn" not in ended

"""The stand-in payOS itself: what the SDK sees when it misbehaves or is
misused, its hosted checkout page, and its switches."""

import json
import time
import urllib.error
import urllib.request

import pytest
from payos import PayOS
from payos.types import CreatePaymentLinkRequest

from marketplace.payments.payos_client import PayosClient, PayosUnavailable
from marketplace.payments.payos_standin import PayosStandin
from marketplace.payments.payos_standin.__main__ import build_parser


def _create(sdk, order_code=11, **overrides):
    fields = {
        "order_code": order_code,
        "amount": 50000,
        "description": "OCOP DH100011",
        "return_url": "http://shop.test/tro-ve/",
        "cancel_url": "http://shop.test/huy/",
        "expired_at": int(time.time()) + 900,
        **overrides,
    }
    return sdk.payment_requests.create(CreatePaymentLinkRequest(**fields))


@pytest.fixture
def standin():
    with PayosStandin(client_id="c", api_key="k", checksum_key="s") as server:
        yield server


@pytest.fixture
def sdk(standin):
    return PayOS("c", "k", "s", base_url=standin.url, max_retries=0, timeout=2)


def test_wrong_api_key_duplicate_order_code_and_long_description_are_refused(standin, sdk):
    from payos import APIError

    _create(sdk)
    with pytest.raises(APIError, match="đã tồn tại"):
        _create(sdk)
    with pytest.raises(APIError, match="25"):
        _create(sdk, order_code=12, description="x" * 26)
    wrong = PayOS("c", "not-the-key", "s", base_url=standin.url, max_retries=0)
    with pytest.raises(APIError):
        _create(wrong, order_code=13)
    assert set(standin.requests) == {11}


def test_a_request_signed_with_another_checksum_key_is_refused(standin):
    from payos import APIError

    other = PayOS("c", "k", "another", base_url=standin.url, max_retries=0)
    with pytest.raises(APIError, match="Chữ ký"):
        _create(other)
    assert not standin.requests


def test_answers_signed_wrongly_are_refused_by_the_sdk_and_reach_the_shop_as_unavailable(
    standin,
):
    client = PayosClient(sdk=PayOS("c", "k", "s", base_url=standin.url, max_retries=0))
    _create(client.sdk)
    standin.set_faults(bad_signature=True)
    with pytest.raises(PayosUnavailable, match="InvalidSignatureError"):
        client.payment_request_transfers(11)
    with pytest.raises(PayosUnavailable, match="InvalidSignatureError"):
        client.payment_request_cancel(11, "x")
    assert standin.requests[11]["status"] == "CANCELLED"  # done there, unproven here


def test_the_hosted_checkout_page_pays_or_cancels_and_returns_like_payos(standin, sdk):
    created = _create(sdk)
    page = urllib.request.urlopen(created.checkout_url).read().decode()  # noqa: S310
    assert "50,000" in page and "OCOP DH100011" in page

    class NoRedirect(urllib.request.HTTPRedirectHandler):
        def redirect_request(self, *args, **kwargs):
            return None

    opener = urllib.request.build_opener(NoRedirect)
    with pytest.raises(urllib.error.HTTPError) as answer:
        opener.open(created.checkout_url, data=b"action=pay")
    location = answer.value.headers["Location"]
    assert location.startswith("http://shop.test/tro-ve/?")
    assert "status=PAID" in location and "orderCode=11" in location
    assert sdk.payment_requests.get(11).status == "PAID"
    # a second request, cancelled from the page
    second = _create(sdk, order_code=12)
    with pytest.raises(urllib.error.HTTPError) as answer:
        opener.open(second.checkout_url, data=b"action=cancel")
    assert answer.value.headers["Location"].startswith("http://shop.test/huy/?")
    assert sdk.payment_requests.get(12).status == "CANCELLED"


def test_pay_refuses_an_expired_request_unless_the_money_is_late(standin, sdk):
    _create(sdk)
    standin.requests[11]["expiredAt"] = int(time.time()) - 1
    assert sdk.payment_requests.get(11).status == "EXPIRED"
    request = urllib.request.Request(  # noqa: S310
        standin.url + "/_standin/pay", data=json.dumps({"orderCode": 11}).encode(), method="POST"
    )
    with pytest.raises(urllib.error.HTTPError) as refused:
        urllib.request.urlopen(request)  # noqa: S310
    assert refused.value.code == 409
    late = standin.pay(11, late=True, deliver=False)
    assert late["webhook"]["data"]["amount"] == 50000
    assert sdk.payment_requests.get(11).amount_paid == 50000


def test_unknown_fault_switches_are_refused_and_the_cli_takes_every_switch(standin):
    with pytest.raises(ValueError, match="unknown fault"):
        standin.set_faults(explode=True)
    with pytest.raises(ValueError):
        standin.set_faults(error_status=200)
    args = build_parser().parse_args(
        ["--port", "0", "--delay", "1.5", "--error-status", "503", "--refuse", "20"]
    )
    assert (args.delay, args.error_status, args.refuse) == (1.5, 503, "20")

"""Card payments on stripe-mock, with webhooks signed the way Stripe signs
them; bank transfers through the real payOS SDK against our payOS stand-in."""

import json
import time

import pytest
import stripe
from django.urls import reverse

from marketplace.payments.client import PaymentsClient
from marketplace.payments.services import card_payment_start
from tests.factories import certified_product_create
from tests.order.conftest import basket_with

WEBHOOK_SECRET = "whsec_test_ocop_payments"


@pytest.fixture
def webhook_secret(settings):
    settings.STRIPE_WEBHOOK_SECRET = WEBHOOK_SECRET
    return WEBHOOK_SECRET


@pytest.fixture
def stripe_client():
    """The project's client, pointed at stripe-mock by STRIPE_API_BASE."""
    return PaymentsClient.from_settings()


@pytest.fixture
def started(db, stripe_client, hanoi_delivery, settings):
    """A shopper who chose card for 2 × 150.000 ₫ to Hà Nội (30.000 ₫ shipping)
    and was handed a PaymentIntent."""
    settings.SHIPPING_RATE_INNER_HANOI = 30000
    product = certified_product_create(title="Nón lá Chuông", price=150000)
    basket = basket_with((product, 2))
    attempt = card_payment_start(
        client=stripe_client, basket=basket, delivery=hanoi_delivery, email="lan@example.vn"
    )
    return attempt


def payment_intent(attempt_or_id, *, status="succeeded", amount=None, currency="vnd", **extra):
    """A PaymentIntent as Stripe puts it in an event (a snapshot)."""
    intent_id = getattr(attempt_or_id, "payment_intent_id", attempt_or_id)
    if amount is None:
        amount = attempt_or_id.amount
    return {
        "id": intent_id,
        "object": "payment_intent",
        "amount": amount,
        "amount_received": amount if status == "succeeded" else 0,
        "currency": currency,
        "status": status,
        **extra,
    }


def event(kind: str, intent: dict) -> dict:
    return {
        "id": f"evt_{intent['id']}_{kind}",
        "object": "event",
        "api_version": "2026-10-28.endive",
        "created": int(time.time()),
        "type": kind,
        "data": {"object": intent},
    }


def signed_post(http, body: dict | str, *, secret: str = WEBHOOK_SECRET, header: bool = True):
    """POST `body` to the webhook as Stripe does: raw JSON, signed header."""
    payload = body if isinstance(body, str) else json.dumps(body)
    extra = {}
    if header:
        extra["HTTP_STRIPE_SIGNATURE"] = stripe.WebhookSignature.generate_signature_header(
            payload, secret
        )
    return http.post(
        reverse("stripe-webhook"), data=payload, content_type="application/json", **extra
    )


@pytest.fixture
def transfer_started(db, payos_client, hanoi_delivery, settings):
    """A shopper who chose VietQR for 2 × 150.000 ₫ to Hà Nội (30.000 ₫
    shipping) and was shown a QR."""
    from marketplace.payments.services import bank_transfer_start

    settings.SHIPPING_RATE_INNER_HANOI = 30000
    product = certified_product_create(title="Nón lá Chuông", price=150000)
    basket = basket_with((product, 2))
    return bank_transfer_start(
        client=payos_client,
        basket=basket,
        delivery=hanoi_delivery,
        email="lan@example.vn",
        return_url="http://testserver/shop/checkout/vietqr/tro-ve/",
        cancel_url="http://testserver/shop/checkout/vietqr/huy/",
    )


def payos_post(http, body):
    """POST a webhook body to the shop as payOS does: raw JSON."""
    payload = body if isinstance(body, str | bytes) else json.dumps(body, ensure_ascii=False)
    return http.post(reverse("payos-webhook"), data=payload, content_type="application/json")

"""PaymentIntents on stripe-mock, through the project's own client module."""

from decimal import Decimal

import pytest
from django.conf import settings

from marketplace.payments.client import PaymentsClient, StripeNotConfigured, whole_dong


def test_payment_intent_is_created_in_whole_dong():
    # given the client built from settings, pointed at stripe-mock
    assert settings.STRIPE_API_BASE.startswith("http://127.0.0.1")
    client = PaymentsClient.from_settings()
    # when a PaymentIntent is created for 1.234.567 ₫
    intent = client.payment_intent_create(amount=Decimal("1234567"), order_number="100001")
    # then Stripe receives whole đồng, not ×100
    assert intent.id.startswith("pi_")
    assert intent.amount == 1234567
    assert intent.currency == "vnd"


def test_refund_is_created_for_a_payment_intent():
    client = PaymentsClient.from_settings()
    intent = client.payment_intent_create(amount=250000, order_number="100002")
    refund = client.refund_create(payment_intent_id=intent.id, amount=50000, key="100002-1")
    assert refund.id.startswith("re_")
    assert refund.amount == 50000


def test_fractional_dong_is_refused_before_calling_stripe():
    with pytest.raises(ValueError, match="whole đồng"):
        whole_dong(Decimal("1000.5"))


def test_without_a_secret_key_card_payments_are_off(settings):
    settings.STRIPE_SECRET_KEY = ""
    with pytest.raises(StripeNotConfigured):
        PaymentsClient.from_settings()

"""The one door to Stripe.

Services receive a `PaymentsClient` instead of importing `stripe`, so tests
point it at stripe-mock and production at Stripe with the same code.
Amounts are whole đồng: VND is a zero-decimal currency for Stripe, so an
amount is sent as it is, never multiplied by 100 (design.md §6).
"""

from dataclasses import dataclass
from decimal import Decimal

import stripe
from django.conf import settings
from stripe import PaymentIntent, Refund, StripeClient

CURRENCY = "vnd"


class StripeNotConfigured(RuntimeError):
    """Raised when card payments are used without `STRIPE_SECRET_KEY`."""


class WebhookRefused(ValueError):
    """A webhook body that is unsigned, wrongly signed, stale or not an event."""


def webhook_event(*, payload: bytes, sig_header: str | None, secret: str) -> dict:
    """The verified event in a webhook body, as plain dicts, or `WebhookRefused`.

    Needs only the webhook secret (no API key): Stripe signs the body with
    it, and an order is never placed from an unsigned webhook (design.md §6).
    An empty secret refuses everything, so webhooks are off unless configured.
    """
    try:
        event = stripe.Webhook.construct_event(payload, sig_header, secret)
    except stripe.SignatureVerificationError as error:
        raise WebhookRefused(str(error)) from error
    except (ValueError, TypeError, AttributeError, RecursionError) as error:
        # signed but not a JSON event object (or not UTF-8, or nested deeper
        # than the JSON parser goes)
        raise WebhookRefused(f"not a Stripe event: {error}") from error
    data = event.to_dict()
    if not isinstance(data.get("type"), str):
        raise WebhookRefused("event without a type")
    return data


def whole_dong(amount: Decimal | int) -> int:
    """An amount as an integer number of đồng; refuses fractions."""
    value = Decimal(amount)
    if value != value.to_integral_value():
        raise ValueError(f"VND amounts are whole đồng, got {amount}")
    return int(value)


@dataclass(frozen=True)
class PaymentsClient:
    """A thin, typed wrapper over `StripeClient` for what the shop needs."""

    stripe: StripeClient

    @classmethod
    def from_settings(cls) -> "PaymentsClient":
        if not settings.STRIPE_SECRET_KEY:
            raise StripeNotConfigured("STRIPE_SECRET_KEY is not set; only COD is available")
        options: dict = {"stripe_version": settings.STRIPE_API_VERSION, "max_network_retries": 2}
        if settings.STRIPE_API_BASE:
            options["base_addresses"] = {"api": settings.STRIPE_API_BASE}
        return cls(stripe=StripeClient(settings.STRIPE_SECRET_KEY, **options))

    def payment_intent_create(
        self, *, amount: Decimal | int, order_number: str, email: str = ""
    ) -> PaymentIntent:
        """Create (or, on retry, return) the PaymentIntent for an order.

        The idempotency key derives from the order number, so a retried
        request never creates a second charge.
        """
        params: dict = {
            "amount": whole_dong(amount),
            "currency": CURRENCY,
            "metadata": {"order_number": order_number},
            "automatic_payment_methods": {"enabled": True},
        }
        if email:
            params["receipt_email"] = email
        return self.stripe.v1.payment_intents.create(
            params=params, options={"idempotency_key": f"order-{order_number}-pi"}
        )

    def payment_intent_retrieve(self, payment_intent_id: str) -> PaymentIntent:
        """The PaymentIntent as Stripe has it now (for the return page, which
        must not trust the status in its query string)."""
        return self.stripe.v1.payment_intents.retrieve(payment_intent_id)

    def payment_intent_amount_update(
        self, *, payment_intent_id: str, amount: Decimal | int
    ) -> PaymentIntent:
        """Change what an unpaid PaymentIntent will charge, so a retry with
        a new total keeps the one PaymentIntent its basket already has."""
        return self.stripe.v1.payment_intents.update(
            payment_intent_id, params={"amount": whole_dong(amount)}
        )

    def refund_create(self, *, payment_intent_id: str, amount: Decimal | int, key: str) -> Refund:
        """Refund part or all of a PaymentIntent, idempotent on `key`."""
        return self.stripe.v1.refunds.create(
            params={"payment_intent": payment_intent_id, "amount": whole_dong(amount)},
            options={"idempotency_key": f"refund-{key}"},
        )

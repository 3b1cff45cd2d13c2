"""Stripe's and payOS's webhooks: the one way a payment can place an order
with no browser around (the return page may never load, design.md §6)."""

import logging

from django.conf import settings
from django.http import HttpRequest, HttpResponse, HttpResponseBadRequest, JsonResponse
from django.views.decorators.csrf import csrf_exempt
from django.views.decorators.http import require_POST

from marketplace.core import request_params
from marketplace.payments.client import WebhookRefused, webhook_event
from marketplace.payments.payos_client import (
    PayosClient,
    PayosNotConfigured,
    PayosWebhookRefused,
)
from marketplace.payments.services import fulfil, payment_failed

logger = logging.getLogger(__name__)

HANDLERS = {
    "payment_intent.succeeded": fulfil,
    "payment_intent.payment_failed": payment_failed,
}


def declared_length(request: HttpRequest) -> int | None:
    """The body's Content-Length (0 without one), or None when it is not a
    whole number: Django's `request.body` raises ValueError on "abc" or
    "1e3" (runserver passes such a header on; gunicorn answers 400 itself),
    so a webhook checks it before reading the body."""
    declared = request.META.get("CONTENT_LENGTH")
    if not declared:
        return 0
    return request_params.integer(declared.strip())


@csrf_exempt  # Stripe cannot send a CSRF token; the signature stands in for it
@require_POST
def stripe_webhook(request: HttpRequest) -> HttpResponse:
    """Verify the signature, then hand the PaymentIntent to its service.

    Bad input answers 400 and changes nothing. Anything verified answers
    200, including events we ignore and PaymentIntents we do not know, so
    Stripe stops resending them; only our own failure answers 5xx, which
    Stripe retries for up to 3 days.
    """
    if declared_length(request) is None:
        return HttpResponseBadRequest("invalid webhook")
    try:
        event = webhook_event(
            payload=request.body,
            sig_header=request.headers.get("Stripe-Signature"),
            secret=settings.STRIPE_WEBHOOK_SECRET,
        )
    except WebhookRefused as refusal:
        logger.warning("Stripe webhook refused: %s", refusal)
        return HttpResponseBadRequest("invalid webhook")
    handler = HANDLERS.get(event["type"])
    if handler is None:
        return HttpResponse("ignored")
    payment_intent = payment_intent_of(event)
    if payment_intent is None:
        logger.warning("Stripe webhook %r without a well-formed PaymentIntent", event.get("id"))
        return HttpResponseBadRequest("no payment intent")
    handler(payment_intent=payment_intent)
    return HttpResponse("ok")


# The PaymentIntent fields the services read, and the types Stripe sends
# them as (`None` where Stripe may send null).
PAYMENT_INTENT_FIELDS = {
    "amount": (int, type(None)),
    "currency": (str, type(None)),
    "status": (str, type(None)),
    "last_payment_error": (dict, type(None)),
}


def payment_intent_of(event: dict) -> dict | None:
    """The event's PaymentIntent, or None when it is not one we can read.

    A signed event is still only as well-formed as whoever signed it: a
    leaked secret, a test tool, or an API version we never saw may send
    `data` as a string, no `object`, an id with NUL (which PostgreSQL cannot
    compare) or an amount as text. Each of those is refused here with a 400,
    before a service sees it, rather than raising somewhere inside one.
    400, not 200: a handled event type whose PaymentIntent we cannot read
    may be one we must act on, so it is not acknowledged; Stripe retries it
    for 3 days and lists it as failed in its dashboard, where an operator
    sees it.
    """
    data = event.get("data")
    intent = data.get("object") if isinstance(data, dict) else None
    if not isinstance(intent, dict) or request_params.token(intent.get("id")) is None:
        return None
    for name, types in PAYMENT_INTENT_FIELDS.items():
        value = intent.get(name)
        if not isinstance(value, types) or isinstance(value, bool):
            return None
    return intent


# payOS sends at most this much; a bigger body is not a payOS webhook.
PAYOS_WEBHOOK_MAX_BYTES = 64 * 1024


@csrf_exempt  # payOS cannot send a CSRF token; the signature stands in for it
@require_POST
def payos_webhook(request: HttpRequest) -> HttpResponse:
    """A bank transfer arrived (payOS, signed with the checksum key).

    The SDK verifies the signature; anything unsigned, wrongly signed or
    not payOS's shape answers 400 and changes nothing. A verified transfer
    answers 200 whatever became of it (an order, a duplicate, an orderCode
    we do not know such as payOS's confirm-webhook test, or money flagged
    for an operator), so payOS stops resending it.
    """
    length = declared_length(request)
    if length is None or length > PAYOS_WEBHOOK_MAX_BYTES:
        return HttpResponseBadRequest("invalid webhook")
    try:
        transfer = PayosClient.from_settings().webhook_transfer(request.body)
    except (PayosWebhookRefused, PayosNotConfigured) as refusal:
        logger.warning("payOS webhook refused: %s", refusal)
        return HttpResponseBadRequest("invalid webhook")
    fulfil(transfer=transfer)
    return JsonResponse({"success": True})

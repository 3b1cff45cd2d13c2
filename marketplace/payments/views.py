"""Stripe's webhook: the one way a payment can place an order with no
browser around (the return page may never load, design.md §6)."""

import logging

from django.conf import settings
from django.http import HttpRequest, HttpResponse, HttpResponseBadRequest
from django.views.decorators.csrf import csrf_exempt
from django.views.decorators.http import require_POST

from marketplace.core import request_params
from marketplace.payments.client import WebhookRefused, webhook_event
from marketplace.payments.services import fulfil, payment_failed

logger = logging.getLogger(__name__)

HANDLERS = {
    "payment_intent.succeeded": fulfil,
    "payment_intent.payment_failed": payment_failed,
}


@csrf_exempt  # Stripe cannot send a CSRF token; the signature stands in for it
@require_POST
def stripe_webhook(request: HttpRequest) -> HttpResponse:
    """Verify the signature, then hand the PaymentIntent to its service.

    Bad input answers 400 and changes nothing. Anything verified answers
    200, including events we ignore and PaymentIntents we do not know, so
    Stripe stops resending them; only our own failure answers 5xx, which
    Stripe retries for up to 3 days.
    """
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

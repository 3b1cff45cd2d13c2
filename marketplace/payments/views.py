"""Stripe's webhook: the one way a payment can place an order with no
browser around (the return page may never load, design.md §6)."""

import logging

from django.conf import settings
from django.http import HttpRequest, HttpResponse, HttpResponseBadRequest
from django.views.decorators.csrf import csrf_exempt
from django.views.decorators.http import require_POST

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
    payment_intent = (event.get("data") or {}).get("object")
    if not isinstance(payment_intent, dict) or not isinstance(payment_intent.get("id"), str):
        logger.warning("Stripe webhook %s without a PaymentIntent", event.get("id"))
        return HttpResponseBadRequest("no payment intent")
    handler(payment_intent=payment_intent)
    return HttpResponse("ok")

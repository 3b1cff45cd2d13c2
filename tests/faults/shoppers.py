"""A shopper's requests against the site, each timed, and the flows the
fault suite drives: a COD checkout, a card payment opened, and Stripe's
signed webhook."""

import json
import re
import secrets
import time

import requests
import stripe

from tests.faults.matrix import CLIENT_TIMEOUT, Outcome
from tests.faults.site import (
    CHECKOUT_SUMMARY_PATH,
    ORDER_NUMBER,
    VIETNAMESE_ERROR_PAGE,
    WEBHOOK_SECRET,
    Site,
    checkout_form,
    cookies_allow_secure_over_http,
    shown_total,
)

_PRODUCT_PATH = re.compile(r"/shop/[^/?]+_\d+/")


class Visit:
    """One shopper's requests, each timed; the outcome is the worst of them."""

    def __init__(self, site: Site, session: requests.Session | None = None) -> None:
        self.site = site
        self.session = session or cookies_allow_secure_over_http(requests.Session())
        # (method and path, status or None, seconds, Vietnamese error page, error)
        self.answers: list[tuple[str, int | None, float, bool, str]] = []

    def request(self, method: str, path: str, **kwargs) -> requests.Response | None:
        label = f"{method} {_PRODUCT_PATH.sub('/shop/[product]/', path.split('?')[0])}"
        started = time.perf_counter()
        try:
            response = self.session.request(
                method,
                self.site.base_url + path,
                timeout=CLIENT_TIMEOUT,
                allow_redirects=False,
                **kwargs,
            )
        except requests.RequestException as exc:
            elapsed = time.perf_counter() - started
            self.answers.append((label, None, elapsed, False, type(exc).__name__))
            return None
        elapsed = time.perf_counter() - started
        error_page = response.status_code >= 500 and VIETNAMESE_ERROR_PAGE in response.text
        self.answers.append((label, response.status_code, elapsed, error_page, ""))
        return response

    def get(self, path: str, **kwargs):
        return self.request("GET", path, **kwargs)

    def post(self, path: str, **kwargs):
        return self.request("POST", path, **kwargs)

    @property
    def csrf(self) -> str:
        """The visitor's CSRF token. Shared pages set no csrftoken cookie, so
        a visitor without one asks the token endpoint, as js/basket-add.js
        does (a timed request like any other)."""
        if not self.session.cookies.get("csrftoken"):
            self.get("/csrf-token/")
        return self.session.cookies.get("csrftoken", "")

    def outcome(self) -> Outcome:
        """The worst answer (none is worst, then the highest status) and the
        slowest; in a flow, which request it was."""
        result = Outcome()
        if not self.answers:
            return result
        result.seconds = max(answer[2] for answer in self.answers)
        # no answer is worst, then the highest status; the first of equals
        worst = max(self.answers, key=lambda a: (1, 0) if a[1] is None else (0, a[1]))
        label, result.status, _seconds, result.error_page, result.error = worst
        if len(self.answers) > 1 and (result.status is None or result.status >= 400):
            result.at = label
        return result


def card_attempt_open(site, catalogue, email_address: str) -> dict:
    """A shopper who chose card payment: basket, checkout, PaymentIntent
    (on stripe-mock). Returns what Stripe's webhook will carry."""
    visit = Visit(site)
    visit.get(catalogue.product_path)
    visit.post(
        f"/shop/basket/add/{catalogue.product_pk}/",
        data={"csrfmiddlewaretoken": visit.csrf, "quantity": 1},
    )
    visit.get("/shop/checkout/")
    summary = visit.get(CHECKOUT_SUMMARY_PATH)
    page = visit.post(
        "/shop/checkout/",
        data=checkout_form(
            email_address=email_address,
            csrf=visit.csrf,
            shown=shown_total(summary.text if summary is not None else ""),
            payment="card",
        ),
    )
    rows = site.sql(
        "SELECT payment_intent_id, amount FROM payments_paymentattempt "
        "WHERE email = %s ORDER BY id DESC LIMIT 1",
        (email_address,),
    )
    assert rows, f"no card payment opened: {visit.answers} {page.text[:500] if page else ''}"
    intent_id, amount = rows[0]
    return {"email": email_address, "payment_intent": intent_id, "amount": int(amount)}


def cod_checkout(site, catalogue, email_address: str) -> tuple[Visit, str | None]:
    """A guest buys one unit cash on delivery, as a browser does; returns
    the visit and the order number the thank-you page showed, if any."""
    visit = Visit(site)
    steps = (
        lambda: visit.get(catalogue.product_path),
        lambda: visit.post(
            f"/shop/basket/add/{catalogue.product_pk}/",
            data={"csrfmiddlewaretoken": visit.csrf, "quantity": 1},
        ),
        lambda: visit.get("/shop/checkout/"),
        # the page's script fetches the total for the province picked
        lambda: visit.get(CHECKOUT_SUMMARY_PATH),
        lambda: visit.post(
            "/shop/checkout/",
            data=checkout_form(email_address=email_address, csrf=visit.csrf, shown=shown),
        ),
    )
    shown = ""
    for step in steps:
        response = step()
        if response is None or response.status_code >= 400:
            return visit, None
        if response.request.path_url.startswith("/shop/checkout/tong-tien/"):
            shown = shown_total(response.text)
    if response.status_code != 302:
        return visit, None
    thanks = visit.get(response.headers["Location"])
    found = ORDER_NUMBER.search(thanks.text) if thanks is not None else None
    return visit, found.group(1) if found else None


def signed_event(card: dict) -> tuple[str, str]:
    """payment_intent.succeeded for `card`, signed as Stripe signs it."""
    payload = json.dumps(
        {
            "id": f"evt_{secrets.token_hex(12)}",
            "object": "event",
            "api_version": "2026-10-28.endive",
            "created": int(time.time()),
            "type": "payment_intent.succeeded",
            "data": {
                "object": {
                    "id": card["payment_intent"],
                    "object": "payment_intent",
                    "amount": card["amount"],
                    "amount_received": card["amount"],
                    "currency": "vnd",
                    "status": "succeeded",
                }
            },
        }
    )
    return payload, stripe.WebhookSignature.generate_signature_header(payload, WEBHOOK_SECRET)


def webhook_post(site, card: dict) -> Visit:
    payload, signature = signed_event(card)
    visit = Visit(site)
    visit.post(
        "/payments/stripe/webhook/",
        data=payload.encode(),
        headers={"Content-Type": "application/json", "Stripe-Signature": signature},
    )
    return visit

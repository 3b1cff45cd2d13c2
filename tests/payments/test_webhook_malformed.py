"""A signed webhook of any shape answers 400 or 200, never a 500 (issue 13,
finding 8): `data` as a string made the view raise."""

import copy

import pytest
from django.test import Client
from oscar.core.loading import get_model

from marketplace.payments.models import PaymentAttempt
from tests.payments.conftest import event, payment_intent, signed_post

Order = get_model("order", "Order")

pytestmark = pytest.mark.django_db


def _data(value):
    return lambda e: e.__setitem__("data", value)


def _intent(**fields):
    return lambda e: e["data"]["object"].update(fields)


MALFORMED = {
    "data is a string": _data("payment_intent"),
    "data is a list": _data([{"object": {"id": "pi_x"}}]),
    "data is null": _data(None),
    "data is a number": _data(7),
    "no object": _data({}),
    "object is a string": _data({"object": "pi_123"}),
    "object is a list": _data({"object": []}),
    "id is a number": _intent(id=123),
    "id is null": _intent(id=None),
    "id holds NUL": _intent(id="pi_1\x00"),
    "id is 10 kB": _intent(id="pi_" + "x" * 10_000),
    "amount is text": _intent(amount="330000"),
    "amount is a float": _intent(amount=330000.5),
    "amount is a bool": _intent(amount=True),
    "currency is a number": _intent(currency=704),
    "status is a list": _intent(status=["succeeded"]),
    "last_payment_error is a string": _intent(last_payment_error="declined"),
}


@pytest.mark.parametrize("kind", ["payment_intent.succeeded", "payment_intent.payment_failed"])
@pytest.mark.parametrize("breakage", MALFORMED.values(), ids=MALFORMED.keys())
def test_a_malformed_signed_event_is_a_400_and_changes_nothing(
    kind, breakage, started, webhook_secret
):
    # given a correctly signed event for a real attempt, broken in one way
    broken = copy.deepcopy(event(kind, payment_intent(started)))
    breakage(broken)
    # when Stripe's signature is on it
    response = signed_post(Client(raise_request_exception=False), broken)
    # then it is refused, not a 500, and nothing moved
    assert response.status_code == 400
    assert Order.objects.count() == 0
    assert PaymentAttempt.objects.get(pk=started.pk).status == "pending"


def test_an_ignored_event_type_of_any_shape_is_acknowledged(webhook_secret):
    odd = event("charge.updated", {"id": "ch_1"})
    odd["data"] = "whatever"
    assert signed_post(Client(raise_request_exception=False), odd).status_code == 200


# -- bodies that broke the parsers (issue 16, review findings 6 and 7)

DEEP = "[" * 50_000  # 50 kB, under payOS's 64 kB cap: JSON's recursion limit


def test_deeply_nested_json_is_a_400_on_both_webhooks(webhook_secret, payos_standin):
    from django.urls import reverse

    http = Client(raise_request_exception=False)
    payos = http.post(reverse("payos-webhook"), data=DEEP, content_type="application/json")
    stripe_signed = signed_post(http, DEEP)
    stripe_unsigned = signed_post(http, DEEP, header=False)
    assert (payos.status_code, stripe_signed.status_code, stripe_unsigned.status_code) == (
        400,
        400,
        400,
    )


@pytest.mark.parametrize("length", ["abc", "1e3", "-1", " ", "9" * 30])
def test_a_content_length_that_is_not_a_whole_number_is_a_400_not_a_500(
    webhook_secret, payos_standin, length
):
    from django.urls import reverse

    http = Client(raise_request_exception=False)
    for url in (reverse("payos-webhook"), reverse("stripe-webhook")):
        answer = http.post(url, data="{}", content_type="application/json", CONTENT_LENGTH=length)
        assert answer.status_code == 400, (url, length)

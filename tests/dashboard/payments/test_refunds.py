"""Operators refund card orders from the dashboard, through stripe-mock."""

import pytest
from django.urls import reverse
from oscar.core.loading import get_model

from marketplace.payments.models import Refund
from marketplace.payments.services import fulfil
from tests.payments.conftest import payment_intent

Order = get_model("order", "Order")

pytestmark = pytest.mark.django_db


@pytest.fixture
def paid_order(started):
    """2 × 150.000 ₫ + 30.000 ₫ shipping, paid by card."""
    return fulfil(payment_intent=payment_intent(started))


def _refund_url(order):
    return reverse("dashboard:payments-order-refund", kwargs={"number": order.number})


def test_operator_refunds_a_whole_card_order(admin_client, paid_order):
    page = admin_client.get(_refund_url(paid_order))
    assert page.status_code == 200 and 'data-testid="refund-form"' in page.content.decode()
    response = admin_client.post(
        _refund_url(paid_order), {"scope": "order", "request_key": "k-whole", "reason": "hỏng"}
    )
    assert response.status_code == 302
    refund = Refund.objects.get()
    assert refund.amount == 330000 and refund.stripe_refund_id.startswith("re_")
    paid_order.refresh_from_db()
    assert paid_order.payment_state == "refunded"


def test_refunding_a_line_unit_by_unit_sums_to_what_was_paid(admin_client, paid_order):
    line = paid_order.lines.get()
    for key in ("k-1", "k-2"):
        admin_client.post(
            _refund_url(paid_order), {"scope": "lines", f"line-{line.pk}": "1", "request_key": key}
        )
    assert sorted(Refund.objects.values_list("amount", flat=True)) == [150000, 150000]
    paid_order.refresh_from_db()
    assert paid_order.payment_state == "partly-refunded"  # shipping is still paid
    # a third unit does not exist
    admin_client.post(
        _refund_url(paid_order), {"scope": "lines", f"line-{line.pk}": "1", "request_key": "k-3"}
    )
    assert Refund.objects.count() == 2


def test_the_same_refund_form_submitted_twice_refunds_once(admin_client, paid_order):
    # one unit, so money is left after the first refund: only the request
    # key can stop the second
    line = paid_order.lines.get()
    one_unit = {"scope": "lines", f"line-{line.pk}": "1", "request_key": "k-unit"}
    admin_client.post(_refund_url(paid_order), one_unit)
    admin_client.post(_refund_url(paid_order), one_unit)
    assert list(Refund.objects.values_list("amount", flat=True)) == [150000]
    data = {"scope": "order", "request_key": "k-double"}
    admin_client.post(_refund_url(paid_order), data)
    admin_client.post(_refund_url(paid_order), data)
    assert Refund.objects.count() == 2


def test_customers_cannot_refund(client, django_user_model, paid_order):
    user = django_user_model.objects.create_user("khach", "khach@example.vn", "pw-123456")
    client.force_login(user)
    response = client.post(_refund_url(paid_order), {"scope": "order", "request_key": "k-x"})
    assert response.status_code == 302 and "/login" in response["Location"]
    assert not Refund.objects.exists()


def test_a_cod_order_is_not_refunded_through_stripe(admin_client, paid_order):
    Order.objects.filter(pk=paid_order.pk).update(payment_method="cod")
    admin_client.post(_refund_url(paid_order), {"scope": "order", "request_key": "k-cod"})
    assert not Refund.objects.exists()


def test_the_dashboard_order_page_shows_parcels_and_the_refund_link(admin_client, paid_order):
    html = admin_client.get(
        reverse("dashboard:order-detail", kwargs={"number": paid_order.number})
    ).content.decode()
    assert 'data-testid="dashboard-parcels"' in html and 'data-testid="refund-link"' in html

"""Operators keep Oscar's full dashboard and can act as support for any
producer; every support change is recorded with who, what and when."""

import pytest
from django.contrib.auth import get_user_model
from django.urls import reverse

from marketplace.producers.models import WorkspaceChange

pytestmark = pytest.mark.django_db


@pytest.fixture
def operator(db):
    return get_user_model().objects.create_superuser(
        username="van-hanh", email="vanhanh@ocop.vn", password="mat-khau-123", first_name="Lan"
    )


def test_an_operator_supporting_a_producer_is_audited(two_sides, client, operator):
    a, b = two_sides
    client.force_login(operator)
    # given the operator chose to support producer A
    assert client.post(reverse("workspace:support-start", args=[a.producer.pk])).status_code == 302
    page = client.get(reverse("workspace:product-list")).content.decode()
    assert 'data-testid="support-banner"' in page and a.product.title in page
    assert b.product.title not in page
    # when they change A's stock
    stock = a.product.stockrecords.get()
    client.post(
        reverse("workspace:product-edit", args=[a.product.pk]),
        {
            "description": a.product.description,
            "story": "",
            "weight_grams": "",
            "price": "150000",
            "num_in_stock": "35",
        },
    )
    # then the change is recorded as support, with the operator's name
    change = WorkspaceChange.objects.get()
    assert (change.actor, change.by_support, change.producer) == (operator, True, a.producer)
    assert change.changes == {"num_in_stock": [stock.num_in_stock, 35]}
    # and the producer's own member sees it in their history
    client.force_login(a.user)
    history = client.get(reverse("workspace:history")).content.decode()
    assert "Lan" in history and "ban quản lý hỗ trợ" in history and "Số lượng trong kho" in history


def test_ending_support_leaves_the_workspace(two_sides, client, operator):
    a, _b = two_sides
    client.force_login(operator)
    client.post(reverse("workspace:support-start", args=[a.producer.pk]))
    client.post(reverse("workspace:support-end"))
    response = client.get(reverse("workspace:product-list"))
    assert response["Location"] == reverse("dashboard:producers-list")


def test_operators_keep_oscars_full_order_dashboard(two_sides, client, operator):
    a, b = two_sides
    client.force_login(operator)
    response = client.get(reverse("dashboard:order-detail", args=[a.parcel.order.number]))
    html = response.content.decode()
    assert response.status_code == 200
    assert a.product.title in html and b.product.title in html


def test_a_producer_member_sees_only_workspace_entries_in_the_dashboard_menu(two_sides, client):
    a, _b = two_sides
    client.force_login(a.user)
    html = client.get(reverse("workspace:summary")).content.decode()
    assert reverse("workspace:parcel-list") in html
    assert reverse("dashboard:order-list") not in html
    assert reverse("dashboard:catalogue-product-list") not in html

"""Operators see who is locked out of signing in and unlock them from the
dashboard; nobody else may."""

import pytest
from django.test import Client
from django.urls import reverse

from tests.customer.conftest import PASSWORD
from tests.customer.test_throttling import shop_sign_in

pytestmark = pytest.mark.django_db


def test_operator_unlocks_an_account_from_the_dashboard(client, shopper, operator):
    # given: a locked shopper
    buyer = Client(REMOTE_ADDR="198.51.100.20")
    for _ in range(5):
        shop_sign_in(buyer, "lan@example.vn", "sai")
    client.force_login(operator)
    listing = client.get(reverse("dashboard:lockouts-list"))
    assert "lan@example.vn" in listing.content.decode()

    # when: the operator unlocks the account
    client.post(
        reverse("dashboard:lockouts-clear"), {"kind": "username", "value": "lan@example.vn"}
    )

    # then: the shopper's right password works again
    assert shop_sign_in(buyer, "lan@example.vn", PASSWORD).status_code == 302


def test_the_unlock_page_is_for_staff_only(client, shopper):
    client.force_login(shopper)

    response = client.post(
        reverse("dashboard:lockouts-clear"), {"kind": "username", "value": "lan@example.vn"}
    )

    assert response.status_code == 302 and "/login/" in response["Location"]

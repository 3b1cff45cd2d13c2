"""Sign-in throttling on all three sign-in forms (issue 13, finding 5)."""

from datetime import timedelta

import pytest
from axes.models import AccessAttempt
from django.core.management import call_command
from django.test import Client

from tests.customer.conftest import PASSWORD

pytestmark = pytest.mark.django_db

SHOP_LOGIN = "/shop/accounts/login/"
DASHBOARD_LOGIN = "/dashboard/login/"
WAGTAIL_LOGIN = "/cms-admin/login/"


def shop_sign_in(client, email, password, **extra):
    return client.post(
        SHOP_LOGIN,
        {"login-username": email, "login-password": password, "login_submit": "1"},
        **extra,
    )


def form_sign_in(client, url, username, password, **extra):
    return client.post(url, {"username": username, "password": password}, **extra)


def assert_locked_page(response):
    html = response.content.decode()
    assert response.status_code == 429
    assert "Vui lòng thử lại sau 15 phút" in html
    assert response["Retry-After"] == "900"
    assert "Traceback" not in html


def test_shop_login_locks_the_account_after_five_wrong_passwords(client, shopper, settings):
    # given: four wrong passwords, each answered with the form again
    for _ in range(4):
        assert shop_sign_in(client, "lan@example.vn", "sai").status_code == 200

    # when: the fifth wrong one, then the right one
    fifth = shop_sign_in(client, "lan@example.vn", "sai")
    right = shop_sign_in(client, "lan@example.vn", PASSWORD)

    # then: both get the Vietnamese lockout page and nobody is signed in
    assert_locked_page(fifth)
    assert_locked_page(right)
    assert "_auth_user_id" not in client.session


def test_dashboard_login_locks_the_account_and_refuses_the_right_password(client, operator):
    for _ in range(5):
        form_sign_in(client, DASHBOARD_LOGIN, "vanhanh@ocop.local", "sai")

    response = form_sign_in(client, DASHBOARD_LOGIN, "vanhanh@ocop.local", PASSWORD)

    assert_locked_page(response)
    assert "_auth_user_id" not in client.session


def test_wagtail_login_locks_the_account_and_refuses_the_right_password(client, operator):
    for _ in range(5):
        form_sign_in(client, WAGTAIL_LOGIN, "vanhanh", "sai")

    response = form_sign_in(client, WAGTAIL_LOGIN, "vanhanh", PASSWORD)

    assert_locked_page(response)
    assert "_auth_user_id" not in client.session


def test_user_name_and_email_count_as_one_account(client, operator):
    # given: failures spread over the user name (Wagtail) and the email (shop)
    for _ in range(3):
        form_sign_in(client, WAGTAIL_LOGIN, "vanhanh", "sai")
    for _ in range(2):
        shop_sign_in(client, "VanHanh@ocop.local", "sai")

    # when: the right password on the dashboard, from another address
    response = form_sign_in(
        Client(), DASHBOARD_LOGIN, "vanhanh@ocop.local", PASSWORD, REMOTE_ADDR="10.9.9.9"
    )

    # then: the account is locked whichever spelling was used
    assert response.status_code == 429


def test_an_address_is_locked_across_different_accounts(settings, shopper, operator):
    # given: one address guessing one password for each of 20 made-up accounts
    settings.LOGIN_IP_FAILURE_LIMIT = 20
    attacker = Client(REMOTE_ADDR="203.0.113.7")
    for n in range(19):
        assert shop_sign_in(attacker, f"khach{n}@example.vn", "123456").status_code == 200

    # when: the 20th, then a real account's right password from that address
    twentieth = shop_sign_in(attacker, "khach19@example.vn", "123456")
    right = form_sign_in(attacker, DASHBOARD_LOGIN, "vanhanh@ocop.local", PASSWORD)

    # then: the address is locked; the same account from elsewhere is not
    assert twentieth.status_code == 429
    assert right.status_code == 429
    elsewhere = shop_sign_in(Client(REMOTE_ADDR="198.51.100.1"), "lan@example.vn", PASSWORD)
    assert elsewhere.status_code == 302


def test_the_lock_lifts_after_the_cool_off(client, shopper):
    for _ in range(5):
        shop_sign_in(client, "lan@example.vn", "sai")

    # when: the last failure is older than the 15-minute cool-off
    AccessAttempt.objects.update(
        attempt_time=AccessAttempt.objects.get().attempt_time - timedelta(minutes=16)
    )
    response = shop_sign_in(client, "lan@example.vn", PASSWORD)

    assert response.status_code == 302
    assert client.session["_auth_user_id"] == str(shopper.pk)


def test_success_clears_the_accounts_failures_but_not_the_addresss(client, shopper, operator):
    # given: failures on two accounts from one address
    for _ in range(4):
        shop_sign_in(client, "lan@example.vn", "sai")
    shop_sign_in(client, "vanhanh@ocop.local", "sai")

    # when: the first account signs in
    assert shop_sign_in(client, "lan@example.vn", PASSWORD).status_code == 302

    # then: its failures are gone; the other account's still count for the address
    assert not AccessAttempt.objects.filter(username="lan@example.vn").exists()
    assert AccessAttempt.objects.filter(username="vanhanh@ocop.local").exists()


def test_a_wrong_password_is_not_stored(client, shopper):
    shop_sign_in(client, "lan@example.vn", "gần-đúng-mật-khẩu")

    stored = AccessAttempt.objects.get()
    assert "gần-đúng-mật-khẩu" not in stored.post_data
    assert "lan@example.vn" not in stored.post_data


def test_axes_reset_username_command_unlocks_an_account(client, shopper):
    for _ in range(5):
        shop_sign_in(client, "lan@example.vn", "sai")

    call_command("axes_reset_username", "lan@example.vn")

    assert shop_sign_in(client, "lan@example.vn", PASSWORD).status_code == 302


def test_behind_a_proxy_the_address_comes_from_x_forwarded_for(settings, shopper):
    # given: one proxy in front; an attacker forges a left-most entry each time
    settings.TRUSTED_PROXY_COUNT = 1
    settings.LOGIN_IP_FAILURE_LIMIT = 5
    for n in range(5):
        shop_sign_in(
            Client(),
            f"khach{n}@example.vn",
            "sai",
            HTTP_X_FORWARDED_FOR=f"10.0.0.{n}, 203.0.113.9",
        )

    # then: the address the proxy saw is the one counted and locked
    assert set(AccessAttempt.objects.values_list("ip_address", flat=True)) == {"203.0.113.9"}
    locked = shop_sign_in(Client(), "lan@example.vn", PASSWORD, HTTP_X_FORWARDED_FOR="203.0.113.9")
    assert locked.status_code == 429


def test_without_a_proxy_x_forwarded_for_is_ignored(settings, shopper):
    settings.TRUSTED_PROXY_COUNT = 0

    shop_sign_in(
        Client(REMOTE_ADDR="198.51.100.5"), "x@example.vn", "sai", HTTP_X_FORWARDED_FOR="1.2.3.4"
    )

    assert AccessAttempt.objects.get().ip_address == "198.51.100.5"

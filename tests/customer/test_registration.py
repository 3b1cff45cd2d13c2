"""Registration does not reveal accounts (issue 13, finding 6)."""

import re
from urllib.parse import urlsplit

import pytest
from django.contrib.auth import get_user_model
from django.core import mail

from marketplace.customer.account_mail import account_register_complete
from tests.customer.conftest import PASSWORD

pytestmark = pytest.mark.django_db
User = get_user_model()

NEW_PASSWORD = "mật-khẩu-mới-2025"


def register(client, email, url="/shop/accounts/register/"):
    return client.post(url, {"email": email, "password1": NEW_PASSWORD, "password2": NEW_PASSWORD})


def register_on_login_page(client, email):
    return client.post(
        "/shop/accounts/login/",
        {
            "registration-email": email,
            "registration-password1": NEW_PASSWORD,
            "registration-password2": NEW_PASSWORD,
            "registration_submit": "1",
        },
    )


def link_in(message) -> str:
    """The path of the first link in a mail."""
    return urlsplit(re.search(r"https?://\S+", message.body).group(0)).path


@pytest.mark.parametrize("submit", [register, register_on_login_page])
def test_an_existing_email_gets_the_same_answer_as_a_new_one(
    client, shopper, submit, django_capture_on_commit_callbacks
):
    # when: one new address and one that has an account
    with django_capture_on_commit_callbacks(execute=True):
        new = submit(client, "moi@example.vn")
    with django_capture_on_commit_callbacks(execute=True):
        existing = submit(client, "Lan@Example.vn")

    # then: the same redirect to the same "check your mail" page
    assert new.status_code == existing.status_code == 302
    assert new["Location"] == existing["Location"] == "/shop/accounts/register/sent/"
    page = client.get(existing["Location"])
    assert "Kiểm tra hộp thư của bạn" in page.content.decode()
    assert "đã tồn tại" not in page.content.decode()
    # and: nobody is signed in by registering
    assert "_auth_user_id" not in client.session


def test_the_owner_of_an_existing_account_is_told_instead(
    client, shopper, django_capture_on_commit_callbacks
):
    with django_capture_on_commit_callbacks(execute=True):
        register(client, "lan@example.vn")

    # then: one mail to the owner with sign-in and reset links, no second account
    assert [m.to for m in mail.outbox] == [["lan@example.vn"]]
    body = mail.outbox[0].body
    assert "đã có tài khoản" in body
    assert "/shop/accounts/login/" in body and "/shop/password-reset/" in body
    assert User.objects.filter(email__iexact="lan@example.vn").count() == 1
    # and: the owner's password is unchanged
    shopper.refresh_from_db()
    assert shopper.check_password(PASSWORD)


def test_the_request_only_enqueues_the_same_task_for_both(
    client, shopper, django_capture_on_commit_callbacks, monkeypatch
):
    from marketplace.customer import tasks

    sent = []
    monkeypatch.setattr(tasks.account_register_task, "delay", lambda *args: sent.append(args))

    with django_capture_on_commit_callbacks(execute=True):
        register(client, "moi@example.vn")
        register(client, "lan@example.vn")

    # then: one task each, carrying a hash (never the password); nothing
    # created and nothing mailed inside the request
    assert [email for email, _ in sent] == ["moi@example.vn", "lan@example.vn"]
    assert all(hashed.startswith("md5$") and NEW_PASSWORD not in hashed for _, hashed in sent)
    assert not User.objects.filter(email="moi@example.vn").exists()
    assert mail.outbox == []


def test_a_new_account_works_once_its_owner_opens_the_link(
    client, django_capture_on_commit_callbacks
):
    # given: a registration; the account exists but cannot sign in yet
    with django_capture_on_commit_callbacks(execute=True):
        register(client, "moi@example.vn")
    account = User.objects.get(email="moi@example.vn")
    assert not account.is_active
    path = link_in(mail.outbox[0])

    # when: the owner opens the link and confirms
    assert client.get(path).status_code == 200
    response = client.post(path)

    # then: active, signed in, and the link is spent
    account.refresh_from_db()
    assert account.is_active and account.check_password(NEW_PASSWORD)
    assert response.status_code == 302
    assert client.session["_auth_user_id"] == str(account.pk)
    assert client.post(path).status_code == 400


def test_registering_an_unactivated_address_again_voids_the_first_link(
    client, django_capture_on_commit_callbacks
):
    # given: someone registered the address with their own password
    with django_capture_on_commit_callbacks(execute=True):
        register(client, "moi@example.vn")
    first_path = link_in(mail.outbox[0])

    # when: it is registered again (say, by its real owner)
    outcome = account_register_complete(
        email="moi@example.vn", password_hash=_hash("chủ-thật-2025")
    )

    # then: the newest password wins and only the newest link works
    assert outcome == "pending"
    account = User.objects.get(email="moi@example.vn")
    assert account.check_password("chủ-thật-2025")
    assert client.get(first_path).status_code == 400
    assert client.get(link_in(mail.outbox[1])).status_code == 200


def _hash(password):
    from django.contrib.auth.hashers import make_password

    return make_password(password)


@pytest.mark.parametrize("uidb64", ["OTk5OTk5OTk5OTk5OTk5OTk5OTk", "%00", "không-phải-base64"])
def test_a_made_up_activation_link_is_refused_not_a_500(client, uidb64):
    assert client.get(f"/shop/accounts/activate/{uidb64}/abc-123/").status_code in (400, 404)

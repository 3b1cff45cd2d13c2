"""Password-reset mail goes through Celery (issue 13, finding 6)."""

import pytest
from django.core import mail

pytestmark = pytest.mark.django_db

RESET = "/shop/password-reset/"


def test_the_reset_mail_is_enqueued_not_sent_in_the_request(
    client, shopper, django_capture_on_commit_callbacks, monkeypatch
):
    from marketplace.customer import tasks

    enqueued = []
    monkeypatch.setattr(tasks.password_reset_mail_task, "delay", lambda *a: enqueued.append(a))

    # when: a known and an unknown address ask for a reset
    with django_capture_on_commit_callbacks(execute=True):
        known = client.post(RESET, {"email": "lan@example.vn"})
        unknown = client.post(RESET, {"email": "ai-do@example.vn"})

    # then: the same answer and the same task for both, and no mail sent in the request
    assert known.status_code == unknown.status_code == 302
    assert known["Location"] == unknown["Location"]
    assert enqueued == [("lan@example.vn",), ("ai-do@example.vn",)]
    assert mail.outbox == []


def test_the_worker_mails_a_working_link_to_known_addresses_only(
    client, shopper, settings, django_capture_on_commit_callbacks
):
    settings.SITE_URL = "https://cho-ocop.vn"

    # when: the task runs (eagerly here); the request names a forged host
    with django_capture_on_commit_callbacks(execute=True):
        client.post(RESET, {"email": "LAN@example.vn"}, HTTP_HOST="attacker.example")
        client.post(RESET, {"email": "ai-do@example.vn"})

    # then: one mail, its link on the configured site, and the link works
    assert [m.to for m in mail.outbox] == [["lan@example.vn"]]
    body = mail.outbox[0].body
    assert "attacker.example" not in body
    link = next(word for word in body.split() if word.startswith("https://cho-ocop.vn/"))
    response = client.get(link.removeprefix("https://cho-ocop.vn"), follow=True)
    assert response.status_code == 200
    assert "new_password1" in response.content.decode()


def test_a_dead_broker_does_not_fail_the_request(
    client, shopper, django_capture_on_commit_callbacks, monkeypatch
):
    from marketplace.customer import tasks

    def broker_down(*args):
        raise ConnectionError("Redis is down")

    monkeypatch.setattr(tasks.password_reset_mail_task, "delay", broker_down)
    monkeypatch.setattr(tasks.account_register_task, "delay", broker_down)

    with django_capture_on_commit_callbacks(execute=True):
        reset = client.post(RESET, {"email": "lan@example.vn"})
        registered = client.post(
            "/shop/accounts/register/",
            {
                "email": "moi@example.vn",
                "password1": "mật-khẩu-mới-2025",
                "password2": "mật-khẩu-mới-2025",
            },
        )

    assert reset.status_code == registered.status_code == 302

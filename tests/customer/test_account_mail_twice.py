"""The account mail tasks delivered twice (the same message, as acks_late
can redeliver it), in a row or at once: one account, one mail."""

import uuid

import pytest
from django.contrib.auth import get_user_model
from django.contrib.auth.hashers import make_password
from django.core import mail

from marketplace.customer.tasks import account_register_task, password_reset_mail_task
from tests.twice import SLOW_MAIL_BACKEND, committed_db, deliver_at_once

User = get_user_model()


def _deliver(task, *args, message_id: str):
    """One delivery of the message `message_id`, run by this worker."""
    return task.apply(args=args, task_id=message_id).get()


@pytest.mark.django_db
def test_a_registration_delivered_twice_in_a_row_creates_and_mails_once(mailoutbox):
    message_id, password = str(uuid.uuid4()), make_password("mật-khẩu-dài-1")
    first = _deliver(account_register_task, "lan@example.vn", password, message_id=message_id)
    second = _deliver(account_register_task, "lan@example.vn", password, message_id=message_id)
    assert (first, second) == ("created", "duplicate")
    assert User.objects.filter(email="lan@example.vn").count() == 1
    assert len(mailoutbox) == 1


@committed_db
def test_a_registration_delivered_twice_at_once_creates_and_mails_once(mailoutbox, settings):
    settings.EMAIL_BACKEND = SLOW_MAIL_BACKEND
    message_id, password = str(uuid.uuid4()), make_password("mật-khẩu-dài-1")
    results = deliver_at_once(
        lambda: _deliver(account_register_task, "lan@example.vn", password, message_id=message_id)
    )
    assert sorted(results) == ["created", "duplicate"]
    assert User.objects.filter(email="lan@example.vn").count() == 1
    assert len(mail.outbox) == 1


@committed_db
def test_a_password_reset_delivered_twice_at_once_mails_once(mailoutbox, settings):
    User.objects.create_user(username="lan", email="lan@example.vn", password="mật-khẩu-dài-1")
    settings.EMAIL_BACKEND = SLOW_MAIL_BACKEND
    message_id = str(uuid.uuid4())
    results = deliver_at_once(
        lambda: _deliver(password_reset_mail_task, "lan@example.vn", message_id=message_id)
    )
    assert sorted(results) == [0, 1]
    assert len(mail.outbox) == 1


@pytest.mark.django_db
def test_two_messages_for_the_same_address_each_mail(mailoutbox):
    # a visitor who asks twice sends two messages: each is answered
    User.objects.create_user(username="lan", email="lan@example.vn", password="mật-khẩu-dài-1")
    for _ in range(2):
        _deliver(password_reset_mail_task, "lan@example.vn", message_id=str(uuid.uuid4()))
    assert len(mailoutbox) == 2

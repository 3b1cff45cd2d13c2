"""A recorded mail delivered twice, in a row or at once (the commit-time
task redelivered under acks_late, or meeting the sweep): it goes out once."""

import pytest
from django.contrib.auth import get_user_model
from django.core import mail

from marketplace.outbox.models import OutboxTask
from marketplace.outbox.tasks import outbox_run_task
from tests.twice import SLOW_MAIL_BACKEND, committed_db, deliver_at_once

User = get_user_model()


@pytest.fixture
def owed_mail():
    """A password-reset mail recorded in the outbox, not yet sent."""
    User.objects.create_user(username="lan", email="lan@example.vn", password="mật-khẩu-dài-1")
    return OutboxTask.objects.create(
        name="customer.password_reset_mail", payload={"email": "lan@example.vn"}
    )


@pytest.mark.django_db
def test_delivered_twice_in_a_row_sends_once(owed_mail, mailoutbox):
    assert outbox_run_task(owed_mail.pk) is True
    assert outbox_run_task(owed_mail.pk) is False
    assert len(mailoutbox) == 1
    owed_mail.refresh_from_db()
    assert (owed_mail.attempts, owed_mail.done_at is not None) == (1, True)


@committed_db
def test_delivered_twice_at_once_sends_once(owed_mail, mailoutbox, settings):
    settings.EMAIL_BACKEND = SLOW_MAIL_BACKEND
    results = deliver_at_once(lambda: outbox_run_task(owed_mail.pk))
    assert sorted(results) == [False, True]
    assert len(mail.outbox) == 1
    assert mail.outbox[0].to == ["lan@example.vn"]
    owed_mail.refresh_from_db()
    assert owed_mail.attempts == 1

"""The expiry warnings delivered twice, in a row or at once: each producer
gets one mail per threshold, and one ExpiryWarning row records it."""

from datetime import timedelta

import pytest
from django.core import mail

from marketplace.ocop.dates import today_in_vietnam
from marketplace.registry.models import ExpiryWarning
from marketplace.registry.tasks import expiry_warnings_task
from tests.factories import certified_product_create, producer_create
from tests.twice import SLOW_MAIL_BACKEND, committed_db, deliver_at_once


@pytest.fixture
def expiring():
    """A certificate 30 days from expiry, its producer with an address."""
    expiry = today_in_vietnam() + timedelta(days=30)
    producer = producer_create("HTX Hết hạn", email="htx@example.vn")
    return certified_product_create(
        producer=producer, issued_on=expiry - timedelta(days=1095), expiry_date=expiry
    ).certificate


@pytest.mark.django_db
def test_delivered_twice_in_a_row_mails_once(expiring, mailoutbox):
    assert expiry_warnings_task() == {"sent": 1}
    assert expiry_warnings_task() == {"sent": 0}
    assert len(mailoutbox) == 1
    assert ExpiryWarning.objects.filter(certificate=expiring).count() == 1


@committed_db
def test_delivered_twice_at_once_mails_once(expiring, mailoutbox, settings):
    # sending takes a while, so the second delivery arrives mid-send
    settings.EMAIL_BACKEND = SLOW_MAIL_BACKEND
    results = deliver_at_once(expiry_warnings_task)
    assert sorted(r["sent"] for r in results) == [0, 1]
    assert len(mail.outbox) == 1
    assert expiring.number in mail.outbox[0].subject
    assert ExpiryWarning.objects.filter(certificate=expiring, days_before=30).count() == 1

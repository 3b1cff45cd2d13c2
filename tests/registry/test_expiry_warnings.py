"""Producers are warned 90, 30 and 7 days before expiry, once each."""

from datetime import date, timedelta

import pytest
from django.core import mail

from marketplace.registry.models import ExpiryWarning
from marketplace.registry.services import expiry_warnings_send
from marketplace.registry.tasks import expiry_warnings_task
from tests.factories import certified_product_create, producer_create

pytestmark = pytest.mark.django_db


def _expiring(days_left: int, *, today: date, email: str = "htx@example.vn"):
    producer = producer_create(f"HTX hết hạn {days_left}", email=email)
    expiry = today + timedelta(days=days_left)
    return certified_product_create(
        producer=producer, issued_on=expiry - timedelta(days=1095), expiry_date=expiry
    ).certificate


def test_each_threshold_mails_once():
    today = date(2026, 11, 28)
    cert = _expiring(90, today=today)
    # when the daily task runs on the 90-day mark, then again the next day
    assert expiry_warnings_send(today=today) == 1
    assert expiry_warnings_send(today=today + timedelta(days=1)) == 0
    # then one mail went to the producer, in Vietnamese, naming the certificate
    assert len(mail.outbox) == 1
    assert mail.outbox[0].to == ["htx@example.vn"]
    assert cert.number in mail.outbox[0].subject
    # and at 30 and 7 days left, one more each
    assert expiry_warnings_send(today=today + timedelta(days=60)) == 1
    assert expiry_warnings_send(today=today + timedelta(days=83)) == 1
    assert expiry_warnings_send(today=today + timedelta(days=84)) == 0
    assert sorted(ExpiryWarning.objects.values_list("days_before", flat=True)) == [7, 30, 90]


def test_a_late_discovery_gets_only_the_nearest_warning():
    today = date(2026, 11, 28)
    _expiring(20, today=today)
    assert expiry_warnings_send(today=today) == 1
    assert list(ExpiryWarning.objects.values_list("days_before", flat=True)) == [30]


def test_far_or_expired_certificates_get_no_mail():
    today = date(2026, 11, 28)
    _expiring(200, today=today)
    _expiring(-1, today=today)
    assert expiry_warnings_send(today=today) == 0
    assert mail.outbox == []


def test_the_task_sends_through_celery(settings):
    from marketplace.ocop.dates import today_in_vietnam

    _expiring(7, today=today_in_vietnam())
    assert expiry_warnings_task.delay().get() == {"sent": 1}

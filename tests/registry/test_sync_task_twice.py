"""The scheduled registry sync delivered twice: one after the other, the
second finds everything unchanged; at once (acks_late redelivery, or two
beats), one applies and the other is recorded as skipped."""

import pytest

from marketplace.ocop.models import Certificate, Producer
from marketplace.registry.models import SyncRun, SyncStatus
from marketplace.registry.tasks import registry_sync_task
from tests.registry.records import registry_record
from tests.twice import committed_db, deliver_at_once

RECORDS = 6


@pytest.fixture
def registry(standin, settings):
    settings.REGISTRY_URL = standin.url
    settings.REGISTRY_MIN_INTERVAL = 0.0
    standin.set_records([registry_record(i) for i in range(1, RECORDS + 1)])
    return standin


@pytest.mark.django_db
def test_delivered_twice_in_a_row_the_second_changes_nothing(registry):
    first = registry_sync_task()
    second = registry_sync_task()
    assert (first["status"], second["status"]) == ("succeeded", "succeeded")
    runs = SyncRun.objects.order_by("started_at")
    assert [(r.created, r.unchanged) for r in runs] == [(RECORDS, 0), (0, RECORDS)]
    assert Certificate.objects.count() == RECORDS


@committed_db
def test_delivered_twice_at_once_one_applies_and_the_other_is_skipped(registry):
    # each page answers slowly, so the first sync is still crawling when the
    # second starts
    registry.set_faults(delay=0.5)
    results = deliver_at_once(registry_sync_task)
    assert sorted(r["status"] for r in results) == ["skipped", "succeeded"]
    applied = SyncRun.objects.get(status=SyncStatus.SUCCEEDED)
    assert applied.created == RECORDS
    skipped = SyncRun.objects.get(status=SyncStatus.SKIPPED)
    assert skipped.finished_at is not None and "another sync is running" in skipped.alert
    assert (skipped.seen, skipped.created) == (0, 0)
    assert Certificate.objects.count() == RECORDS
    assert Producer.objects.count() == 3


@committed_db
def test_the_slot_is_free_again_once_a_sync_has_ended(registry):
    registry.set_faults(delay=0.2)
    deliver_at_once(registry_sync_task)
    registry.reset_faults()
    # a later delivery runs in full: nothing held the slot past its run
    assert registry_sync_task()["status"] == "succeeded"
    assert SyncRun.objects.filter(status=SyncStatus.SKIPPED).count() == 1

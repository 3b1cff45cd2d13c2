"""A rejected record is stored once per distinct record, with when it was
first and last seen and how often, so operators see what is still failing."""

import pytest

from marketplace.registry.models import RejectedRecord
from marketplace.registry.services import certificate_sync
from tests.registry.records import registry_record

pytestmark = pytest.mark.django_db


def test_the_same_bad_record_on_every_run_is_one_row_with_a_count(standin, registry_client):
    # given a registry that sends the same two bad records every day
    good = [registry_record(i) for i in range(1, 6)]
    bad = [registry_record(901, ocop_star="năm"), {"name": "không có id"}]
    standin.set_records(good + bad)
    # when it is synced three times
    runs = [certificate_sync(client=registry_client) for _ in range(3)]
    # then each bad record is one row, seen three times, first in run 1 and last in run 3
    assert [run.rejected for run in runs] == [2, 2, 2]
    rows = RejectedRecord.objects.order_by("registry_id")
    assert [(r.registry_id, r.seen_count) for r in rows] == [("", 3), ("901", 3)]
    for row in rows:
        assert (row.first_run, row.sync_run) == (runs[0], runs[2])
        assert row.created_at < row.last_seen_at


def test_a_record_that_changes_is_a_new_rejection_and_the_old_one_stops(standin, registry_client):
    standin.set_records(
        [registry_record(i) for i in range(1, 6)] + [registry_record(9, ocop_star="x")]
    )
    first = certificate_sync(client=registry_client)
    standin.set_records(
        [registry_record(i) for i in range(1, 6)] + [registry_record(9, ocop_star="y")]
    )
    second = certificate_sync(client=registry_client)
    assert RejectedRecord.objects.count() == 2
    still_failing = RejectedRecord.objects.filter(sync_run=second)
    assert [r.raw["ocop_star"] for r in still_failing] == ["y"]
    assert RejectedRecord.objects.get(raw__ocop_star="x").sync_run == first

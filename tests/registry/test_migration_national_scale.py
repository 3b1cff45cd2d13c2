"""Migrations 0005-0007 on a database from before: decision-list certificates and
runs are labelled, and repeated rejections fold into one row each."""

import pytest
from django.db import connection
from django.db.migrations.executor import MigrationExecutor

pytestmark = [
    pytest.mark.django_db(transaction=True),
    pytest.mark.usefixtures("schema_back_to_latest"),
]

BEFORE = [("registry", "0004_producer_story")]
AFTER = [("registry", "0007_identity_constraints")]


def _migrate(target):
    executor = MigrationExecutor(connection)
    executor.loader.build_graph()
    executor.migrate(target)
    return executor.loader.project_state(target).apps


def test_migrating_labels_sources_and_folds_repeated_rejections(standin, registry_client):
    # given the schema and data as they were before
    apps = _migrate(BEFORE)
    Partner = apps.get_model("partner", "Partner")
    Producer = apps.get_model("registry", "Producer")
    Certificate = apps.get_model("registry", "Certificate")
    SyncRun = apps.get_model("registry", "SyncRun")
    RejectedRecord = apps.get_model("registry", "RejectedRecord")
    producer = Producer.objects.create(
        registry_key="htx a", name="HTX A", partner=Partner.objects.create(name="HTX A")
    )
    common = {"producer": producer, "stars": 4, "issued_on": "2025-01-01", "raw": {}}
    common |= {"expiry_date": "2028-01-01", "product_type": "food"}
    Certificate.objects.create(registry_id=-5, number="1/QĐ", name="Từ danh sách", **common)
    Certificate.objects.create(registry_id=5, number="2/QĐ", name="Quốc gia", **common)
    national = [SyncRun.objects.create(source="https://registry/") for _ in range(3)]
    listed = SyncRun.objects.create(source="var/uploads/quyet-dinh.xlsx")
    for run in national:
        RejectedRecord.objects.create(
            sync_run=run, registry_id="9", raw={"id": 9, "ocop_star": "bốn"}, reason="sao"
        )
    RejectedRecord.objects.create(
        sync_run=listed, raw={"_rejected_reason": "dòng 4: thiếu", "line": 4}, reason="dòng 4"
    )
    # when the migration runs
    apps = _migrate(AFTER)
    Certificate = apps.get_model("registry", "Certificate")
    SyncRun = apps.get_model("registry", "SyncRun")
    RejectedRecord = apps.get_model("registry", "RejectedRecord")
    Producer = apps.get_model("registry", "Producer")
    # then sources are labelled
    assert dict(Certificate.objects.values_list("registry_id", "source")) == {
        -5: "decision_list",
        5: "national",
    }
    assert SyncRun.objects.get(pk=listed.pk).source_kind == "decision_list"
    assert SyncRun.objects.get(pk=national[0].pk).source_kind == "national"
    # and the three copies of one rejection are one row, first and last run kept
    kept = RejectedRecord.objects.get(registry_id="9")
    assert (kept.seen_count, kept.first_run_id, kept.sync_run_id) == (
        3,
        national[0].pk,
        national[2].pk,
    )
    assert RejectedRecord.objects.get(source_kind="decision_list").seen_count == 1
    # and the producer waits for healing at the next sync
    assert Producer.objects.get().registry_province is None
    # and the next sync that sees the same bad record counts it on that row
    from marketplace.registry.models import RejectedRecord as LiveRejectedRecord
    from marketplace.registry.services import certificate_sync

    standin.set_records([{"id": 9, "ocop_star": "bốn"}])
    certificate_sync(client=registry_client)
    assert LiveRejectedRecord.objects.get(registry_id="9").seen_count == 4

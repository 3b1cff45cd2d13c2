"""certificate_sync against the stand-in registry over HTTP, on PostgreSQL."""

from datetime import date, timedelta

import pytest
from oscar.core.loading import get_model

from marketplace.ocop.models import Certificate, Producer
from marketplace.registry.models import CertificateChange, RejectedRecord, SyncRun
from marketplace.registry.services import certificate_sync
from tests.registry.records import registry_record

Product = get_model("catalogue", "Product")
StockRecord = get_model("partner", "StockRecord")

pytestmark = pytest.mark.django_db


def test_first_sync_creates_producers_certificates_and_products(standin, registry_client):
    # given a registry with 25 records across three producers
    standin.set_records([registry_record(i) for i in range(1, 26)])
    # when we sync
    run = certificate_sync(client=registry_client)
    # then everything is created, each certificate with one product
    assert (run.status, run.seen, run.created, run.rejected) == ("succeeded", 25, 25, 0)
    assert Certificate.objects.count() == 25
    assert Producer.objects.count() == 3
    product = Product.objects.get(certificate__registry_id=7)
    assert product.title == "Sản phẩm thử 7"
    record = StockRecord.objects.get(product=product)
    assert record.partner == product.certificate.producer.partner
    assert record.price is None  # the producer sets the price
    producer = Producer.objects.get(registry_key="htx thử nghiệm 1")
    assert (producer.province, producer.ward, producer.kind) == (
        "Hà Nội",
        "Bát Tràng",
        "cooperative",
    )


def test_second_sync_of_the_same_data_reports_everything_unchanged(standin, registry_client):
    standin.set_records([registry_record(i) for i in range(1, 26)])
    certificate_sync(client=registry_client)
    run = certificate_sync(client=registry_client)
    assert (run.created, run.updated, run.unchanged, run.withdrawn) == (0, 0, 25, 0)
    assert CertificateChange.objects.count() == 0


def test_rerating_updates_stars_and_records_history(standin, registry_client):
    standin.set_records([registry_record(1, ocop_star=3)])
    certificate_sync(client=registry_client)
    # when the registry re-rates the product 4★
    standin.set_records([registry_record(1, ocop_star=4)])
    run = certificate_sync(client=registry_client)
    cert = Certificate.objects.get(registry_id=1)
    assert run.updated == 1 and cert.stars == 4
    change = cert.changes.get(field="stars")
    assert (change.old_value, change.new_value, change.sync_run) == ("3", "4", run)


def test_expiry_defaults_to_36_months_from_issue(standin, registry_client):
    standin.set_records([registry_record(1, issued_on="2024-02-29", expiry_date=None)])
    certificate_sync(client=registry_client)
    assert Certificate.objects.get(registry_id=1).expiry_date == date(2027, 2, 28)


def test_absent_from_a_complete_crawl_is_withdrawn_never_deleted(standin, registry_client):
    standin.set_records([registry_record(i) for i in range(1, 11)])
    certificate_sync(client=registry_client)
    # when record 10 disappears from the registry (10% shrink is within the guard)
    standin.set_records([registry_record(i) for i in range(1, 10)])
    run = certificate_sync(client=registry_client)
    cert = Certificate.objects.get(registry_id=10)
    assert run.withdrawn == 1 and run.status == "succeeded"
    assert cert.status == "withdrawn"
    assert Product.objects.filter(certificate=cert).exists()
    assert cert.changes.get(field="status").new_value == "withdrawn"


def test_truncated_crawl_changes_nothing(standin, registry_client):
    standin.set_records([registry_record(i) for i in range(1, 31)])
    certificate_sync(client=registry_client)
    # when the registry's crawl silently stops after page 2 of 3, and a record changed
    standin.set_records(
        [registry_record(1, ocop_star=5, is_national=True)]
        + [registry_record(i) for i in range(2, 31)]
    )
    standin.set_faults(truncate_after_page=2)
    run = certificate_sync(client=registry_client)
    # then the run failed with an alert and nothing moved
    assert run.status == "failed" and not run.complete_crawl and run.alert
    assert Certificate.objects.filter(status="withdrawn").count() == 0
    assert Certificate.objects.get(registry_id=1).stars == 4


def test_page_that_fails_mid_crawl_changes_nothing(standin, registry_client):
    standin.set_records([registry_record(i) for i in range(1, 31)])
    certificate_sync(client=registry_client)
    standin.set_records([registry_record(i) for i in range(1, 21)])
    standin.set_faults(fail_pages=[2])
    run = certificate_sync(client=registry_client)
    assert run.status == "failed"
    assert "page=2" in run.error
    assert Certificate.objects.filter(status="withdrawn").count() == 0


def test_shrink_below_the_guard_withdraws_nothing_and_alerts(standin, registry_client):
    standin.set_records([registry_record(i) for i in range(1, 21)])
    certificate_sync(client=registry_client)
    # when a complete crawl suddenly has 15 of the 20 (75% < 90%)
    standin.set_records([registry_record(i) for i in range(1, 16)])
    run = certificate_sync(client=registry_client)
    assert run.status == "alert" and "90%" in run.alert
    assert run.withdrawn == 0
    assert Certificate.objects.filter(status="withdrawn").count() == 0


def test_malformed_records_are_rejected_with_reasons_while_good_ones_land(standin, registry_client):
    # given good records plus four malformed ones
    bad = [
        {"name": "không có id"},
        registry_record(901, ocop_star="năm"),
        registry_record(902, issued_on="31/02/2024"),
        registry_record(903, manufacturer=None),
    ]
    standin.set_records([registry_record(i) for i in range(1, 6)] + bad)
    # when we sync
    run = certificate_sync(client=registry_client)
    # then the good ones land and each bad one is stored with its reason
    assert (run.created, run.rejected) == (5, 4)
    reasons = {r.registry_id: r.reason for r in RejectedRecord.objects.filter(sync_run=run)}
    assert "id" in reasons[""]
    assert "ocop_star" in reasons["901"]
    assert "issued_on" in reasons["902"]
    assert "manufacturer" in reasons["903"]


def test_injected_malformed_records_from_the_standin_are_rejected(standin, registry_client):
    standin.set_records([registry_record(i) for i in range(1, 21)])
    standin.set_faults(malformed=3)
    run = certificate_sync(client=registry_client)
    assert run.rejected == 3 and run.created == 20


def test_dry_run_counts_but_changes_nothing(standin, registry_client):
    standin.set_records([registry_record(i) for i in range(1, 6)])
    run = certificate_sync(client=registry_client, dry_run=True)
    assert run.created == 5 and run.dry_run
    assert Certificate.objects.count() == 0 and Product.objects.count() == 0
    assert SyncRun.objects.filter(pk=run.pk).exists()


def test_a_reappearing_withdrawn_certificate_becomes_valid_again(standin, registry_client):
    standin.set_records([registry_record(i) for i in range(1, 11)])
    certificate_sync(client=registry_client)
    standin.set_records([registry_record(i) for i in range(1, 10)])
    certificate_sync(client=registry_client)
    standin.set_records([registry_record(i) for i in range(1, 11)])
    run = certificate_sync(client=registry_client)
    assert run.updated == 1
    assert Certificate.objects.get(registry_id=10).status == "valid"


def test_renamed_product_follows_the_registry(standin, registry_client):
    standin.set_records([registry_record(1)])
    certificate_sync(client=registry_client)
    standin.set_records([registry_record(1, name="Tên mới")])
    certificate_sync(client=registry_client)
    assert Product.objects.get(certificate__registry_id=1).title == "Tên mới"


def test_potential_five_star_is_a_distinct_flag(standin, registry_client):
    standin.set_records(
        [
            registry_record(1, ocop_star=5, is_national=False),
            registry_record(2, ocop_star=5, is_national=True),
        ]
    )
    certificate_sync(client=registry_client)
    assert Certificate.objects.get(registry_id=1).is_potential_five_star
    assert not Certificate.objects.get(registry_id=2).is_potential_five_star


def test_sync_command_shows_a_summary_line(standin, capsys, settings):
    from django.core.management import call_command

    standin.set_records([registry_record(i) for i in range(1, 4)])
    call_command("sync_registry", "--source", standin.url)
    out = capsys.readouterr().out
    assert "succeeded" in out and "created 3" in out


def test_sync_task_uses_the_configured_registry(standin, settings):
    from marketplace.registry.tasks import registry_sync_task

    settings.REGISTRY_URL = standin.url
    standin.set_records([registry_record(i) for i in range(1, 4)])
    result = registry_sync_task.delay().get()
    assert result["status"] == "succeeded"
    assert Certificate.objects.count() == 3


def test_expiring_certificate_dates_are_kept(standin, registry_client):
    soon = date.today() + timedelta(days=10)
    standin.set_records([registry_record(1, expiry_date=soon.isoformat())])
    certificate_sync(client=registry_client)
    assert Certificate.objects.get(registry_id=1).expiry_date == soon

"""Only absence withdraws: a known product whose record arrives garbled is
seen, keeps its last good data, and is flagged to operators."""

import pytest
from oscar.core.loading import get_model

from marketplace.ocop.dates import today_in_vietnam
from marketplace.ocop.models import Certificate
from marketplace.registry.models import CertificateChange, RejectedRecord
from marketplace.registry.services import certificate_sync
from tests.registry.records import registry_record

Product = get_model("catalogue", "Product")
StockRecord = get_model("partner", "StockRecord")

pytestmark = pytest.mark.django_db

GARBLED = {
    "stars in words": {"ocop_star": "bốn"},
    "impossible date": {"issued_on": "31/02/2025"},
    "no manufacturer": {"manufacturer": None},
}


def _certificate_data(registry_id: int) -> dict:
    """Everything the registry owns on a certificate (not the streak counter)."""
    values = Certificate.objects.values().get(registry_id=registry_id)
    return {k: v for k, v in values.items() if not k.startswith("unreadable_")}


def _listable_product(registry_id: int):
    product = Product.objects.get(certificate__registry_id=registry_id)
    StockRecord.objects.filter(product=product).update(price=120000, num_in_stock=5)
    return product


@pytest.mark.parametrize("garble", GARBLED.values(), ids=GARBLED.keys())
def test_a_garbled_record_keeps_a_known_certificate_as_it_was(
    standin, registry_client, django_capture_on_commit_callbacks, reindex_requests, garble
):
    # given a known, valid, listable certificate among ten
    standin.set_records([registry_record(i) for i in range(1, 11)])
    certificate_sync(client=registry_client)
    product = _listable_product(3)
    before = _certificate_data(3)
    # when the next complete crawl sends its record garbled
    standin.set_records(
        [registry_record(i) for i in range(1, 11) if i != 3] + [registry_record(3, **garble)]
    )
    reindex_requests.clear()
    with django_capture_on_commit_callbacks(execute=True):
        run = certificate_sync(client=registry_client)
    # then it is not withdrawn, not changed, not reindexed, and still listable
    assert run.withdrawn == 0 and run.kept_unreadable == 1 and run.rejected == 1
    assert _certificate_data(3) == before
    assert not CertificateChange.objects.filter(certificate__registry_id=3).exists()
    assert not any(product.pk in ids for ids in reindex_requests)
    assert Product.objects.listable(on=today_in_vietnam()).filter(pk=product.pk).exists()
    # and the run flags it to operators, linked to the certificate it kept
    rejection = RejectedRecord.objects.get(sync_run=run)
    assert rejection.certificate.registry_id == 3
    assert "giữ dữ liệu tốt gần nhất" in rejection.reason
    assert "kept the last good data" in run.alert


def test_a_garbled_unknown_record_is_only_rejected(standin, registry_client):
    standin.set_records([registry_record(i) for i in range(1, 11)])
    certificate_sync(client=registry_client)
    standin.set_records(
        [registry_record(i) for i in range(1, 11)] + [registry_record(99, ocop_star="bốn")]
    )
    run = certificate_sync(client=registry_client)
    assert (run.rejected, run.kept_unreadable) == (1, 0)
    assert RejectedRecord.objects.get(sync_run=run).certificate is None
    assert not Certificate.objects.filter(registry_id=99).exists()


def test_a_certificate_absent_from_the_crawl_is_still_withdrawn(standin, registry_client):
    # given ten known certificates
    standin.set_records([registry_record(i) for i in range(1, 11)])
    certificate_sync(client=registry_client)
    # when one record is garbled and another is simply gone
    standin.set_records(
        [registry_record(i) for i in range(1, 10) if i != 3]
        + [registry_record(3, manufacturer=None)]
    )
    run = certificate_sync(client=registry_client)
    # then only the absent one is withdrawn
    assert run.withdrawn == 1
    statuses = dict(Certificate.objects.values_list("registry_id", "status"))
    assert statuses[3] == "valid" and statuses[10] == "withdrawn"


def test_unreadable_for_n_crawls_in_a_row_raises_an_alert_and_withdraws_nothing(
    standin, registry_client, settings
):
    settings.REGISTRY_UNREADABLE_ALERT_CRAWLS = 3
    good = [registry_record(i) for i in range(1, 11) if i != 3]
    standin.set_records(good + [registry_record(3)])
    certificate_sync(client=registry_client)
    # when record 3 stays garbled for two crawls, there is no alert yet
    standin.set_records(good + [registry_record(3, ocop_star="bốn")])
    runs = [certificate_sync(client=registry_client) for _ in range(2)]
    assert [r.status for r in runs] == ["succeeded", "succeeded"]
    assert Certificate.objects.get(registry_id=3).unreadable_crawls == 2
    # and the third in a row raises one, naming the certificate
    run = certificate_sync(client=registry_client)
    assert run.status == "alert" and "3 lượt liên tiếp" in run.alert and " 3" in run.alert
    assert Certificate.objects.get(registry_id=3).status == "valid"
    # and one good record ends the streak
    standin.set_records(good + [registry_record(3)])
    run = certificate_sync(client=registry_client)
    assert run.status == "succeeded"
    cert = Certificate.objects.get(registry_id=3)
    assert (cert.unreadable_crawls, cert.unreadable_since) == (0, None)

"""Records the registry garbles in ways nobody foresaw: each is rejected
with a reason, a known product keeps its last good data, and no single
record can fail the sync."""

import pytest

from marketplace.ocop.models import Certificate, Producer
from marketplace.registry import sync
from marketplace.registry.models import RejectedRecord, SyncRun
from marketplace.registry.services import certificate_sync
from tests.registry.records import registry_record

pytestmark = pytest.mark.django_db


def _known_ten(standin, registry_client):
    standin.set_records([registry_record(i) for i in range(1, 11)])
    certificate_sync(client=registry_client)


def _others(but: int) -> list[dict]:
    return [registry_record(i) for i in range(1, 11) if i != but]


@pytest.mark.parametrize("sent_id", ["3", 3.0, " 3 "], ids=["string", "float", "padded"])
def test_a_known_id_sent_in_another_type_is_seen_not_withdrawn(standin, registry_client, sent_id):
    _known_ten(standin, registry_client)
    standin.set_records(_others(3) + [registry_record(3, id=sent_id)])
    run = certificate_sync(client=registry_client)
    assert (run.withdrawn, run.kept_unreadable) == (0, 1)
    assert Certificate.objects.get(registry_id=3).status == "valid"


HOSTILE = {
    "year 9999": {"issued_on": "9999-06-01"},
    "NUL in a text": {"description": "men lam\u0000"},
    "NUL in a bad field": {"ocop_star": "bốn\u0000"},
    "name is a list": {"name": ["Gốm"]},
    "name is an object": {"name": {"vi": "Gốm"}},
    "producer name is a list": {"manufacturer": {"name": ["HTX A"], "address": "Hà Nội"}},
    "issued_on is a number": {"issued_on": 20250101},
}


@pytest.mark.parametrize("garble", HOSTILE.values(), ids=HOSTILE.keys())
def test_no_single_record_fails_the_sync(standin, registry_client, garble):
    # given ten known products
    _known_ten(standin, registry_client)
    before = dict(Certificate.objects.values_list("registry_id", "name"))
    # when the next crawl sends a new record garbled this way, and product 3 the same way
    standin.set_records(_others(3) + [registry_record(3, **garble), registry_record(50, **garble)])
    run = certificate_sync(client=registry_client)
    # then the sync succeeded, both were rejected with a reason, and nothing changed
    assert run.status == "succeeded" and run.withdrawn == 0
    assert run.rejected == 2
    assert dict(Certificate.objects.values_list("registry_id", "name")) == before
    assert all(r.reason for r in RejectedRecord.objects.filter(sync_run=run))
    assert not Producer.objects.filter(name__startswith="[").exists()


def test_an_id_beyond_the_database_range_is_rejected(standin, registry_client):
    _known_ten(standin, registry_client)
    standin.set_records(_others(0) + [registry_record(50, id=2**63)])
    run = certificate_sync(client=registry_client)
    assert (run.status, run.rejected, run.created) == ("succeeded", 1, 0)
    assert "id" in RejectedRecord.objects.get(sync_run=run).reason


def test_an_id_sent_twice_is_rejected_both_times_whatever_the_order(standin, registry_client):
    # given ten known products
    _known_ten(standin, registry_client)
    one = registry_record(3, ocop_star=5)
    other = registry_record(3, ocop_star=3)
    other["manufacturer"] = {**other["manufacturer"], "name": "HTX Khác hẳn"}
    outcomes = []
    for pair in ([one, other], [other, one]):
        # when the crawl carries two readable copies of id 3, in either order
        standin.set_records(_others(3) + pair)
        run = certificate_sync(client=registry_client)
        cert = Certificate.objects.select_related("producer").get(registry_id=3)
        outcomes.append((run.rejected, run.kept_unreadable, cert.stars, cert.producer.name))
    # then both copies are refused, the product keeps its data, in both orders
    assert outcomes[0] == outcomes[1] == (2, 1, 4, "HTX Thử nghiệm 0")


def test_the_shrink_guard_compares_with_the_last_good_crawl_even_after_an_alert(
    standin, registry_client, settings
):
    # given a registry of 200, then a record unreadable long enough to alert
    settings.REGISTRY_UNREADABLE_ALERT_CRAWLS = 1
    standin.set_records([registry_record(i) for i in range(1, 201)])
    certificate_sync(client=registry_client)
    # when the registry grows to 400 while the alert keeps firing
    grown = [registry_record(i) for i in range(1, 401)]
    grown[0] = registry_record(1, ocop_star="bốn")
    standin.set_records(grown)
    assert certificate_sync(client=registry_client).status == "alert"
    # then a crawl of 300 is measured against the 400, and withdraws nothing
    standin.set_records(grown[:300])
    run = certificate_sync(client=registry_client)
    assert run.shrink_guarded and run.withdrawn == 0


def test_an_interrupted_sync_ends_failed_not_running(standin, registry_client, monkeypatch):
    standin.set_records([registry_record(i) for i in range(1, 4)])

    def interrupted(*args, **kwargs):
        raise KeyboardInterrupt

    monkeypatch.setattr(sync, "producers_heal", interrupted)
    with pytest.raises(KeyboardInterrupt):
        certificate_sync(client=registry_client)
    run = SyncRun.objects.get()
    assert run.status == "failed" and "dừng giữa chừng" in run.error

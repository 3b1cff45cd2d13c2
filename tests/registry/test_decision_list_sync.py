"""A province's decision list syncs through the same service, partially."""

from pathlib import Path

import pytest

from marketplace.ocop.models import Certificate
from marketplace.registry.models import RejectedRecord
from marketplace.registry.services import certificate_sync
from marketplace.registry.sources import registry_source

FIXTURE = Path(__file__).parent / "fixtures" / "decisions_hanoi.csv"

pytestmark = pytest.mark.django_db


def test_decision_list_rows_land_and_bad_rows_are_rejected_with_their_line(standin):
    # given a certificate known from the national API
    from tests.registry.records import registry_record

    standin.set_records([registry_record(1)])
    api_client, _full = registry_source(standin.url)
    certificate_sync(client=api_client)
    # when a province's CSV decision list is synced
    client, full = registry_source(str(FIXTURE))
    run = certificate_sync(client=client, reconcile_absences=full)
    # then its good rows become certificates, its bad rows are rejected with a reason
    assert not full
    assert run.created == 7 and run.rejected == 2
    assert all("dòng" in r.reason for r in RejectedRecord.objects.filter(sync_run=run))
    # and the partial list withdrew nothing it did not mention
    assert Certificate.objects.get(registry_id=1).status == "valid"
    assert Certificate.objects.filter(registry_id__lt=0).count() == 7


def test_missing_source_file_is_a_clear_error():
    with pytest.raises(ValueError, match="not found"):
        registry_source("/nonexistent/decisions.xlsx")

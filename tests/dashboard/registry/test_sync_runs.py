"""Operators see sync runs and rejected records, and can start a sync."""

import re

import pytest
from django.utils.formats import date_format
from django.utils.timezone import localtime

from marketplace.ocop.models import RecordSource
from marketplace.registry.models import RejectedRecord, SyncRun
from marketplace.registry.services import certificate_sync, decision_list_import
from tests.registry import decision_list_files
from tests.registry.records import registry_record

pytestmark = pytest.mark.django_db


def test_operator_sees_runs_counts_and_rejections(admin_client, standin, registry_client):
    standin.set_records([registry_record(1), {"name": "không có id"}])
    run = certificate_sync(client=registry_client)
    html = admin_client.get("/dashboard/registry/").content.decode()
    assert f"/dashboard/registry/{run.pk}/" in html
    detail = admin_client.get(f"/dashboard/registry/{run.pk}/").content.decode()
    assert "thiếu hoặc sai id" in detail


def test_operator_starts_a_sync_from_the_dashboard(admin_client, standin, settings):
    settings.REGISTRY_URL = standin.url
    standin.set_records([registry_record(i) for i in range(1, 4)])
    response = admin_client.post("/dashboard/registry/start/")
    assert response.status_code == 302
    assert SyncRun.objects.get().created == 3


def test_dashboard_menu_links_to_sync_runs(admin_client):
    html = admin_client.get("/dashboard/").content.decode()
    assert "/dashboard/registry/" in html


@pytest.mark.parametrize("path", ["/dashboard/registry/", "/dashboard/registry/start/"])
def test_customers_cannot_see_or_start_syncs(client, django_user_model, path):
    user = django_user_model.objects.create_user("khach", "khach@example.vn", "pw-12345-xyz")
    client.force_login(user)
    response = client.post(path) if path.endswith("start/") else client.get(path)
    assert response.status_code in (302, 403)
    assert SyncRun.objects.count() == 0


def test_operators_see_what_is_still_failing_and_since_when(
    admin_client, standin, registry_client, tmp_path
):
    # given a province's list imported with one bad row
    list_run = SyncRun.objects.create(source="ds.xlsx", source_kind=RecordSource.DECISION_LIST)
    decision_list_import(run=list_run, path=decision_list_files.operator_upload_list(tmp_path))
    # and two national syncs: 901 bad both times, 902 bad then fixed, and
    # known product 5 sent garbled the second time (its certificate kept)
    good = [registry_record(i) for i in range(1, 21)]
    standin.set_records(
        [*good, registry_record(901, ocop_star="năm"), registry_record(902, ocop_star="x")]
    )
    certificate_sync(client=registry_client)
    good[4] = registry_record(5, ocop_star="bốn")
    standin.set_records([*good, registry_record(901, ocop_star="năm"), registry_record(902)])
    certificate_sync(client=registry_client)

    # when an operator opens the rejected records from the sync page
    sync_page = admin_client.get("/dashboard/registry/").content.decode()
    assert "/dashboard/registry/rejected/" in sync_page
    html = admin_client.get("/dashboard/registry/rejected/").content.decode()

    # then the still-failing ones are listed, newest sighting first, each marked,
    # with its count, first and last sighting, and the certificate kept for product 5
    rows = html.split('data-testid="rejected-record"')[1:]
    assert len(rows) == 3 and all("còn lỗi" in row for row in rows)
    ids = [re.search(r'"registry-id">([^<]*)<', row).group(1) for row in rows]
    assert set(ids[:2]) == {"5", "901"}
    assert ids[2] == "—" and "dòng 15: số sao không hợp lệ" in rows[2]  # the list's row
    by_id = dict(zip(ids, rows, strict=True))
    assert '"seen-count">2 lần<' in by_id["901"]
    assert "5/QĐ-UBND · Sản phẩm thử 5" in by_id["5"]
    rejected = RejectedRecord.objects.get(registry_id="901")
    assert rejected.created_at < rejected.last_seen_at
    for seen in (rejected.created_at, rejected.last_seen_at):
        assert date_format(localtime(seen), "SHORT_DATETIME_FORMAT") in by_id["901"]
    # and the fixed record 902 shows only among all, with no marker
    everything = admin_client.get("/dashboard/registry/rejected/?all=1").content.decode()
    rows = everything.split('data-testid="rejected-record"')[1:]
    fixed = [row for row in rows if '"registry-id">902<' in row]
    assert len(rows) == 4 and len(fixed) == 1 and "còn lỗi" not in fixed[0]

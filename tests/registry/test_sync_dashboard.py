"""Operators see sync runs and rejected records, and can start a sync."""

import pytest

from marketplace.registry.models import SyncRun
from marketplace.registry.services import certificate_sync
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

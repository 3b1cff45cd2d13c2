"""Starting a sync from the dashboard while the broker is down says so
instead of answering 500 (issue 13, finding 2)."""

import pytest

from marketplace.registry.models import SyncRun

pytestmark = pytest.mark.django_db


def test_a_sync_started_while_the_broker_is_down_is_refused_with_a_message(
    admin_client, broker_down
):
    # when an operator starts a sync while the broker is down
    with broker_down():
        response = admin_client.post("/dashboard/registry/start/", follow=True)
    # then the page answers and says it did not start
    assert response.status_code == 200
    assert "Chưa bắt đầu được đồng bộ" in response.content.decode()
    assert not SyncRun.objects.exists()

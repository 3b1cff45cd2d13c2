"""Operators invite producers from the dashboard."""

import pytest
from django.urls import reverse

from marketplace.producers.models import ProducerClaim
from tests.factories import producer_create

pytestmark = pytest.mark.django_db


def test_an_operator_invites_a_producer_at_its_registry_email(
    admin_client, admin_user, mailoutbox, django_capture_on_commit_callbacks
):
    producer = producer_create("HTX Lụa Vạn Phúc", email="htx@vanphuc.vn")
    producer_create("HTX Gốm Bát Tràng", email="htx@battrang.vn")
    listing = admin_client.get(reverse("dashboard:producers-list"), {"q": "lua van phuc"})
    assert "HTX Lụa Vạn Phúc" in listing.content.decode()
    assert "HTX Gốm Bát Tràng" not in listing.content.decode()
    with django_capture_on_commit_callbacks(execute=True):
        admin_client.post(reverse("dashboard:producers-invite", args=[producer.pk]))
    claim = ProducerClaim.objects.get()
    assert claim.invited_by == admin_user and claim.email == "htx@vanphuc.vn"
    assert mailoutbox[-1].to == ["htx@vanphuc.vn"]


def test_only_staff_may_invite(client, django_user_model):
    producer = producer_create("HTX Lụa Vạn Phúc", email="htx@vanphuc.vn")
    client.force_login(django_user_model.objects.create_user("u", "u@example.vn", "pw-123456"))
    response = client.post(reverse("dashboard:producers-invite", args=[producer.pk]))
    assert response.status_code == 302 and "/login" in response["Location"]
    assert not ProducerClaim.objects.exists()


def test_the_dashboard_menu_links_to_producers(admin_client):
    html = admin_client.get("/dashboard/").content.decode()
    assert reverse("dashboard:producers-list") in html

"""The claim pages, through Django's test client."""

import re

import pytest
from django.urls import reverse

from marketplace.producers.models import ProducerMembership
from tests.factories import producer_create

pytestmark = pytest.mark.django_db


@pytest.fixture
def signed_in(client, django_user_model):
    user = django_user_model.objects.create_user("chuthe", "me@example.vn", "pw-123456")
    client.force_login(user)
    return user


def test_claim_pages_need_a_signed_in_user(client):
    response = client.get(reverse("producers:claim-find"))
    assert response.status_code == 302 and "/login" in response["Location"]


def test_find_send_and_enter_the_code(
    client, signed_in, mailoutbox, django_capture_on_commit_callbacks
):
    producer = producer_create("HTX Gốm sứ Bát Tràng", email="htx@battrang.vn")
    producer_create("HTX Lụa Vạn Phúc", email="htx@vanphuc.vn")
    # the producer is found without accents, others are not, and the email is masked
    found = client.get(reverse("producers:claim-find"), {"q": "gom su bat trang"})
    html = found.content.decode()
    assert "HTX Gốm sứ Bát Tràng" in html and "h***@battrang.vn" in html
    assert "htx@battrang.vn" not in html
    assert "HTX Lụa Vạn Phúc" not in html
    # sending the code mails the registry address
    with django_capture_on_commit_callbacks(execute=True):
        sent = client.post(reverse("producers:claim-send", args=[producer.pk]))
    assert sent["Location"] == reverse("producers:claim-code", args=[producer.pk])
    code = re.search(r"\b(\d{6})\b", mailoutbox[-1].body).group(1)
    # a wrong code is refused with how many tries are left
    wrong = f"{(int(code) + 1) % 10**6:06d}"
    refused = client.post(
        reverse("producers:claim-code", args=[producer.pk]), {"code": wrong}, follow=True
    )
    assert "còn 4 lần thử" in refused.content.decode()
    # the right code attaches the account and opens the producer's workspace
    done = client.post(
        reverse("producers:claim-code", args=[producer.pk]), {"code": code}, follow=True
    )
    assert done.redirect_chain[-1][0] == reverse("workspace:summary")
    assert "Tài khoản của bạn đã gắn với" in done.content.decode()
    assert (
        'data-testid="membership"' in client.get(reverse("producers:claim-find")).content.decode()
    )
    assert ProducerMembership.objects.get(user=signed_in).producer == producer

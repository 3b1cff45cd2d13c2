"""A claim code started while the broker is down is mailed later, once, and
works (issue 13, finding 2)."""

import re
from datetime import timedelta

import pytest
from django.utils import timezone

from marketplace.outbox.models import OutboxTask
from marketplace.outbox.tasks import outbox_sweep_task
from marketplace.producers.models import ProducerClaim
from marketplace.producers.services import ClaimRefused, claim_redeem, claim_start
from tests.factories import producer_create

pytestmark = pytest.mark.django_db(transaction=True)


@pytest.fixture
def producer():
    return producer_create("HTX Gốm Bát Tràng", email="htx@battrang.vn")


def _minutes_pass(minutes=5):
    OutboxTask.objects.update(created_at=timezone.now() - timedelta(minutes=minutes))


def _mailed_code(message) -> str:
    return re.search(r"\b(\d{6})\b", message.body).group(1)


def test_a_claim_started_while_the_broker_is_down_is_mailed_once_by_the_sweep(
    producer, django_user_model, mailoutbox, broker_down
):
    # given a claim started while the broker is down
    with broker_down():
        claim_start(producer=producer)
    # then the claim is committed, but no code exists yet, nor any mail
    claim = ProducerClaim.objects.get()
    assert claim.is_open() and mailoutbox == []
    user = django_user_model.objects.create_user("chuthe", "me@example.vn", "pw-123456")
    with pytest.raises(ClaimRefused):
        claim_redeem(user=user, producer=producer, code="000000")
    # when the sweep runs after its grace period, twice
    _minutes_pass()
    outbox_sweep_task()
    outbox_sweep_task()
    # then one code went to the registry email, and it works
    assert [m.to for m in mailoutbox] == [["htx@battrang.vn"]]
    membership = claim_redeem(user=user, producer=producer, code=_mailed_code(mailoutbox[0]))
    assert membership.producer == producer


def test_a_claim_replaced_before_its_mail_left_is_not_mailed(producer, mailoutbox, broker_down):
    # given two claims started while the broker is down, the second replacing the first
    with broker_down():
        claim_start(producer=producer)
        claim_start(producer=producer)
    # when the sweep sends what is owed
    _minutes_pass()
    outbox_sweep_task()
    # then only the open claim's code is mailed
    assert len(mailoutbox) == 1
    assert OutboxTask.objects.filter(done_at__isnull=True).count() == 0

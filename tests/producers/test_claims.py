"""Producer accounts by one-time code (real PostgreSQL)."""

import re
from datetime import timedelta

import pytest
from django.utils import timezone

from marketplace.producers.models import ProducerClaim, ProducerMembership
from marketplace.producers.services import ClaimRefused, claim_redeem, claim_start
from tests.factories import producer_create

pytestmark = pytest.mark.django_db


@pytest.fixture
def producer():
    return producer_create("HTX Gốm Bát Tràng", email="htx@battrang.vn")


@pytest.fixture
def user(django_user_model):
    return django_user_model.objects.create_user("chuthe", "me@example.vn", "pw-123456")


def _mailed_code(mailoutbox) -> str:
    return re.search(r"\b(\d{6})\b", mailoutbox[-1].body).group(1)


def _start(producer, django_capture_on_commit_callbacks, **kwargs):
    with django_capture_on_commit_callbacks(execute=True):
        return claim_start(producer=producer, **kwargs)


def test_the_code_goes_to_the_registry_email_and_works_once(
    producer, user, django_user_model, mailoutbox, django_capture_on_commit_callbacks
):
    # given a claim started for the producer
    _start(producer, django_capture_on_commit_callbacks)
    # then the code went to the email on the registry record, not stored in clear
    assert mailoutbox[-1].to == ["htx@battrang.vn"]
    code = _mailed_code(mailoutbox)
    assert code not in ProducerClaim.objects.get().code_hash
    # when the right code is entered, the user now acts for the producer
    membership = claim_redeem(user=user, producer=producer, code=code)
    assert membership.producer == producer
    # and the same code does not work a second time, for anyone
    other = django_user_model.objects.create_user("khac", "khac@example.vn", "pw-123456")
    with pytest.raises(ClaimRefused):
        claim_redeem(user=other, producer=producer, code=code)
    assert not ProducerMembership.objects.filter(user=other).exists()


def test_an_expired_code_is_refused(producer, user, mailoutbox, django_capture_on_commit_callbacks):
    _start(producer, django_capture_on_commit_callbacks)
    ProducerClaim.objects.update(expires_at=timezone.now() - timedelta(seconds=1))
    with pytest.raises(ClaimRefused, match="hết hạn"):
        claim_redeem(user=user, producer=producer, code=_mailed_code(mailoutbox))
    assert not ProducerMembership.objects.exists()


def test_wrong_guesses_lock_the_code(
    producer, user, mailoutbox, django_capture_on_commit_callbacks
):
    _start(producer, django_capture_on_commit_callbacks)
    code = _mailed_code(mailoutbox)
    wrong = f"{(int(code) + 1) % 10**6:06d}"
    for _ in range(5):
        with pytest.raises(ClaimRefused, match="không đúng"):
            claim_redeem(user=user, producer=producer, code=wrong)
    # after five wrong guesses even the right code is refused
    with pytest.raises(ClaimRefused, match="sai quá nhiều"):
        claim_redeem(user=user, producer=producer, code=code)
    assert not ProducerMembership.objects.exists()


def test_new_codes_are_rate_limited(producer, django_capture_on_commit_callbacks):
    for _ in range(3):
        _start(producer, django_capture_on_commit_callbacks)
    with pytest.raises(ClaimRefused, match="thử lại sau"):
        _start(producer, django_capture_on_commit_callbacks)


def test_a_newer_code_replaces_an_older_one(
    producer, user, mailoutbox, django_capture_on_commit_callbacks
):
    first = _start(producer, django_capture_on_commit_callbacks)
    _start(producer, django_capture_on_commit_callbacks)
    second = _mailed_code(mailoutbox)
    # the earlier claim is closed, not merely shadowed by the newer one
    first.refresh_from_db()
    assert not first.is_open()
    assert [c.is_open() for c in ProducerClaim.objects.order_by("created_at")] == [False, True]
    assert claim_redeem(user=user, producer=producer, code=second).producer == producer


def test_a_user_belongs_to_at_most_one_producer(
    producer, user, mailoutbox, django_capture_on_commit_callbacks
):
    _start(producer, django_capture_on_commit_callbacks)
    claim_redeem(user=user, producer=producer, code=_mailed_code(mailoutbox))
    other = producer_create("HTX Lụa Vạn Phúc", email="htx@vanphuc.vn")
    _start(other, django_capture_on_commit_callbacks)
    with pytest.raises(ClaimRefused, match="chỉ thuộc một chủ thể"):
        claim_redeem(user=user, producer=other, code=_mailed_code(mailoutbox))
    assert ProducerMembership.objects.get(user=user).producer == producer


def test_a_producer_without_a_registry_email_cannot_be_claimed(
    django_capture_on_commit_callbacks,
):
    with pytest.raises(ClaimRefused, match="chưa có email"):
        _start(producer_create("Hộ Nguyễn Văn A"), django_capture_on_commit_callbacks)

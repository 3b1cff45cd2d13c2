"""Claiming and inviting producer accounts.

`claim_start` mails a six-digit code to the email on the producer's
registry record: the registry, not the person asking, decides where the
code goes, so nobody can claim a producer whose mailbox they do not hold.
The mail is recorded with the claim (the outbox) and goes out once, even if
the broker is down; the code itself is made when the mail is sent
(`claim_codes.claim_code_issue`, in the worker), so it never rests
anywhere in clear.
`claim_redeem` turns a right code into a membership, once.
"""

from datetime import timedelta

from django.contrib.auth.hashers import check_password, make_password
from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from marketplace.ocop.models import Producer
from marketplace.ocop.text import fold
from marketplace.outbox.services import outbox_add
from marketplace.producers.claim_codes import CLAIM_LIFETIME
from marketplace.producers.models import ProducerClaim, ProducerMembership
from marketplace.producers.tasks import claim_code_mail_task

MAX_FAILED_ATTEMPTS = 5
# New codes per producer per hour: with 5 guesses each, at most 15 guesses
# an hour at a six-digit code.
MAX_CLAIMS_PER_HOUR = 3


class ClaimRefused(Exception):
    """The claim cannot go on; the message says why, in words for the user."""


def claim_start(*, producer, invited_by=None) -> ProducerClaim:
    """Open a claim and mail it a fresh code at the producer's registry
    email (after commit; the outbox sees that it goes out once)."""
    if not producer.email:
        raise ClaimRefused(
            _("Hồ sơ OCOP của chủ thể này chưa có email; hãy liên hệ ban quản lý sàn.")
        )
    recent = ProducerClaim.objects.filter(
        producer=producer, created_at__gte=timezone.now() - timedelta(hours=1)
    ).count()
    if recent >= MAX_CLAIMS_PER_HOUR and invited_by is None:
        raise ClaimRefused(_("Đã gửi nhiều mã trong một giờ qua; hãy thử lại sau."))
    with transaction.atomic():
        # a new code replaces any earlier open one
        ProducerClaim.objects.filter(producer=producer, used_at__isnull=True).update(
            expires_at=timezone.now()
        )
        claim = ProducerClaim.objects.create(
            producer=producer,
            email=producer.email,
            code_hash=make_password(None),  # matches no code until one is mailed
            expires_at=timezone.now() + CLAIM_LIFETIME,
            invited_by=invited_by,
        )
        outbox_add(task=claim_code_mail_task, claim_id=claim.pk)
    return claim


def claim_redeem(*, user, producer, code: str) -> ProducerMembership:
    """Make `user` a member of `producer` if `code` is the open claim's code."""
    with transaction.atomic():
        claim = (
            ProducerClaim.objects.select_for_update()
            .filter(producer=producer, used_at__isnull=True)
            .order_by("-created_at")
            .first()
        )
        if claim is None or not claim.is_open():
            raise ClaimRefused(_("Mã đã hết hạn hoặc đã được dùng; hãy yêu cầu mã mới."))
        if claim.failed_attempts >= MAX_FAILED_ATTEMPTS:
            raise ClaimRefused(_("Nhập sai quá nhiều lần; hãy yêu cầu mã mới."))
        wrong = not check_password(code.strip(), claim.code_hash)
        if wrong:
            # counted in this transaction, which commits; the refusal is
            # raised after it, so a rollback cannot erase the count
            claim.failed_attempts += 1
            claim.save(update_fields=["failed_attempts"])
    if wrong:
        left = MAX_FAILED_ATTEMPTS - claim.failed_attempts
        raise ClaimRefused(_("Mã không đúng; còn %(n)s lần thử.") % {"n": left})
    with transaction.atomic():
        claim = ProducerClaim.objects.select_for_update().get(pk=claim.pk)
        if not claim.is_open():
            raise ClaimRefused(_("Mã đã hết hạn hoặc đã được dùng; hãy yêu cầu mã mới."))
        existing = ProducerMembership.objects.filter(user=user).select_related("producer").first()
        if existing and existing.producer_id != producer.pk:
            raise ClaimRefused(
                _("Tài khoản này đã thuộc chủ thể %(name)s; mỗi tài khoản chỉ thuộc một chủ thể.")
                % {"name": existing.producer.name}
            )
        claim.used_at = timezone.now()
        claim.used_by = user
        claim.save(update_fields=["used_at", "used_by"])
        membership, _created = ProducerMembership.objects.get_or_create(
            user=user, defaults={"producer": producer}
        )
    return membership


def producers_named(query: str):
    """Producers whose name holds every word of `query`, accents optional.

    Folded in Python: used on two rarely visited pages (claim, operator
    invites), over at most ~10,000 names, the same on SQLite and PostgreSQL.
    """
    words = fold(query).split()
    names = Producer.objects.values_list("pk", "name")
    return Producer.objects.filter(
        pk__in=[pk for pk, name in names if all(w in fold(name) for w in words)]
    )

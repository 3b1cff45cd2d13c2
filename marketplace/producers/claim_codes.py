"""A claim's one-time code, made when its mail is sent: the worker's side
of `services.claim_start`.

The code exists in clear only in the mail and in this transaction; the
claim keeps its hash. The mail task (`marketplace.producers.tasks`) calls
in here, and the services send that task, so the arrows run
services → tasks → claim_codes and never back.
"""

import secrets
from datetime import timedelta

from django.contrib.auth.hashers import make_password
from django.db import transaction
from django.utils import timezone

from marketplace.producers.models import ProducerClaim

CLAIM_LIFETIME = timedelta(minutes=30)


def claim_code_issue(*, claim_id: int) -> tuple[ProducerClaim, str] | None:
    """Give a still-open claim its code (a fresh one, valid for
    CLAIM_LIFETIME from now) and return it with the claim, for the mail;
    None if the claim was used, replaced or has expired meanwhile.

    Called by the mail task inside the transaction that sends the mail, so
    only the hash is stored, and only if the mail went out."""
    with transaction.atomic():
        claim = (
            ProducerClaim.objects.select_for_update()
            .select_related("producer")
            .filter(pk=claim_id)
            .first()
        )
        if claim is None or not claim.is_open():
            return None
        code = f"{secrets.randbelow(10**6):06d}"
        claim.code_hash = make_password(code)
        claim.expires_at = timezone.now() + CLAIM_LIFETIME
        claim.save(update_fields=["code_hash", "expires_at"])
    return claim, code


def claim_lifetime_minutes() -> int:
    return int(CLAIM_LIFETIME.total_seconds() // 60)

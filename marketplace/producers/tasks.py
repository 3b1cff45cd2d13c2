"""Producer account mail, sent by the worker."""

from celery import shared_task
from django.conf import settings
from django.core.mail import send_mail
from django.template.loader import render_to_string
from django.utils import translation

from marketplace.producers.claim_codes import claim_code_issue, claim_lifetime_minutes


@shared_task(name="producers.claim_code_mail", ignore_result=True)
def claim_code_mail_task(claim_id: int) -> bool:
    """Make the claim's one-time code and mail it (the only place it exists
    in clear). Run through the outbox, which `claim_start` records it in, so
    one claim gets one mail; nothing is sent for a claim no longer open."""
    issued = claim_code_issue(claim_id=claim_id)
    if issued is None:
        return False
    claim, code = issued
    with translation.override(settings.LANGUAGE_CODE):
        context = {"claim": claim, "code": code, "minutes": claim_lifetime_minutes()}
        body = render_to_string("producers/emails/claim_code.txt", context)
    send_mail(
        f"Chợ OCOP: mã xác nhận tài khoản {claim.producer.name}",
        body,
        settings.DEFAULT_FROM_EMAIL,
        [claim.email],
    )
    return True

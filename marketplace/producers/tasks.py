"""Producer account mail, sent by the worker."""

from celery import shared_task
from django.conf import settings
from django.core.mail import send_mail
from django.template.loader import render_to_string
from django.utils import translation


@shared_task(name="producers.claim_code_mail", ignore_result=True)
def claim_code_mail_task(claim_id: int, code: str) -> None:
    """Mail the one-time code (the only place it exists in clear)."""
    from marketplace.producers.models import ProducerClaim
    from marketplace.producers.services import claim_lifetime_minutes

    claim = ProducerClaim.objects.select_related("producer").get(pk=claim_id)
    with translation.override(settings.LANGUAGE_CODE):
        context = {"claim": claim, "code": code, "minutes": claim_lifetime_minutes()}
        body = render_to_string("producers/emails/claim_code.txt", context)
    send_mail(
        f"Chợ OCOP: mã xác nhận tài khoản {claim.producer.name}",
        body,
        settings.DEFAULT_FROM_EMAIL,
        [claim.email],
    )

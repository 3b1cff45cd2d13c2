"""Periodic payment work (CELERY_BEAT_SCHEDULE in settings)."""

import logging

from celery import shared_task

from marketplace.payments.payos_client import PayosClient, PayosNotConfigured
from marketplace.payments.services import bank_transfers_expire

logger = logging.getLogger(__name__)


@shared_task(name="payments.bank_transfers_expire")
def bank_transfers_expire_task() -> int:
    """End VietQR requests whose time ran out and release their baskets,
    once payOS confirms they took no money (money they took is fulfilled;
    one payOS could not be asked about is tried again next minute). Without
    payOS keys (switched off after requests were made) the requests end
    here; payOS lets them lapse at their own expiry."""
    try:
        client = PayosClient.from_settings()
    except PayosNotConfigured:
        client = None
    expired = bank_transfers_expire(client=client)
    if expired:
        logger.info("expired %s VietQR payment requests", expired)
    return expired

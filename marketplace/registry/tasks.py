"""Background registry work: the scheduled sync and expiry warnings."""

import logging

from celery import shared_task

logger = logging.getLogger(__name__)


@shared_task(name="registry.sync")
def registry_sync_task(source: str | None = None) -> dict:
    """Sync from `source` (default `REGISTRY_URL`); beat runs it hourly."""
    from marketplace.registry.services import certificate_sync
    from marketplace.registry.sources import registry_source

    client, full = registry_source(source)
    run = certificate_sync(client=client, reconcile_absences=full)
    return {"sync_run": run.pk, "status": run.status, "summary": run.summary()}


@shared_task(name="registry.expiry_warnings")
def expiry_warnings_task() -> dict:
    """Mail producers whose certificates expire in 90, 30 or 7 days."""
    from marketplace.registry.services import expiry_warnings_send

    sent = expiry_warnings_send()
    return {"sent": sent}

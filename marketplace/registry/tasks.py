"""Background registry work: the scheduled sync and its photos, operators'
decision-list imports, and expiry warnings."""

import logging

from celery import shared_task
from django.conf import settings

from marketplace.core.locks import run_slot
from marketplace.core.tasks import enqueue
from marketplace.registry.models import SyncRun, SyncStatus
from marketplace.registry.services import (
    certificate_sync,
    decision_list_import,
    expiry_warnings_send,
    photos_fetch,
)
from marketplace.registry.sources import registry_source
from marketplace.registry.uploads import (
    decision_list_run_fail,
    decision_list_upload_delete,
    decision_list_uploads_sweep,
    upload_local_copy,
)

logger = logging.getLogger(__name__)


@shared_task(name="registry.sync")
def registry_sync_task(source: str | None = None) -> dict:
    """Sync from `source` (default `REGISTRY_URL`); beat runs it hourly.

    Delivered twice at once (acks_late, two beats), the second finds the
    first running and is recorded as skipped; one after the other, the
    second finds everything unchanged."""
    client, full = registry_source(source)
    run = certificate_sync(client=client, reconcile_absences=full, skip_if_running=True)
    if run.status in (SyncStatus.SUCCEEDED, SyncStatus.ALERT) and hasattr(client, "fetch_image"):
        # Photos come after the sync committed, in their own task; if it
        # cannot be sent, the pending photos wait for the next sync's.
        enqueue(registry_photos_task, source, run.pk)
    return {"sync_run": run.pk, "status": run.status, "summary": run.summary()}


@shared_task(name="registry.photos")
def registry_photos_task(source: str | None = None, run_id: int | None = None) -> dict:
    """Download the photos syncs recorded (at most REGISTRY_PHOTOS_PER_RUN)
    and remove the ones records dropped; refusals go on the run's alert."""
    client, _full = registry_source(source)
    run = SyncRun.objects.filter(pk=run_id).first() if run_id else None
    result = photos_fetch(client=client, run=run, limit=settings.REGISTRY_PHOTOS_PER_RUN)
    return {"sync_run": run_id, "summary": result.summary()}


@shared_task(name="registry.expiry_warnings")
def expiry_warnings_task() -> dict:
    """Mail producers whose certificates expire in 90, 30 or 7 days."""
    sent = expiry_warnings_send()
    return {"sent": sent}


DECISION_LIST_SLOT = 0x0C0B_5A14
"""The `run_slot` an upload's import holds, one per run."""


@shared_task(name="registry.decision_list_import")
def decision_list_import_task(run_id: int, storage_name: str) -> dict:
    """Import an operator's confirmed upload into its run, then delete the
    upload, whatever the outcome. A run that already ended (the task
    delivered twice) is left as it is; so is one another delivery is still
    importing, which deletes the upload when it ends."""
    with run_slot(DECISION_LIST_SLOT, run_id) as ours:
        if not ours:
            return {"sync_run": run_id, "status": "already running"}
        return _decision_list_import(run_id, storage_name)


def _decision_list_import(run_id: int, storage_name: str) -> dict:
    """The import itself, once this delivery holds the run's slot."""
    run = SyncRun.objects.filter(pk=run_id).first()
    if run is None:
        decision_list_upload_delete(name=storage_name)
        return {"sync_run": run_id, "status": "missing"}
    try:
        if run.status == SyncStatus.RUNNING:
            with upload_local_copy(storage_name) as path:
                run = decision_list_import(run=run, path=path)
    except FileNotFoundError:
        logger.warning("decision-list upload %s is gone; run %s failed", storage_name, run_id)
        decision_list_run_fail(
            run_pk=run_id,
            error="Không còn tệp đã tải lên (đã nhập hoặc đã huỷ); hãy tải tệp lên lại.",
        )
        run.refresh_from_db()
    except Exception as exc:  # the storage failed us: say so on the run, never leave it running
        logger.exception("decision-list upload %s could not be read", storage_name)
        decision_list_run_fail(
            run_pk=run_id,
            error=f"Không đọc được tệp đã tải lên ({type(exc).__name__}: {exc}); "
            "hãy tải tệp lên lại.",
        )
        run.refresh_from_db()
    finally:
        decision_list_upload_delete(name=storage_name)
    return {"sync_run": run.pk, "status": run.status, "summary": run.summary()}


@shared_task(name="registry.decision_list_uploads_sweep")
def decision_list_uploads_sweep_task() -> dict:
    """Delete uploads left unconfirmed for two days; beat runs it daily."""
    return {"removed": decision_list_uploads_sweep()}

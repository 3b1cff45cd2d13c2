"""A sync run's bookkeeping: its progress, its alert, how it ends.

Shared by the sync (`sync.py`) and the photo pass that follows it
(`photos.py`), which both report on the same `SyncRun` row.
"""

import logging
from collections.abc import Callable

from django.core.cache import cache
from django.utils import timezone

from marketplace.registry.models import SyncRun, SyncStatus

logger = logging.getLogger(__name__)

PROGRESS_KEY = "registry-sync-progress-{pk}"

Progress = Callable[[int, int | None], None]
"""A command's progress bar: called with (done, total or None)."""


def sync_progress(run: SyncRun) -> dict | None:
    """How far a running sync has got: {"phase", "done", "total"}, or None.

    Kept in the cache, not the run's row: the run is written inside the
    sync's transaction, which no other connection sees until it commits.
    """
    return cache.get(PROGRESS_KEY.format(pk=run.pk))


def run_progress_set(run: SyncRun, phase: str, done: int, total: int | None) -> None:
    cache.set(PROGRESS_KEY.format(pk=run.pk), {"phase": phase, "done": done, "total": total}, 3600)


def run_finish(run: SyncRun, status: str) -> SyncRun:
    """End the run with `status`, forget its progress and log its summary
    (a warning when operators must look)."""
    run.status = status
    run.finished_at = timezone.now()
    run.save()
    cache.delete(PROGRESS_KEY.format(pk=run.pk))
    log = logger.warning if status in (SyncStatus.ALERT, SyncStatus.FAILED) else logger.info
    log("registry sync %s from %s: %s %s", status, run.source, run.summary(), run.alert)
    return run


def run_alert_add(run: SyncRun, text: str) -> None:
    """Append a line to the run's alert (unsaved); an empty text adds none."""
    if text:
        run.alert = f"{run.alert}\n{text}".strip()

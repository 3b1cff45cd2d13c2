"""Running recorded work: the outbox's worker side (design.md §6).

`outbox_run` claims a row under a lock that other workers skip, does the
work and marks it done in one transaction, so a task delivered twice, or
the task and the sweep together, do it once. `outbox_sweep` (beat, every
minute) runs what its commit-time task did not. Rows are written by
`marketplace.outbox.services.outbox_add`; the Celery tasks in
`marketplace.outbox.tasks` call in here.
"""

import logging
from datetime import timedelta

from django.db import transaction
from django.utils import timezone

from marketplace.celery import app
from marketplace.outbox.models import OutboxTask

logger = logging.getLogger(__name__)

# The task sent at commit normally runs within seconds; the sweep leaves
# younger rows to it, so the two rarely meet (and when they do, the row
# lock lets only one of them through).
GRACE = timedelta(minutes=2)
# Rows per sweep, oldest-and-least-tried first, so a row that keeps failing
# cannot hold up the rest.
SWEEP_BATCH = 200
# Done rows are kept this long for operators to look at, then deleted.
KEEP_DONE = timedelta(days=30)


def outbox_run(*, task_id: int) -> bool:
    """Do the recorded work if it is not done and no other worker holds it;
    return whether it was done now.

    The work runs inside the transaction that holds the row lock and sets
    `done_at`, so nobody else can do it meanwhile. A failure is counted and
    kept in `last_error`, and the sweep tries again. If the process dies
    after the mail left but before the commit, the mail goes again: at most
    that window can repeat it.
    """
    with transaction.atomic():
        entry = (
            OutboxTask.objects.select_for_update(skip_locked=True)
            .filter(pk=task_id, done_at__isnull=True)
            .first()
        )
        if entry is None:  # done already, or being done by another worker
            return False
        entry.attempts += 1
        try:
            with transaction.atomic():  # the work's own writes roll back alone
                _task(entry.name)(**entry.payload)
        except Exception as exc:
            logger.exception("outbox task %s (%s) failed", entry.pk, entry.name)
            entry.last_error = f"{type(exc).__name__}: {exc}"[:2000]
            entry.save(update_fields=["attempts", "last_error"])
            return False
        entry.done_at = timezone.now()
        entry.last_error = ""
        entry.save(update_fields=["attempts", "last_error", "done_at"])
    return True


def outbox_sweep(*, grace: timedelta = GRACE) -> int:
    """Do the work still waiting past the grace period (its task was never
    sent, or failed); return how many were done. Beat runs it every minute."""
    now = timezone.now()
    OutboxTask.objects.filter(done_at__lt=now - KEEP_DONE).delete()
    due = OutboxTask.objects.due(before=now - grace).order_by("attempts", "created_at")
    return sum(outbox_run(task_id=pk) for pk in due.values_list("pk", flat=True)[:SWEEP_BATCH])


def _task(name: str):
    """The Celery task registered under `name`. A web process has imported
    only the task modules it used so far; load the rest on a miss."""
    if name not in app.tasks:
        app.loader.import_default_modules()
    return app.tasks[name]

"""Recording work that must follow a commit (design.md §6).

`outbox_add` writes the work in the caller's transaction and sends its task
once that commits; if the broker is down the row waits, and the sweep
(beat, every minute) runs it after a grace period. Running a row is the
worker's side, `marketplace.outbox.worker`: this module sends the task that
runs it, and the task calls the worker, so the arrows run
services → tasks → worker and never back.
"""

from django.db import transaction

from marketplace.core.tasks import enqueue
from marketplace.outbox.models import OutboxTask
from marketplace.outbox.tasks import outbox_run_task


def outbox_add(*, task, **payload) -> OutboxTask:
    """Record that `task(**payload)` must run once the current transaction
    commits, and send it to the worker then (best effort). Call it inside
    the transaction that makes the change; `payload` must be JSON."""
    entry = OutboxTask.objects.create(name=task.name, payload=payload)
    transaction.on_commit(lambda: enqueue(outbox_run_task, entry.pk))
    return entry

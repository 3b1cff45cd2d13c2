"""Sending work to the Celery worker, and the small health task that proves
the Celery path end to end."""

import logging
from collections.abc import Iterator
from contextlib import contextmanager

from celery import shared_task
from django.core.cache import cache

logger = logging.getLogger(__name__)

# A delivery's claim outlives any task run, and lapses well before the
# broker hands an unacknowledged task back (Redis: after an hour).
CLAIM_SECONDS = 10 * 60
DONE_SECONDS = 24 * 60 * 60


def enqueue(task, *args, **kwargs) -> bool:
    """Send `task` to the worker, best effort: never raise; log and return
    False when it could not be sent.

    Use it wherever raising would hurt more than the task not running: in
    `transaction.on_commit` hooks (under ATOMIC_REQUESTS they run at the end
    of the request, so one that raises turns a committed order into a 500
    and skips the hooks after it) and in requests that must answer while
    the broker (Redis) is down. Work that must happen anyway is recorded in
    the database first (`marketplace.outbox`), and the sweep finishes it.
    When Celery runs eagerly the task runs here, and its failure is logged
    the same way.
    """
    try:
        task.delay(*args, **kwargs)
    except Exception:
        logger.exception("could not send task %s; it did not run now", task.name)
        return False
    return True


@contextmanager
def delivery_once(delivery_id: str | None) -> Iterator[bool]:
    """`with delivery_once(self.request.id) as first:` whether this delivery
    of a task message should do its work.

    For tasks whose work is not idempotent by itself and that are not in the
    outbox (the account mails, which carry a password hash that must not sit
    in a table). Under `task_acks_late` the same message can come twice,
    even to two workers at once; both carry the same id. The first claims it
    in the cache and marks it done when the work returns; a second finds the
    claim or the mark and does nothing. Work that raised is released for
    the redelivery. A cache that is down (it fails soft, answering None)
    claims nothing, and the work runs: a rare second mail beats a lost one.
    A direct call (no id) always runs.
    """
    if not delivery_id:
        yield True
        return
    done_key, claim_key = f"task-done:{delivery_id}", f"task-claim:{delivery_id}"
    if cache.get(done_key) or cache.add(claim_key, 1, CLAIM_SECONDS) is False:
        yield False
        return
    try:
        yield True
    except BaseException:
        cache.delete(claim_key)
        raise
    cache.set(done_key, 1, DONE_SECONDS)
    cache.delete(claim_key)


@shared_task(name="core.ping", ignore_result=False)
def ping(payload: str) -> dict:
    """Echo a payload back with the worker's host name.

    Used by the health check and by the test that sends a task through the
    real broker: the answer shows it ran in a worker, not in the caller.
    """
    import os
    import socket

    return {"echo": payload, "hostname": socket.gethostname(), "pid": os.getpid()}

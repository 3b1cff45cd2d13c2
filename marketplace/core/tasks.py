"""Sending work to the Celery worker, and the small health task that proves
the Celery path end to end."""

import logging

from celery import shared_task

logger = logging.getLogger(__name__)


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


@shared_task(name="core.ping", ignore_result=False)
def ping(payload: str) -> dict:
    """Echo a payload back with the worker's host name.

    Used by the health check and by the test that sends a task through the
    real broker: the answer shows it ran in a worker, not in the caller.
    """
    import os
    import socket

    return {"echo": payload, "hostname": socket.gethostname(), "pid": os.getpid()}

"""Small health tasks that prove the Celery path end to end."""

from celery import shared_task


@shared_task(name="core.ping")
def ping(payload: str) -> dict:
    """Echo a payload back with the worker's host name.

    Used by the health check and by the test that sends a task through the
    real broker: the answer shows it ran in a worker, not in the caller.
    """
    import os
    import socket

    return {"echo": payload, "hostname": socket.gethostname(), "pid": os.getpid()}

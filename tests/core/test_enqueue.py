"""Sending a task is best effort: it never raises (issue 13, finding 2)."""

import logging
import time

from marketplace.core.tasks import enqueue, ping


def test_enqueue_with_the_broker_down_logs_and_returns_false(broker_down, caplog):
    # when a task is sent while the broker is down
    started = time.monotonic()
    with broker_down(), caplog.at_level(logging.ERROR, logger="marketplace.core.tasks"):
        sent = enqueue(ping, "xin chào")
    # then the caller goes on, promptly, and the failure is logged
    assert sent is False
    assert time.monotonic() - started < 5
    assert "could not send task core.ping" in caplog.text


def test_enqueue_runs_the_task_when_celery_is_eager():
    assert enqueue(ping, "xin chào") is True

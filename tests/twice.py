"""Delivering a task twice at once, as `acks_late` can: helpers for the
tests/*/test_*_twice.py tests."""

import threading
import time
from collections.abc import Callable

import pytest
from django.core.mail.backends.locmem import EmailBackend
from django.db import connection

SLOW_MAIL_BACKEND = "tests.twice.SlowMailBackend"

committed_db = pytest.mark.django_db(transaction=True)
"""For the tests that deliver at once: the threads' own connections see only
committed rows, so the test commits for real, and Django empties every table
after it, as after the other transactional tests. Nothing here may rely on
rows the migrations seeded (Wagtail's root page, the default site): a
transactional test that ran before has flushed them."""


class SlowMailBackend(EmailBackend):
    """The test mailbox (`mail.outbox`), but each send takes a moment, so a
    second delivery arrives while the first is still inside its transaction."""

    delay = 0.5

    def send_messages(self, messages):
        time.sleep(self.delay)
        return super().send_messages(messages)


def deliver_at_once(call: Callable[[], object], copies: int = 2) -> list:
    """Run `call` in `copies` threads, released together, each on its own
    database connection (so mark the test `committed_db`); return their results."""
    barrier = threading.Barrier(copies)
    results, errors = [], []

    def worker():
        try:
            barrier.wait()
            results.append(call())
        except Exception as exc:  # raised below, in the test's thread
            errors.append(exc)
        finally:
            connection.close()

    threads = [threading.Thread(target=worker) for _ in range(copies)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join(timeout=120)
    if errors:
        raise errors[0]
    assert len(results) == copies, "a delivery did not finish"
    return results

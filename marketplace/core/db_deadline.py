"""A deadline on the time a web request waits for the database,
installed by gunicorn.conf.py's hooks in the sync workers only.

Why: a PostgreSQL that stops answering on a connection that is already open
(persistent connections, `CONN_MAX_AGE`; its `CONN_HEALTH_CHECKS` `SELECT 1`
is the first thing a request sends) leaves psycopg waiting forever. The
connect timeout only bounds connecting (and libpq will not go below 2 s),
and `statement_timeout` is enforced by the very server that went quiet. The
worker would be held until gunicorn kills it and answers with its own bare
page; the shop promises an answer within 2 s and, with the database down
(hanging counts as down), our Vietnamese 500 page.

How: while a request runs, a SIGALRM timer ticks about every `TICK`
seconds. The handler runs in the worker's one thread, between two bytecodes of the
request, and looks down the interrupted stack for a psycopg wait: the
connection's `wait` with the connection mid-command (transaction status
ACTIVE), or `waiting.wait_conn` (connecting). When the request's waits
have lasted `DJANGO_DB_WAIT_DEADLINE` seconds in all (one quiet wait, or a
slow database's many round trips: at 1 s a query, a page of twenty would
take twenty seconds), the current wait's socket is shut down (not closed: the
descriptor stays psycopg's), so psycopg's wait returns an OperationalError
at once. Django marks the connection unusable and drops it (a failed
rollback in `Atomic.__exit__`, a failed health check), and the 500 handler
renders our page. Once one wait of a request has been cut the database counts
as gone for the rest of that request: every later wait (Django reconnecting
on its way out of the atomic block...) is cut within `AFTER_CUT_TICK`, so a
request pays the deadline once. The next request connects afresh.

What it leaves alone: a connection idle in a transaction while the request
renders a template or waits on OpenSearch or Redis (they have their own
timeouts): no psycopg wait is on the stack; a query that is running at a tick
but has not lasted the deadline; and every process but gunicorn's sync
workers: Celery, `manage.py` and the tests never install it.

Details that matter:
- psycopg's C wait (`wait_c`) restarts `poll()` after EINTR with its whole
  0.1 s interval and runs Python signal handlers only when poll returns, so a
  repeating timer of 0.1 s or less could interrupt it forever without the
  handler ever running. The timer is therefore one-shot and re-armed by the
  handler: in a C wait the handler runs up to 0.1 s late, but it runs.
- A wait's start is taken as the look before the one that first saw it, and
  the look that cuts it is timed for the deadline (aimed 0.1 s early in the
  C wait), so a wait is cut at the deadline give or take a tick (0.05 s).
- SIGALRM restarts interrupted system calls (SA_RESTART), so C code that
  does not retry on EINTR is not disturbed; the kernel never restarts
  poll/select, so psycopg's and Python's own waits still let the handler run.
- The handler re-arms only while a request is in flight: `disarm()` clears
  that flag before stopping the timer, so a tick still pending when the
  response is done does nothing. Nothing of this runs between requests.
- Signals are handled in the main thread only; with gunicorn's threaded
  workers requests run elsewhere, so `arm()` does nothing outside the main
  thread (gunicorn.conf.py warns).
"""

import logging
import os
import signal
import socket
import threading
import time
from dataclasses import dataclass
from types import FrameType

from psycopg import Connection, waiting
from psycopg.pq import TransactionStatus

logger = logging.getLogger(__name__)

TICK = 0.05  # seconds between two looks at the request's stack
AFTER_CUT_TICK = 0.01  # once the request lost its database: cut what follows fast

_COMMAND_WAIT = Connection.wait.__code__
_CONNECT_WAIT = waiting.wait_conn.__code__
# psycopg's C wait runs signal handlers only when its 0.1 s poll() returns,
# so the look at an overdue command is aimed that much early.
_COMMAND_LAG = 0.1 if waiting.wait.__name__ == "wait_c" else 0.0


@dataclass(frozen=True)
class DatabaseWait:
    """psycopg waiting on the database: `frame` is its waiting function's
    frame, which tells one wait from the next; `fileno` the socket waited on
    (None when it cannot be known, e.g. before connecting opened one)."""

    frame: FrameType
    fileno: int | None


def database_wait(frame: FrameType | None) -> DatabaseWait | None:
    """The database wait the interrupted code (`frame` and its callers) is
    in, or None: a connection idle in a transaction is not waiting."""
    while frame is not None:
        if frame.f_code is _COMMAND_WAIT:
            pgconn = frame.f_locals["self"].pgconn
            if pgconn.transaction_status != TransactionStatus.ACTIVE:
                return None
            try:
                return DatabaseWait(frame, pgconn.socket)
            except Exception:  # the connection is already lost
                return DatabaseWait(frame, None)
        if frame.f_code is _CONNECT_WAIT:
            return DatabaseWait(frame, frame.f_locals.get("fileno"))
        frame = frame.f_back
    return None


def _shut_down(fileno: int) -> bool:
    """Shut the socket down for both directions, through a duplicate of its
    descriptor so the original stays open for psycopg to fail on and close."""
    try:
        with socket.socket(fileno=os.dup(fileno)) as sock:
            sock.shutdown(socket.SHUT_RDWR)
    except OSError:
        return False
    return True


class _Deadline:
    """This worker's deadline and what the current request's ticks saw."""

    def __init__(self, seconds: float) -> None:
        self.seconds = seconds
        self.active = False
        self.last_tick = 0.0
        self.watched: FrameType | None = None  # the wait seen at the last tick
        self.since = 0.0  # when that wait began, at the earliest
        self.seen_until = 0.0  # the last tick that saw it
        self.waited = 0.0  # this request's earlier waits, as the ticks saw them
        self.cuts = 0

    def _wait_ended(self) -> None:
        if self.watched is not None:
            self.waited += self.seen_until - self.since
            self.watched = None

    def tick(self, frame: FrameType | None) -> float:
        """Look at the interrupted code and cut its database wait if it is
        overdue; returns the seconds until the next look."""
        now = time.monotonic()
        wait = database_wait(frame)
        previous, self.last_tick = self.last_tick, now
        if wait is None:
            self._wait_ended()
            return AFTER_CUT_TICK if self.cuts else TICK
        if wait.frame is not self.watched:
            self._wait_ended()
            self.watched, self.since = wait.frame, previous
        self.seen_until = now
        lag = _COMMAND_LAG if wait.frame.f_code is _COMMAND_WAIT else 0.0
        left = self.since + (self.seconds - self.waited) - lag - now
        if self.cuts or left <= 0:
            if wait.fileno is not None:
                self.cuts += _shut_down(wait.fileno)
            return AFTER_CUT_TICK
        return min(TICK, left)


_deadline: _Deadline | None = None


def _on_alarm(signum, frame) -> None:
    deadline = _deadline
    if deadline is None or not deadline.active:
        return
    signal.setitimer(signal.ITIMER_REAL, deadline.tick(frame))


def install(seconds: float) -> bool:
    """Take SIGALRM for the deadline in this process (a gunicorn worker,
    from its main thread); `seconds` <= 0 leaves everything as it is.
    Returns whether the deadline is installed."""
    global _deadline
    if seconds <= 0 or threading.current_thread() is not threading.main_thread():
        return False
    signal.signal(signal.SIGALRM, _on_alarm)
    signal.siginterrupt(signal.SIGALRM, False)
    _deadline = _Deadline(seconds)
    return True


def arm() -> None:
    """Start watching the request that is about to run (gunicorn's
    pre_request)."""
    deadline = _deadline
    if (
        deadline is None
        or threading.current_thread() is not threading.main_thread()
        or signal.getsignal(signal.SIGALRM) is not _on_alarm  # someone took it back
    ):
        return
    deadline.watched, deadline.cuts, deadline.waited = None, 0, 0.0
    deadline.last_tick = time.monotonic()
    deadline.active = True
    signal.setitimer(signal.ITIMER_REAL, TICK)


def disarm() -> None:
    """Stop watching: the request is done (gunicorn's post_request)."""
    deadline = _deadline
    if deadline is None or not deadline.active:
        return
    deadline.active = False  # first: a tick pending from here on does nothing
    signal.setitimer(signal.ITIMER_REAL, 0)
    deadline.watched = None
    if deadline.cuts:
        logger.warning(
            "A request waited %s s for the database: cut its connection (%d socket(s))",
            deadline.seconds,
            deadline.cuts,
        )

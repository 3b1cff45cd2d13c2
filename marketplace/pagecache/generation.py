"""What a cached page or fragment is keyed on, besides its own address.

`catalogue_version()` is "<today in Vietnam>:<catalogue generation>". A page
rendered under one version is right for as long as that version is current:
the day changes at midnight in Asia/Ho_Chi_Minh (certificates start and end
on dates), and the generation changes in the same transaction as any write
to a table a shopper page shows (triggers, migration 0001). So nothing has
to remember to invalidate anything, and a write no code path announces
(bulk updates, raw SQL, the registry sync) still invalidates.

Code that changes what pages show without writing those tables (an index
rebuild swaps the OpenSearch alias) calls `generation_bump()` itself.
"""

from contextlib import contextmanager
from contextvars import ContextVar
from datetime import date, datetime, time, timedelta

from django.conf import settings
from django.db import InterfaceError, OperationalError, connection
from django.utils import timezone

from marketplace.ocop import dates as ocop_dates

# The product page says "Còn hàng" above this many units and the exact
# number at or below it. The stock trigger (migration 0001) keeps a frozen
# copy; tests/pagecache/test_generation_triggers.py checks they agree.
LOW_STOCK_SHOWN = 10

_READ = "SELECT value FROM pagecache_cataloguegeneration WHERE id = 1"
_BUMP = (
    "INSERT INTO pagecache_cataloguegeneration (id, value) VALUES (1, 1) "
    "ON CONFLICT (id) DO UPDATE SET value = pagecache_cataloguegeneration.value + 1"
)


def generation_tracked() -> bool:
    """Whether the database bumps the generation (PostgreSQL with the
    triggers). Without it nothing may be cached by version."""
    return connection.vendor == "postgresql"


def generation_current() -> int:
    """The committed generation (one indexed read; never blocks on writers).

    It is the first query of a request, and on a persistent connection
    Django would first spend a round trip on its health check
    (CONN_HEALTH_CHECKS: a `SELECT 1`). A page-cache hit makes no other
    query, so that check was a third of its round trips. This read is the
    check instead: a connection that fails it is closed and the read is
    made once more on a new one, as a failed health check would have done.
    """
    if not _health_check_due():
        return _read_generation()
    connection.health_check_done = True
    try:
        return _read_generation()
    except (OperationalError, InterfaceError):
        connection.close()
    return _read_generation()


def _health_check_due() -> bool:
    """Whether Django would check this connection before its next query.
    Never inside a transaction: a connection lost there is not replaced."""
    return (
        connection.connection is not None
        and connection.health_check_enabled
        and not connection.health_check_done
        and not connection.in_atomic_block
    )


def _read_generation() -> int:
    with connection.cursor() as cursor:
        cursor.execute(_READ)
        row = cursor.fetchone()
    return row[0] if row else 0


def generation_bump() -> None:
    """Invalidate every cached page and fragment when this transaction
    commits. For changes the triggers cannot see (the search index)."""
    if not generation_tracked():
        return
    with connection.cursor() as cursor:
        cursor.execute(_BUMP)


# The versions already read in this request, by day (`request_versions`).
_request_memo: ContextVar[dict | None] = ContextVar("catalogue_versions", default=None)


@contextmanager
def request_versions():
    """Within it, each day's version is read once: a page and all its
    fragments are keyed on the generation as it was when the page started,
    however many pieces ask (PageCacheMiddleware wraps every request)."""
    token = _request_memo.set({})
    try:
        yield
    finally:
        _request_memo.reset(token)


def catalogue_version(today: date | None = None) -> str | None:
    """The version cached content is keyed on, or None when the database
    does not track the generation (the SQLite default: cache nothing)."""
    if not settings.PAGE_CACHE_ENABLED or not generation_tracked():
        return None
    # looked up on the module at each call: the listing rule's one clock,
    # so whatever moves "today" for the listing rule moves it for keys too
    today = today or ocop_dates.today_in_vietnam()
    memo = _request_memo.get()
    if memo is not None and today in memo:
        return memo[today]
    version = f"{today.isoformat()}:{generation_current()}"
    if memo is not None:
        memo[today] = version
    return version


def seconds_to_midnight(now: datetime | None = None) -> int:
    """Seconds until the next midnight in Vietnam: no cached entry lives past
    its day, even where its key would not change (Redis memory)."""
    now = timezone.localtime(now)
    midnight = timezone.make_aware(datetime.combine(now.date() + timedelta(days=1), time.min))
    return max(1, int((midnight - now).total_seconds()))

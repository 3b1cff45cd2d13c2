"""The Redis cache is an optional part: when Redis is down or hanging, pages
render as if the cache were empty.

django-redis already turns a Redis error into a miss (`IGNORE_EXCEPTIONS`,
see `settings.base.redis_cache`), and short socket timeouts bound what one
call can cost. That is not enough on its own: a page makes many cache calls
(Wagtail's site root paths, Oscar's category URLs, one sorl-thumbnail lookup
per product card...), and against a Redis that accepts connections but never
answers each of them would wait the full socket timeout, 24 cards times
0.25 s. So the client also carries a small per-process circuit breaker: the
first connection error or timeout opens it, and for `REDIS_CACHE_COOLDOWN`
seconds every command fails at once, without touching the network, which
django-redis again turns into a miss. After the cooldown one command probes
Redis; success closes the breaker, failure opens it again. A web process
therefore pays at most one socket timeout per cooldown while Redis is gone.
Per process by design: the one place all processes share quickly is Redis
itself, the thing found down, and each process finding out for itself
costs one timeout.

What "degrades to no cache" means for each cache user of this site:

- Wagtail (site root paths, locale names), Oscar (category URLs),
  sorl-thumbnail (`cached_db_kvstore` falls through to its table): every
  read is a miss and the value is recomputed from the database; writes are
  dropped. A `delete` dropped during the outage can leave a stale value in
  Redis once it is back, for at most the value's own timeout (Wagtail's
  site root paths: an hour); the values are all re-derivable, none is a
  source of truth.
- The search circuit breaker (`search.backends.resilient`) also keeps its
  state in the process, so it still protects each process on its own.
- Registry sync progress (`registry.runs`) is display-only: the
  dashboard shows no progress bar, the sync itself is unaffected.
- Nothing here uses `cache.add` or `cache.incr` for correctness (locks,
  counters); with `IGNORE_EXCEPTIONS` those answer `None`, so anything
  added later that needs a lock must not take it from this cache.
"""

import logging
import time

from django.conf import settings
from redis import Redis
from redis.client import Pipeline
from redis.exceptions import ConnectionError as RedisConnectionError
from redis.exceptions import TimeoutError as RedisTimeoutError

logger = logging.getLogger(__name__)

# server address -> monotonic time until which commands are not sent
_open_until: dict[tuple, float] = {}


class CacheSkipped(RedisConnectionError):
    """Raised instead of sending a command while the breaker is open."""


def _server(pool) -> tuple:
    kwargs = pool.connection_kwargs
    return (kwargs.get("host"), kwargs.get("port"), kwargs.get("path"), kwargs.get("db"))


def _guarded(pool, send):
    """Run `send()` unless the breaker for `pool`'s server is open; open it
    on a connection error or timeout."""
    server = _server(pool)
    if _open_until.get(server, 0.0) > time.monotonic():
        raise CacheSkipped("Redis skipped after a recent failure")
    try:
        result = send()
    except (RedisConnectionError, RedisTimeoutError) as exc:
        cooldown = settings.REDIS_CACHE_COOLDOWN
        _open_until[server] = time.monotonic() + cooldown
        logger.warning("Redis cache unreachable (%s); running without it for %ss", exc, cooldown)
        raise
    _open_until.pop(server, None)
    return result


def cache_breaker_reset() -> None:
    """Forget every open breaker (tests, and after reconfiguring the cache)."""
    _open_until.clear()


class FailFastPipeline(Pipeline):
    """A pipeline (django-redis's `set_many`) behind the same breaker."""

    def execute(self, raise_on_error: bool = True):
        return _guarded(
            self.connection_pool, lambda: super(FailFastPipeline, self).execute(raise_on_error)
        )


class FailFastRedis(Redis):
    """The redis-py client django-redis uses for the cache (its
    `REDIS_CLIENT_CLASS` option), with the per-process breaker above."""

    def execute_command(self, *args, **options):
        return _guarded(
            self.connection_pool,
            lambda: super(FailFastRedis, self).execute_command(*args, **options),
        )

    def pipeline(self, transaction: bool = True, shard_hint=None) -> Pipeline:
        return FailFastPipeline(
            self.connection_pool, self.response_callbacks, transaction, shard_hint
        )


class DropSkippedCommands(logging.Filter):
    """Keep django-redis's log of ignored cache errors to real failures: a
    command the breaker refused is not news (the breaker logged when it
    opened), and logging each would write a traceback per cache call."""

    def filter(self, record: logging.LogRecord) -> bool:
        error = record.exc_info[1] if record.exc_info else None
        cause = getattr(error, "__cause__", None)
        return not isinstance(error, CacheSkipped) and not isinstance(cause, CacheSkipped)

"""gunicorn settings for the web process (read from the working directory,
so `gunicorn marketplace.wsgi:application` in the image and in compose
picks them up without a flag).

The numbers hang together (a database that accepted connections
but never answered held each worker for gunicorn's 30 s, then gunicorn
answered with its own bare error page):

- Django gives up connecting to PostgreSQL after `DJANGO_DB_CONNECT_TIMEOUT`
  seconds (2; settings/production.py).
- Web workers run every SQL statement under PostgreSQL's `statement_timeout`
  of `WEB_DB_STATEMENT_TIMEOUT` milliseconds (5000), set here through
  `DJANGO_DB_STATEMENT_TIMEOUT` for the workers alone: the same settings in
  `manage.py` (migrations, `search_index --rebuild`) and in Celery (the
  registry sync, whose one transaction runs statements of several seconds)
  keep PostgreSQL's default of no limit, because cutting those short would
  fail the job, not protect a shopper.
- gunicorn's own `timeout` (15 s) is above connect + statement timeout with
  room for the rest of the request, so a slow or hanging database ends in a
  database error that Django answers with our Vietnamese 500 page; the
  worker timeout stays the last resort for what nothing else bounds.
  Start-up refuses numbers that break this order.
- Neither timeout helps when PostgreSQL goes quiet on a connection that is
  already open (persistent connections: the health check's `SELECT 1`, or
  any query, waits forever; statement_timeout is the quiet server's own).
  Nor when it answers, but a second late each time. So each web request
  may wait for the database `DJANGO_DB_WAIT_DEADLINE` seconds in all (1.5;
  0 turns it off): the wait for a command or a connection that passes it
  has its socket shut down, the query fails, and Django answers our 500
  page, within 2 s of the request. Once one wait of a request was cut, any
  later one is cut at once.
  The hooks below arm it for each request and disarm it after, in the sync
  workers only; `marketplace.core.db_deadline` says how and why. It also
  cuts a legitimate statement longer than the deadline, before
  statement_timeout would: a web request has no business waiting that long.

Each is an environment variable, so compose's `.env` can change them.
"""

import os

bind = os.environ.get("GUNICORN_BIND", "0.0.0.0:8000")
workers = int(os.environ.get("GUNICORN_WORKERS", "3"))
accesslog = "-"

db_connect_timeout = int(os.environ.get("DJANGO_DB_CONNECT_TIMEOUT", "2"))
db_statement_timeout_ms = int(os.environ.get("WEB_DB_STATEMENT_TIMEOUT", "5000"))
timeout = int(os.environ.get("GUNICORN_TIMEOUT", "15"))
graceful_timeout = timeout

if not 0 < db_statement_timeout_ms / 1000 + db_connect_timeout < timeout:
    raise RuntimeError(
        f"GUNICORN_TIMEOUT ({timeout} s) must exceed DJANGO_DB_CONNECT_TIMEOUT "
        f"({db_connect_timeout} s) + WEB_DB_STATEMENT_TIMEOUT ({db_statement_timeout_ms} ms), "
        "or workers are killed before the database error can be answered"
    )

raw_env = [f"DJANGO_DB_STATEMENT_TIMEOUT={db_statement_timeout_ms}"]

db_wait_deadline = float(os.environ.get("DJANGO_DB_WAIT_DEADLINE", "1.5"))
if not 0 <= db_wait_deadline < timeout:
    raise RuntimeError(
        f"DJANGO_DB_WAIT_DEADLINE ({db_wait_deadline} s) must be 0 (off) or below "
        f"GUNICORN_TIMEOUT ({timeout} s)"
    )


def post_worker_init(worker):
    """Install the database wait deadline in a freshly booted worker (not
    in the arbiter, where importing `marketplace` would load Celery)."""
    if not db_wait_deadline:
        return
    from gunicorn.workers.sync import SyncWorker

    from marketplace.core import db_deadline

    if not (isinstance(worker, SyncWorker) and db_deadline.install(db_wait_deadline)):
        worker.log.warning(
            "DJANGO_DB_WAIT_DEADLINE is ignored: it needs gunicorn's sync worker, not %s",
            type(worker).__name__,
        )


def pre_request(worker, req):
    from marketplace.core import db_deadline

    db_deadline.arm()


def post_request(worker, req, environ, resp):
    from marketplace.core import db_deadline

    db_deadline.disarm()

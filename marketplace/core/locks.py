"""A slot that one process at a time holds while it runs a long, whole job.

Celery can deliver a task twice, even to two workers at once: `acks_late`
hands a killed worker's task back, and two beats would each send the
schedule. Work that is idempotent row by row needs no slot. A long, whole
job (a registry crawl, a search index rebuild, one upload's import) takes
one, and a second copy that finds it held does nothing and says so.

It is a PostgreSQL session advisory lock rather than a Redis key: it must
span work that runs outside any transaction, and PostgreSQL drops it with
the connection, so a worker killed mid-run cannot leave it held and no
expiry has to guess how long the job takes. The embedded SQLite default
runs tasks eagerly in one process: every slot is free there.
"""

from collections.abc import Iterator
from contextlib import contextmanager

from django.db import connection


@contextmanager
def run_slot(kind: int, item: int = 0) -> Iterator[bool]:
    """`with run_slot(KIND, pk) as ours:` take the slot (`kind`, `item`) if
    no other process holds it; yields whether this one got it, and frees it
    on the way out. `kind` names the job, `item` its object (0 for a job
    that runs once for the whole site); both fit a 32-bit int."""
    if connection.vendor != "postgresql":
        yield True
        return
    with connection.cursor() as cursor:
        cursor.execute("SELECT pg_try_advisory_lock(%s, %s)", [kind, item])
        ours = cursor.fetchone()[0]
    try:
        yield ours
    finally:
        if ours:
            with connection.cursor() as cursor:
                cursor.execute("SELECT pg_advisory_unlock(%s, %s)", [kind, item])

"""Indexes the public certificate lookup (`/chung-nhan/?so=…`) needs.

The lookup matches the number ignoring case, as Django's `iexact` and
`icontains` write it on PostgreSQL: `UPPER(number::text) = UPPER(%s)` and
`UPPER(number::text) LIKE UPPER(%s)`. A plain index on `number` serves
neither, so each lookup read the whole table (issue 14). Two indexes on the
same expression do:

- a b-tree on `UPPER(number)` for the exact match (the QR code's link);
- a trigram GIN index on `UPPER(number)` for the partial match, when the
  pg_trgm extension can be created (it is a trusted extension since
  PostgreSQL 13, so the database's owner may create it). Without it the
  partial match still works, by reading the table, and a warning says so.

PostgreSQL only, and outside the model state (like the page cache's
triggers): the embedded SQLite default keeps its small tables as they are.
"""

import logging

from django.db import migrations, transaction

logger = logging.getLogger(__name__)

EXACT_INDEX = "registry_certificate_number_upper"
PARTIAL_INDEX = "registry_certificate_number_upper_trgm"


def forwards(apps, schema_editor):
    if schema_editor.connection.vendor != "postgresql":
        return
    schema_editor.execute(
        f"CREATE INDEX IF NOT EXISTS {EXACT_INDEX} ON registry_certificate (UPPER(number))"
    )
    try:
        with transaction.atomic(using=schema_editor.connection.alias):
            schema_editor.execute("CREATE EXTENSION IF NOT EXISTS pg_trgm")
    except Exception as exc:  # noqa: BLE001 (no permission, or no contrib package)
        logger.warning("pg_trgm unavailable (%s): partial certificate lookups read the table", exc)
        return
    # fastupdate off: the sync writes certificates in bulk, and rows parked in
    # a GIN index's pending list make the planner price the index above a
    # read of the whole table until a vacuum merges them
    schema_editor.execute(
        f"CREATE INDEX IF NOT EXISTS {PARTIAL_INDEX} ON registry_certificate "
        "USING gin (UPPER(number) gin_trgm_ops) WITH (fastupdate = off)"
    )


def backwards(apps, schema_editor):
    if schema_editor.connection.vendor != "postgresql":
        return
    schema_editor.execute(f"DROP INDEX IF EXISTS {PARTIAL_INDEX}")
    schema_editor.execute(f"DROP INDEX IF EXISTS {EXACT_INDEX}")


class Migration(migrations.Migration):
    dependencies = [("registry", "0007_identity_constraints")]

    operations = [migrations.RunPython(forwards, backwards)]

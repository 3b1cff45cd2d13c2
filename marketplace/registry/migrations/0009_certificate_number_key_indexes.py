"""The certificate lookup compares number keys (folded, capitals, no
spaces: marketplace/registry/certificate_numbers.py), so "4315/qd-bnn-ktht"
finds 4315/QĐ-BNN-KTHT (issue 15). Its indexes move from `UPPER(number)`
(migration 0008) to the key's expression, a b-tree for the exact match and,
with pg_trgm, a trigram index for the partial one.

The letters are a frozen copy of `certificate_numbers.MARKED_LETTERS` and
`PLAIN_LETTERS` (a migration must not change when live code does);
tests/registry/test_certificate_lookup.py checks they agree. PostgreSQL
only, like 0008.
"""

import logging

from django.db import migrations, transaction

logger = logging.getLogger(__name__)

MARKED = (
    "àáảãạăằắẳẵặâầấẩẫậèéẻẽẹêềếểễệìíỉĩịòóỏõọôồốổỗộơờớởỡợùúủũụưừứửữựỳýỷỹỵđ"
    "ÀÁẢÃẠĂẰẮẲẴẶÂẦẤẨẪẬÈÉẺẼẸÊỀẾỂỄỆÌÍỈĨỊÒÓỎÕỌÔỒỐỔỖỘƠỜỚỞỠỢÙÚỦŨỤƯỪỨỬỮỰỲÝỶỸỴĐ"
)
PLAIN = (
    "aaaaaaaaaaaaaaaaaeeeeeeeeeeeiiiiiooooooooooooooooouuuuuuuuuuuyyyyyd"
    "aaaaaaaaaaaaaaaaaeeeeeeeeeeeiiiiiooooooooooooooooouuuuuuuuuuuyyyyyd"
)
KEY = f"UPPER(REPLACE(TRANSLATE(number, '{MARKED}', '{PLAIN}'), ' ', ''))"

OLD_EXACT, OLD_PARTIAL = "registry_certificate_number_upper", "registry_certificate_number_upper_trgm"
EXACT_INDEX = "registry_certificate_number_key"
PARTIAL_INDEX = "registry_certificate_number_key_trgm"


def forwards(apps, schema_editor):
    if schema_editor.connection.vendor != "postgresql":
        return
    schema_editor.execute(f"DROP INDEX IF EXISTS {OLD_PARTIAL}")
    schema_editor.execute(f"DROP INDEX IF EXISTS {OLD_EXACT}")
    schema_editor.execute(f"CREATE INDEX IF NOT EXISTS {EXACT_INDEX} ON registry_certificate ({KEY})")
    try:
        with transaction.atomic(using=schema_editor.connection.alias):
            schema_editor.execute("CREATE EXTENSION IF NOT EXISTS pg_trgm")
    except Exception as exc:  # noqa: BLE001 (no permission, or no contrib package)
        logger.warning("pg_trgm unavailable (%s): partial certificate lookups read the table", exc)
        return
    # fastupdate off, as in 0008: bulk sync writes would otherwise sit in the
    # pending list and price the index above a whole-table read
    schema_editor.execute(
        f"CREATE INDEX IF NOT EXISTS {PARTIAL_INDEX} ON registry_certificate "
        f"USING gin (({KEY}) gin_trgm_ops) WITH (fastupdate = off)"
    )


def backwards(apps, schema_editor):
    if schema_editor.connection.vendor != "postgresql":
        return
    schema_editor.execute(f"DROP INDEX IF EXISTS {PARTIAL_INDEX}")
    schema_editor.execute(f"DROP INDEX IF EXISTS {EXACT_INDEX}")
    schema_editor.execute(
        f"CREATE INDEX IF NOT EXISTS {OLD_EXACT} ON registry_certificate (UPPER(number))"
    )


class Migration(migrations.Migration):
    dependencies = [("registry", "0008_certificate_number_indexes")]

    operations = [migrations.RunPython(forwards, backwards)]

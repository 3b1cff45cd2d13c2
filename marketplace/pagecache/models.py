"""The catalogue generation: one counter the database itself bumps.

Every cached page and fragment is keyed on it (see generation.py). Triggers
(migration 0001, PostgreSQL only) add one to it in the same transaction as
any write to a table a shopper page shows, so a cached page can never
outlive the data it was rendered from, whichever code path wrote the data:
the ORM, `QuerySet.update()`, `bulk_create`, the registry sync or raw SQL.
"""

from django.db import models


class CatalogueGeneration(models.Model):
    """A single row (id 1). Missing (a fresh or truncated table) reads as 0;
    the trigger's upsert recreates it."""

    value = models.BigIntegerField(default=0)

    class Meta:
        verbose_name = "catalogue generation"

    def __str__(self) -> str:
        return f"generation {self.value}"

"""Turn a `--source` argument into a registry client.

A URL is the national API (or the stand-in); a `.json`/`.json.gz` file is a
registry snapshot; a `.csv`/`.xlsx` file is a province's decision list,
which is a partial source: it never withdraws what it does not mention.
"""

from collections.abc import Iterator
from dataclasses import dataclass
from pathlib import Path

from django.conf import settings

from marketplace.ocop.models import RecordSource
from marketplace.registry.client import RegistryClient, RegistryPage, SnapshotFileClient
from marketplace.registry.decision_lists import decision_list_read

REJECTED_REASON_KEY = "_rejected_reason"
DECISION_LIST_SUFFIXES = (".csv", ".xlsx")


@dataclass
class DecisionListSource:
    """A decision list as one page; bad rows travel on with their reason so
    the sync stores them as rejected records. Layout rows (groups, totals,
    footnotes) are not records at all: they are only counted as skipped."""

    path: Path
    source_kind = RecordSource.DECISION_LIST
    skipped_count: int = 0

    @property
    def source(self) -> str:
        return str(self.path)

    def iter_pages(self) -> Iterator[RegistryPage]:
        table = decision_list_read(self.path)
        self.skipped_count = len(table.skipped)
        results = [
            row.record if row.record is not None else _rejected_row(row) for row in table.rows
        ]
        yield RegistryPage(count=len(results), results=results, next_url=None, url=self.source)


def _rejected_row(row) -> dict:
    """A refused row, with what it said, so operators see the row itself."""
    return {
        REJECTED_REASON_KEY: _line_reason(row.line, row.error),
        "line": row.line,
        "sheet": row.sheet,
        "cells": row.cells,
    }


def _line_reason(line: int, error: str) -> str:
    """Every rejected row names its line (and sheet, when there are several), once."""
    return error if error.startswith(("dòng ", "trang ")) else f"dòng {line}: {error}"


def registry_source(spec: str | None = None):
    """The client for `spec`, or for `settings.REGISTRY_URL` when omitted.

    Returns (client, is_full_registry): only a full registry crawl may
    withdraw certificates that are absent from it.
    """
    spec = spec or settings.REGISTRY_URL
    if not spec:
        raise ValueError("No registry source: set REGISTRY_URL or pass --source")
    if spec.startswith(("http://", "https://")):
        return (
            RegistryClient(
                base_url=spec,
                timeout=settings.REGISTRY_TIMEOUT,
                min_interval=settings.REGISTRY_MIN_INTERVAL,
                page_size=settings.REGISTRY_PAGE_SIZE,
            ),
            True,
        )
    path = Path(spec)
    if not path.exists():
        raise ValueError(f"Registry source not found: {spec}")
    if path.suffix.lower() in DECISION_LIST_SUFFIXES:
        return DecisionListSource(path), False
    return SnapshotFileClient(path), True

"""Turn a `--source` argument into a registry client.

A URL is the national API (or the stand-in); a `.json`/`.json.gz` file is a
registry snapshot; a `.csv`/`.xlsx` file is a province's decision list,
which is a partial source: it never withdraws what it does not mention.
"""

from collections.abc import Iterator
from dataclasses import dataclass
from pathlib import Path

from django.conf import settings

from marketplace.registry.client import RegistryClient, RegistryPage, SnapshotFileClient
from marketplace.registry.decision_lists import decision_list_read

REJECTED_REASON_KEY = "_rejected_reason"


@dataclass
class DecisionListSource:
    """A decision list as one page; bad rows travel on with their reason so
    the sync stores them as rejected records."""

    path: Path

    @property
    def source(self) -> str:
        return str(self.path)

    def iter_pages(self) -> Iterator[RegistryPage]:
        rows = decision_list_read(self.path)
        results = [
            row.record
            if row.record is not None
            else {REJECTED_REASON_KEY: f"dòng {row.line}: {row.error}", "line": row.line}
            for row in rows
        ]
        yield RegistryPage(count=len(results), results=results, next_url=None, url=self.source)


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
    if path.suffix.lower() in (".csv", ".xlsx"):
        return DecisionListSource(path), False
    return SnapshotFileClient(path), True

"""An operator's confirmed upload, its import task delivered twice: in a row,
the second finds the run ended; at once, the second finds the first
importing and leaves the run and the upload to it. One import either way."""

import time

import pytest
from django.core.files import File

from marketplace.ocop.models import Certificate, RecordSource
from marketplace.registry import tasks
from marketplace.registry.models import SyncRun, SyncStatus
from marketplace.registry.uploads import UPLOAD_DIR, upload_storage
from tests.registry import decision_list_files as files
from tests.twice import committed_db, deliver_at_once


@pytest.fixture
def confirmed_upload(settings, tmp_path):
    """A stored upload (four good rows, one rejected) and the run its
    confirmation made; returns (run, stored name)."""
    private = {**settings.STORAGES["private"], "OPTIONS": {"location": tmp_path / "private"}}
    settings.STORAGES = {**settings.STORAGES, "private": private}
    settings.OPENSEARCH_URL = ""
    path = files.operator_upload_list(tmp_path)
    with path.open("rb") as handle:
        name = upload_storage().save(f"{UPLOAD_DIR}/confirmed/{path.name}", File(handle))
    run = SyncRun.objects.create(source=path.name, source_kind=RecordSource.DECISION_LIST)
    return run, name


def _imported(run: SyncRun, name: str) -> tuple:
    """The run's outcome and counts, the listed certificates, and whether
    the upload is still stored."""
    run.refresh_from_db()
    listed = Certificate.objects.filter(source=RecordSource.DECISION_LIST).count()
    return run.status, run.created, run.rejected, listed, upload_storage().exists(name)


@pytest.mark.django_db
def test_delivered_twice_in_a_row_imports_once(confirmed_upload):
    run, name = confirmed_upload
    first = tasks.decision_list_import_task(run.pk, name)
    second = tasks.decision_list_import_task(run.pk, name)
    assert (first["status"], second["status"]) == ("succeeded", "succeeded")
    assert _imported(run, name) == (SyncStatus.SUCCEEDED, 4, 1, 4, False)


@committed_db
def test_delivered_twice_at_once_imports_once(confirmed_upload, monkeypatch):
    run, name = confirmed_upload
    # the import takes a while, so the second delivery arrives mid-import
    importing = tasks.decision_list_import

    def slow_import(**kwargs):
        time.sleep(0.5)
        return importing(**kwargs)

    monkeypatch.setattr(tasks, "decision_list_import", slow_import)
    results = deliver_at_once(lambda: tasks.decision_list_import_task(run.pk, name))
    assert sorted(r["status"] for r in results) == ["already running", "succeeded"]
    assert _imported(run, name) == (SyncStatus.SUCCEEDED, 4, 1, 4, False)

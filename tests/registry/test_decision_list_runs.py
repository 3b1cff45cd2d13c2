"""A province's list imported through the sync: what it imports, what it
skips, and how it fails (as a run with its reason, never a traceback, and
never left running)."""

from datetime import timedelta

import pytest
from django.core.management import CommandError, call_command
from django.utils import timezone

from marketplace.ocop.models import Certificate
from marketplace.registry.models import RejectedRecord, SyncRun
from marketplace.registry.services import certificate_sync
from marketplace.registry.sources import registry_source
from tests.registry import decision_list_files as files

pytestmark = pytest.mark.django_db


def _import(path) -> SyncRun:
    client, full = registry_source(str(path))
    return certificate_sync(client=client, reconcile_absences=full)


def test_a_two_row_merged_header_list_imports_every_product(tmp_path):
    run = _import(files.two_row_header_list(tmp_path))
    assert (run.status, run.created, run.rejected) == ("succeeded", 40, 0)
    assert run.source_kind == "decision_list"
    assert Certificate.objects.filter(source="decision_list").count() == 40


def test_a_phan_hang_district_list_imports_every_product(tmp_path):
    run = _import(files.one_row_header_list(tmp_path))
    assert (run.status, run.created, run.rejected) == ("succeeded", 12, 0)


def test_layout_rows_are_skipped_not_rejected(tmp_path):
    run = _import(files.layout_rows_list(tmp_path))
    assert (run.status, run.created, run.rejected) == ("succeeded", 5, 0)
    assert run.skipped >= 8
    assert not RejectedRecord.objects.exists()


@pytest.mark.parametrize(
    "build",
    [
        files.html_named_xlsx,
        files.csv_named_xlsx,
        files.xls_named_xlsx,
        files.empty_workbook,
        files.workbook_without_table,
        files.damaged_workbook,
    ],
    ids=["html", "csv", "xls", "empty", "no table", "damaged"],
)
def test_a_file_that_is_no_list_fails_its_run_with_a_reason(tmp_path, build):
    # when a file that cannot be read as a list is imported
    run = _import(build(tmp_path))
    # then the run failed with a Vietnamese reason, changed nothing, and is not running
    assert run.status == "failed" and run.finished_at is not None
    assert run.error and "Traceback" not in run.error
    assert not Certificate.objects.exists()


def test_a_list_without_a_stars_column_fails_once_with_that_reason(tmp_path):
    header = ["STT", "Tên sản phẩm", "Chủ thể", "Địa chỉ", "Bộ sản phẩm", "Kết luận"]
    rows = [[n, f"Gốm {n}", "HTX Gốm", "Bát Tràng", "Gốm sứ", "4 sao"] for n in range(1, 41)]
    run = _import(files.one_row_header_list(tmp_path, rows, header=header))
    assert run.status == "failed" and "không nhận ra cột số sao" in run.error
    assert not RejectedRecord.objects.exists()  # said once, on the run, not 40 times


def test_a_list_whose_every_row_is_rejected_fails(tmp_path):
    rows = [files.two_row_row(n, p, stars="mười") for n, p in enumerate(files.products(6), 1)]
    run = _import(files.two_row_header_list(tmp_path, rows))
    assert run.status == "failed" and run.created == 0
    assert run.error.startswith("Không nhập được dòng nào") and "(6/6 dòng)" in run.error


def test_a_10000_character_cell_rejects_its_row_and_the_rest_imports(tmp_path):
    rows = [files.two_row_row(n, p) for n, p in enumerate(files.products(30), 1)]
    rows[6][2] = "H" * 10_000
    run = _import(files.two_row_header_list(tmp_path, rows))
    assert (run.status, run.created, run.rejected) == ("succeeded", 29, 1)
    reason = RejectedRecord.objects.get().reason
    assert "cột Chủ thể" in reason and "10000 ký tự, tối đa 255" in reason


def test_the_command_exits_non_zero_with_the_reason(tmp_path):
    with pytest.raises(CommandError):
        call_command("sync_registry", "--source", str(files.html_named_xlsx(tmp_path)))
    assert SyncRun.objects.get().status == "failed"


def test_a_run_left_running_is_marked_failed_when_the_next_starts(tmp_path):
    # given a run a killed worker left "running" three hours ago
    stale = SyncRun.objects.create(source="x.xlsx", started_at=timezone.now() - timedelta(hours=3))
    recent = SyncRun.objects.create(source="y.xlsx")
    # when the next sync starts
    _import(files.one_row_header_list(tmp_path))
    # then the stale one is failed with a reason and a running one is left alone
    stale.refresh_from_db()
    recent.refresh_from_db()
    assert stale.status == "failed" and stale.error and stale.finished_at
    assert recent.status == "running"

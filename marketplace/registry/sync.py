"""The certificate sync: crawl a registry source, then apply it.

`certificate_sync` crawls a source to the end before it changes anything,
so a crawl that fails part-way changes nothing. It then validates each
record on its own (rejecting bad ones with a reason: `rejections.py`),
heals merged producers (`producers.py`), upserts producers, certificates
and their catalogue products in batches (`apply.py`) inside one
transaction, and withdraws absent certificates only after a complete
national crawl that did not shrink suspiciously. Photos are fetched after
it commits (`photos.py`).

Three rules keep national-scale data honest:
- only absence withdraws: a known product whose record arrives unreadable
  is *seen*, and keeps its last good data;
- a producer is (folded name, 2025 province), and its data comes from a
  preferred record, not the first one crawled (`producer_identity`);
- two sources, one truth: a province's decision list and the national API
  match each other's certificates, and each source's absences and shrink
  guard concern only what that source holds.
"""

import logging
from collections.abc import Iterable
from dataclasses import dataclass, field
from datetime import timedelta
from pathlib import Path

from django.conf import settings
from django.db import connection, transaction
from django.utils import timezone

from marketplace.core.locks import run_slot
from marketplace.ocop.models import RecordSource
from marketplace.registry.apply import Applier
from marketplace.registry.client import RegistrySource, RegistryUnavailable
from marketplace.registry.decision_lists import DecisionListError
from marketplace.registry.models import SyncRun, SyncStatus
from marketplace.registry.producers import producers_heal
from marketplace.registry.rejections import (
    nothing_imported_reason,
    records_validate,
    rejections_store,
    unreadable_streaks,
)
from marketplace.registry.runs import (
    Progress,
    run_alert_add,
    run_finish,
    run_progress_set,
)
from marketplace.registry.sources import DecisionListSource
from search.tasks import reindex_on_commit

logger = logging.getLogger(__name__)

SHRINK_GUARD_RATIO = 0.9
BATCH_SIZE = 500


@dataclass
class _Crawl:
    """Every record a source sent, and how many it said it holds."""

    records: list = field(default_factory=list)
    expected: int | None = None
    error: str = ""

    @property
    def complete(self) -> bool:
        return not self.error and self.expected is not None and len(self.records) >= self.expected


def _crawl(client: RegistrySource, run: SyncRun, progress: Progress | None) -> _Crawl:
    """Read the whole source. Any failure to read it (network, a file that is
    no spreadsheet, a broken snapshot) ends the crawl as incomplete with a
    reason, never as a traceback."""
    crawl = _Crawl()
    try:
        for page in client.iter_pages():
            if crawl.expected is None:
                crawl.expected = page.count
            crawl.records.extend(page.results)
            run_progress_set(run, "crawl", len(crawl.records), crawl.expected)
            if progress:
                progress(len(crawl.records), crawl.expected)
    except (RegistryUnavailable, DecisionListError) as exc:
        crawl.error = str(exc)
    except Exception as exc:  # a source we cannot read must not leave the run hanging
        logger.exception("registry source %s could not be read", client.source)
        crawl.error = f"Không đọc được nguồn dữ liệu ({type(exc).__name__}: {exc})"
    return crawl


def _last_good_count(kind: str) -> int | None:
    """The size of the last good complete crawl of this kind of source: a
    12-row decision list says nothing about how big the national API is. A
    run that alerted for another reason (an unreadable streak) still counts;
    one whose own crawl shrank does not."""
    run = (
        SyncRun.objects.filter(
            status__in=[SyncStatus.SUCCEEDED, SyncStatus.ALERT],
            shrink_guarded=False,
            complete_crawl=True,
            dry_run=False,
            source_kind=kind,
        )
        .order_by("-started_at")
        .first()
    )
    return run.seen if run else None


def _stale_runs_fail() -> None:
    """A run still "running" long after any sync could take was killed
    mid-way (its transaction rolled back, so it changed nothing); say so."""
    cutoff = timezone.now() - timedelta(minutes=settings.REGISTRY_SYNC_STALE_MINUTES)
    SyncRun.objects.filter(status=SyncStatus.RUNNING, started_at__lt=cutoff).update(
        status=SyncStatus.FAILED,
        finished_at=timezone.now(),
        error="Lượt đồng bộ bị gián đoạn, không thay đổi dữ liệu nào (interrupted).",
    )


def _chunks(items: list, size: int) -> Iterable[list]:
    """Apply in batches: one savepoint each, and progress shown between."""
    for start in range(0, len(items), size):
        yield items[start : start + size]


def certificate_sync(
    *,
    client: RegistrySource,
    dry_run: bool = False,
    reconcile_absences: bool = True,
    batch_size: int = BATCH_SIZE,
    progress: Progress | None = None,
    run: SyncRun | None = None,
    skip_if_running: bool = False,
) -> SyncRun:
    """Sync certificates from a registry source; returns the recorded SyncRun.

    The source's `source_kind` (national unless it says otherwise) scopes
    withdrawal and the shrink guard. `reconcile_absences` is False for
    partial sources, which say nothing about certificates they do not list.
    With `dry_run`, everything is computed and counted, then rolled back.
    Pass `run` to fill a run created beforehand (an operator's upload).
    Whatever happens, the run ends succeeded, alert or failed, never running.

    With `skip_if_running` (the scheduled task), a sync that finds another
    such sync still running records a skipped run and does nothing: a
    second delivery of the task, or a second beat, costs no second crawl.
    """
    if skip_if_running:
        with run_slot(SYNC_SLOT) as ours:
            if not ours:
                return _skipped_run(client)
            return certificate_sync(
                client=client,
                dry_run=dry_run,
                reconcile_absences=reconcile_absences,
                batch_size=batch_size,
                progress=progress,
                run=run,
            )
    _stale_runs_fail()
    kind = getattr(client, "source_kind", RecordSource.NATIONAL)
    if run is None:
        run = SyncRun.objects.create(
            source=str(client.source)[:500], source_kind=kind, dry_run=dry_run
        )
    try:
        return _sync(client, run, dry_run, reconcile_absences, batch_size, progress)
    except Exception as exc:
        logger.exception("registry sync failed on %s", client.source)
        run.error = f"{type(exc).__name__}: {str(exc)[:500]}"
        run.alert = "Đồng bộ thất bại: không thay đổi dữ liệu nào (sync failed, nothing changed)."
        run.created = run.updated = run.unchanged = run.withdrawn = run.matched_national = 0
        return run_finish(run, SyncStatus.FAILED)
    except BaseException:  # Ctrl-C or a worker's shutdown: say so, then stop
        run.error = "Bị dừng giữa chừng; không thay đổi dữ liệu nào (interrupted, nothing changed)."
        run.created = run.updated = run.unchanged = run.withdrawn = run.matched_national = 0
        run_finish(run, SyncStatus.FAILED)
        raise


SYNC_LOCK_KEY = 0x0C0B_5A11
"""PostgreSQL advisory lock that lets one sync apply at a time."""


SYNC_SLOT = 0x0C0B_5A12
"""The `run_slot` a scheduled sync holds from crawl to finish."""


def _skipped_run(client: RegistrySource) -> SyncRun:
    """Record that this sync found another running, and did nothing."""
    run = SyncRun(
        source=str(client.source)[:500],
        source_kind=getattr(client, "source_kind", RecordSource.NATIONAL),
        alert="Một lượt đồng bộ khác đang chạy; bỏ qua lượt này (another sync is running).",
    )
    return run_finish(run, SyncStatus.SKIPPED)


def _apply_lock() -> None:
    """Wait for any other sync's apply to commit first (a beat sync beside
    an operator's upload would otherwise both create the same producer).
    Released with the transaction; SQLite serialises writers by itself."""
    if connection.vendor == "postgresql":
        with connection.cursor() as cursor:
            cursor.execute("SELECT pg_advisory_xact_lock(%s)", [SYNC_LOCK_KEY])


def _sync(client, run, dry_run, reconcile_absences, batch_size, progress) -> SyncRun:
    national = run.source_kind == RecordSource.NATIONAL
    crawl = _crawl(client, run, progress)
    run.expected_count = crawl.expected
    run.seen = len(crawl.records)
    run.complete_crawl = crawl.complete
    run.skipped = getattr(client, "skipped_count", 0)

    if not crawl.complete:
        run.error = crawl.error or (
            f"crawl ended after {len(crawl.records)} of {crawl.expected} records"
        )
        run.alert = "Thu thập không đầy đủ: không thay đổi dữ liệu nào (incomplete crawl)."
        rejections_store(run=run, rejections=records_validate(run, crawl.records).rejections)
        return run_finish(run, SyncStatus.FAILED)

    checked = records_validate(run, crawl.records)
    rejections_store(run=run, rejections=checked.rejections)
    if not national and crawl.records and not checked.valid:
        run.error = nothing_imported_reason(checked.rejections)
        run.alert = "Không nhập được sản phẩm nào từ danh sách (nothing imported)."
        return run_finish(run, SyncStatus.FAILED)

    reconcile = national and reconcile_absences
    last_good = _last_good_count(run.source_kind) if reconcile else None
    shrunk = last_good is not None and run.seen < SHRINK_GUARD_RATIO * last_good
    run.shrink_guarded = shrunk
    if shrunk:
        run_alert_add(
            run,
            f"Số bản ghi giảm bất thường: {run.seen} so với {last_good} lần trước; "
            f"không thu hồi chứng nhận nào (shrank below {SHRINK_GUARD_RATIO:.0%}).",
        )
    if run.kept_unreadable:
        run_alert_add(
            run,
            f"{run.kept_unreadable} bản ghi của sản phẩm đã biết không đọc được; giữ dữ liệu tốt "
            "gần nhất (known products' records unreadable; kept the last good data).",
        )
    stuck = ""
    with transaction.atomic():
        _apply_lock()
        splits = producers_heal(run=run)
        if splits:
            run_alert_add(
                run,
                f"Đã tách {len(splits)} chủ thể trùng tên ở tỉnh khác "
                f"(split {len(splits)} same-name producers by province).",
            )
        applier = Applier(run)
        valid = applier.identities_resolve(checked.valid)
        applier.producers_sync(valid)
        for done, batch in enumerate(_chunks(valid, batch_size), start=1):
            with transaction.atomic():
                applier.apply_batch(batch)
            run_progress_set(run, "apply", min(done * batch_size, len(valid)), len(valid))
        if reconcile and not shrunk:
            applier.withdraw_absent({d.registry_id for d in valid} | checked.kept_ids)
        if reconcile:
            stuck = unreadable_streaks(run, checked.kept_ids)
            run_alert_add(run, stuck)
        if dry_run:
            transaction.set_rollback(True)
        else:
            reindex_on_commit(applier.touched_product_ids())
    return run_finish(run, SyncStatus.ALERT if shrunk or stuck else SyncStatus.SUCCEEDED)


def decision_list_import(*, run: SyncRun, path: str | Path) -> SyncRun:
    """Import a province's decision list into a run created beforehand (an
    operator's upload shows that run's progress while this works)."""
    return certificate_sync(
        client=DecisionListSource(Path(path)), reconcile_absences=False, run=run
    )

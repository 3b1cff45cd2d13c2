"""Operators' view of registry syncs: runs, their counts, rejected records,
a button to start a sync now, and a province's decision list to upload
(checked, previewed, then imported through Celery). Staff only."""

from collections import defaultdict
from datetime import date

from django.conf import settings
from django.contrib import messages
from django.core.paginator import Paginator
from django.http import Http404
from django.shortcuts import get_object_or_404, redirect, render
from django.template.defaultfilters import filesizeformat
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy
from django.views.decorators.csrf import csrf_exempt, csrf_protect
from django.views.decorators.http import require_POST

from marketplace.core import request_params
from marketplace.core.tasks import enqueue
from marketplace.dashboard.permissions import staff_required
from marketplace.dashboard.registry.forms import DecisionListUploadForm
from marketplace.registry.decision_lists import DecisionListError, decision_list_read
from marketplace.registry.models import RejectedRecord, SyncRun, SyncStatus
from marketplace.registry.services import sync_progress
from marketplace.registry.tasks import decision_list_import_task, registry_sync_task
from marketplace.registry.uploads import (
    decision_list_import_start,
    decision_list_upload_delete,
    decision_list_upload_store,
    upload_local_copy,
)

UPLOADS_SESSION_KEY = "registry_uploads"
# Uploads one session may hold unconfirmed; the oldest goes beyond this.
MAX_PENDING_UPLOADS = 10
# Room for the multipart envelope around the file (boundary, headers, token).
MULTIPART_SLACK = 64 * 1024
PREVIEW_ROWS = 200
SAMPLE_RECORDS = 20

SKIPPED_KINDS = {
    "group": gettext_lazy("Dòng nhóm"),
    "column_numbers": gettext_lazy("Dòng số thứ tự cột"),
    "total": gettext_lazy("Dòng tổng"),
    "footnote": gettext_lazy("Ghi chú, chữ ký"),
    "header": gettext_lazy("Tiêu đề lặp lại"),
}
PROGRESS_PHASES = {
    "crawl": gettext_lazy("Đang đọc tệp"),
    "apply": gettext_lazy("Đang ghi dữ liệu"),
}


def _sync_page(request, form: DecisionListUploadForm, upload_error: str = ""):
    runs = Paginator(SyncRun.objects.all(), 25).get_page(
        request_params.page_number(request.GET.get("page"))
    )
    return render(
        request,
        "oscar/dashboard/registry/sync_run_list.html",
        {
            "runs": runs,
            "upload_form": form,
            "upload_error": upload_error,
            "upload_limit": settings.REGISTRY_UPLOAD_MAX_BYTES,
            "still_failing": RejectedRecord.objects.with_state().filter(still_failing=True).count(),
        },
    )


@staff_required
def sync_run_list(request):
    return _sync_page(request, DecisionListUploadForm())


@staff_required
def sync_run_detail(request, pk: int):
    run = get_object_or_404(SyncRun, pk=pk)
    running = run.status == SyncStatus.RUNNING
    progress = sync_progress(run) if running else None
    if progress:
        progress = {**progress, "label": PROGRESS_PHASES.get(progress["phase"], "")}
    rejections = Paginator(run.rejections.select_related("certificate"), 50).get_page(
        request_params.page_number(request.GET.get("page"))
    )
    changes = run.changes.select_related("certificate")[:200]
    counts = [
        (_("Đã thấy"), run.seen),
        (_("Tạo mới"), run.created),
        (_("Cập nhật"), run.updated),
        (_("Không đổi"), run.unchanged),
        (_("Đã có trên hệ thống quốc gia"), run.matched_national),
        (_("Thu hồi"), run.withdrawn),
        (_("Bỏ qua (dòng trình bày)"), run.skipped),
        (_("Từ chối"), run.rejected),
        (_("Giữ dữ liệu cũ (bản ghi không đọc được)"), run.kept_unreadable),
    ]
    return render(
        request,
        "oscar/dashboard/registry/sync_run_detail.html",
        {
            "run": run,
            "running": running,
            "progress": progress,
            "counts": counts,
            "alerts": run.alert.splitlines(),
            "splits": run.splits.select_related("producer", "new_producer"),
            "rejections": rejections,
            "changes": changes,
        },
    )


@staff_required
@require_POST
def sync_start(request):
    """Queue a sync of the configured registry (runs inline when Celery is
    eager, as in the embedded default). A broker that is down, or an eager
    sync that fails (no registry configured), is logged and said, not a 500."""
    if enqueue(registry_sync_task):
        messages.success(request, _("Đã bắt đầu đồng bộ với hệ thống OCOP."))
    else:
        messages.error(
            request,
            _("Chưa bắt đầu được đồng bộ; hãy thử lại sau ít phút (chi tiết trong nhật ký)."),
        )
    return redirect("dashboard:registry-sync-runs")


# ---------------------------------------------------------------- uploads


def _pending(request) -> dict:
    return dict(request.session.get(UPLOADS_SESSION_KEY, {}))


def _pending_save(request, pending: dict) -> None:
    request.session[UPLOADS_SESSION_KEY] = pending


def _pending_get(request, token: str) -> dict:
    """This session's upload for `token`. The stored name comes from the
    session only: a token from another session, or a path, finds nothing."""
    entry = _pending(request).get(token)
    if entry is None:
        raise Http404(_("Không tìm thấy tệp đã tải lên trong phiên làm việc này."))
    return entry


def _pending_pop(request, token: str) -> dict | None:
    pending = _pending(request)
    entry = pending.pop(token, None)
    _pending_save(request, pending)
    return entry


@csrf_exempt  # checked below, once the size is known to be sane
@staff_required
@require_POST
def decision_list_upload(request):
    """Take a decision list for preview. A body larger than the limit is
    refused from its Content-Length, before Django reads it (the CSRF check
    would otherwise read it all to find its token)."""
    length = request.META.get("CONTENT_LENGTH") or "0"
    limit = settings.REGISTRY_UPLOAD_MAX_BYTES
    if request_params.integer(length, high=limit + MULTIPART_SLACK) is None:
        refusal = _("Tệp quá lớn: chỉ nhận tệp tới %(limit)s.") % {"limit": filesizeformat(limit)}
        return _sync_page(request, DecisionListUploadForm(), upload_error=refusal)
    return _decision_list_upload(request)


@csrf_protect
def _decision_list_upload(request):
    form = DecisionListUploadForm(request.POST, request.FILES)
    if not form.is_valid():
        return _sync_page(request, form)
    upload = form.cleaned_data["file"]
    token, name = decision_list_upload_store(upload=upload)
    pending = _pending(request)
    pending[token] = {
        "name": name,
        "file": name.rsplit("/", 1)[-1],
        "size": upload.size,
        "importable": None,  # known once previewed
    }
    while len(pending) > MAX_PENDING_UPLOADS:
        oldest = next(iter(pending))
        decision_list_upload_delete(name=pending.pop(oldest)["name"])
    _pending_save(request, pending)
    return redirect("dashboard:registry-upload-preview", token=token)


@staff_required
def decision_list_preview(request, token: str):
    """What an import of the upload would do: rows to import, layout rows
    skipped, rows rejected with their reasons, or why the file is no list."""
    entry = _pending_get(request, token)
    table, error = None, ""
    try:
        with upload_local_copy(entry["name"]) as path:
            table = decision_list_read(path)
    except FileNotFoundError:
        _pending_pop(request, token)
        messages.error(request, _("Tệp đã tải lên không còn nữa; hãy tải lên lại."))
        return redirect("dashboard:registry-sync-runs")
    except DecisionListError as exc:
        error = str(exc)
    importable = table is not None and bool(table.records)
    pending = _pending(request)
    pending[token] = {**entry, "importable": importable}
    _pending_save(request, pending)

    context = {"token": token, "entry": entry, "error": error, "importable": importable}
    if table is not None:
        skipped = defaultdict(list)
        for row in table.skipped:
            skipped[row.kind].append(row)
        rejected = table.rejected
        context.update(
            table=table,
            recognised=len(table.rows),
            to_import=len(table.records),
            sample=[_record_summary(r) for r in table.records[:SAMPLE_RECORDS]],
            skipped_count=len(table.skipped),
            skipped_groups=[
                (SKIPPED_KINDS.get(kind, kind), rows)
                for kind, rows in sorted(skipped.items(), key=lambda item: _kind_order(item[0]))
            ],
            rejected=rejected[:PREVIEW_ROWS],
            rejected_count=len(rejected),
            rejected_hidden=max(0, len(rejected) - PREVIEW_ROWS),
        )
    return render(request, "oscar/dashboard/registry/decision_list_preview.html", context)


def _kind_order(kind: str) -> int:
    kinds = list(SKIPPED_KINDS)
    return kinds.index(kind) if kind in kinds else len(kinds)


def _record_summary(record: dict) -> dict:
    manufacturer = record.get("manufacturer") or {}
    return {
        "name": record.get("name", ""),
        "producer": manufacturer.get("name", ""),
        "stars": record.get("ocop_star"),
        "number": record.get("ocop_certificate_number", ""),
        "issued_on": _iso_date(record.get("issued_on")),
    }


def _iso_date(value) -> date | str:
    try:
        return date.fromisoformat(value)
    except (TypeError, ValueError):
        return value or ""


@staff_required
@require_POST
def decision_list_confirm(request, token: str):
    entry = _pending_get(request, token)
    if not entry.get("importable"):
        if entry.get("importable") is False:
            messages.error(request, _("Tệp này không có dòng nào nhập được; xem lý do bên dưới."))
        return redirect("dashboard:registry-upload-preview", token=token)
    _pending_pop(request, token)
    run = decision_list_import_start(
        token=token,
        storage_name=entry["name"],
        file_name=entry["file"],
        queue=decision_list_import_task.delay,
    )
    messages.success(request, _("Đã bắt đầu nhập danh sách %(file)s.") % {"file": entry["file"]})
    return redirect("dashboard:registry-sync-run", pk=run.pk)


@staff_required
@require_POST
def decision_list_cancel(request, token: str):
    entry = _pending_pop(request, token)
    if entry is not None:
        decision_list_upload_delete(name=entry["name"])
        messages.info(request, _("Đã huỷ tệp %(file)s.") % {"file": entry["file"]})
    return redirect("dashboard:registry-sync-runs")


# ---------------------------------------------------------------- rejected records


@staff_required
def rejected_record_list(request):
    """Distinct rejected records, newest sighting first: what is still
    failing (by default) and since when, or every one with `?all=1`."""
    show_all = request_params.flag(request.GET.get("all"))
    records = RejectedRecord.objects.with_state().select_related("sync_run", "certificate")
    if not show_all:
        records = records.filter(still_failing=True)
    page = Paginator(records.order_by("-last_seen_at", "-pk"), 50).get_page(
        request_params.page_number(request.GET.get("page"))
    )
    return render(
        request,
        "oscar/dashboard/registry/rejected_record_list.html",
        {"page": page, "show_all": show_all},
    )

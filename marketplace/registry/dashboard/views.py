"""Operators' view of registry syncs: runs, their counts, rejected records,
and a button to start a sync now. Staff only."""

from django.contrib import messages
from django.contrib.admin.views.decorators import staff_member_required
from django.core.paginator import Paginator
from django.shortcuts import get_object_or_404, redirect, render
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from marketplace.registry.models import SyncRun
from marketplace.registry.tasks import registry_sync_task

staff_required = staff_member_required(login_url="customer:login")


@staff_required
def sync_run_list(request):
    runs = Paginator(SyncRun.objects.all(), 25).get_page(request.GET.get("page"))
    return render(request, "registry/dashboard/sync_run_list.html", {"runs": runs})


@staff_required
def sync_run_detail(request, pk: int):
    run = get_object_or_404(SyncRun, pk=pk)
    rejections = Paginator(run.rejections.all(), 50).get_page(request.GET.get("page"))
    changes = run.changes.select_related("certificate")[:200]
    return render(
        request,
        "registry/dashboard/sync_run_detail.html",
        {"run": run, "rejections": rejections, "changes": changes},
    )


@staff_required
@require_POST
def sync_start(request):
    """Queue a sync of the configured registry (runs inline when Celery is
    eager, as in the embedded default)."""
    try:
        registry_sync_task.delay()
    except ValueError as exc:
        messages.error(request, str(exc))
    else:
        messages.success(request, _("Đã bắt đầu đồng bộ với hệ thống OCOP."))
    return redirect("registry-dashboard:sync-runs")

"""Operators step into a producer's workspace as support, one producer at a
time; the workspace shows a banner and records every change as support."""

from django.contrib import messages
from django.contrib.admin.views.decorators import staff_member_required
from django.shortcuts import get_object_or_404, redirect
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from marketplace.ocop.models import Producer
from marketplace.producers.workspace.access import SUPPORT_SESSION_KEY


@staff_member_required(login_url="customer:login")
@require_POST
def support_start(request, producer_pk: int):
    producer = get_object_or_404(Producer, pk=producer_pk)
    request.session[SUPPORT_SESSION_KEY] = producer.pk
    messages.info(request, _("Bạn đang hỗ trợ %(name)s.") % {"name": producer.name})
    return redirect("workspace:summary")


@staff_member_required(login_url="customer:login")
@require_POST
def support_end(request):
    request.session.pop(SUPPORT_SESSION_KEY, None)
    return redirect("dashboard:producers-list")

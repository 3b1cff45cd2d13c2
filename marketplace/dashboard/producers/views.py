"""Operators invite producers to the shop: the code goes to the registry's
email for the producer, exactly as when a producer claims. Staff only."""

from django.contrib import messages
from django.core.paginator import Paginator
from django.db.models import Count
from django.shortcuts import get_object_or_404, redirect, render
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from marketplace.core import request_params
from marketplace.dashboard.permissions import staff_required
from marketplace.ocop.models import Producer
from marketplace.producers.services import ClaimRefused, claim_start, producers_named
from marketplace.producers.views import masked


@staff_required
def producer_list(request):
    query = request_params.text(request.GET.get("q"), max_length=100, clip=True) or ""
    producers = producers_named(query) if query else Producer.objects.all()
    producers = producers.annotate(members=Count("memberships")).order_by("name")
    page = Paginator(producers, 50).get_page(request_params.page_number(request.GET.get("page")))
    return render(
        request,
        "oscar/dashboard/producers/producer_list.html",
        {"page": page, "query": query, "rows": [(p, masked(p.email)) for p in page]},
    )


@staff_required
@require_POST
def producer_invite(request, pk: int):
    producer = get_object_or_404(Producer, pk=pk)
    try:
        claim_start(producer=producer, invited_by=request.user)
    except ClaimRefused as refused:
        messages.error(request, str(refused))
    else:
        messages.success(
            request,
            _("Đã gửi lời mời và mã tới %(email)s.") % {"email": masked(producer.email)},
        )
    # only a page of this site: `next` must not make this a redirector
    next_url = request_params.local_url(request.POST.get("next"), request=request)
    return redirect(next_url or "dashboard:producers-list")

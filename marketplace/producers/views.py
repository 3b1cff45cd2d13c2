"""Claiming a producer account: find your producer, get a code at the
registry's email for it, enter the code. Signed-in users only."""

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.shortcuts import get_object_or_404, redirect, render
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST
from oscar.core.loading import get_model

from marketplace.core import request_params
from marketplace.ocop.models import Producer
from marketplace.producers.models import ProducerMembership
from marketplace.producers.services import (
    ClaimRefused,
    claim_redeem,
    claim_start,
    producers_named,
)

Product = get_model("catalogue", "Product")

login = login_required(login_url="customer:login")


def masked(email: str) -> str:
    """h***@battrang.vn: enough to recognise one's own mailbox, not to harvest."""
    name, _at, domain = email.partition("@")
    return f"{name[:1]}***@{domain}" if domain else ""


@login
def claim_find(request):
    membership = ProducerMembership.objects.filter(user=request.user).select_related("producer")
    query = request_params.text(request.GET.get("q"), max_length=100, clip=True) or ""
    results = []
    if len(query) >= 3:
        found = producers_named(query).filter(is_active=True).order_by("name")[:10]
        results = [(p, masked(p.email)) for p in found]
    return render(
        request,
        "producers/claim_find.html",
        {"query": query, "results": results, "membership": membership.first()},
    )


@login
@require_POST
def claim_send(request, pk: int):
    producer = get_object_or_404(Producer, pk=pk, is_active=True)
    try:
        claim_start(producer=producer)
    except ClaimRefused as refused:
        messages.error(request, str(refused))
        return redirect("producers:claim-find")
    messages.info(request, _("Đã gửi mã tới %(email)s.") % {"email": masked(producer.email)})
    return redirect("producers:claim-code", pk=producer.pk)


@login
def claim_code(request, pk: int):
    producer = get_object_or_404(Producer, pk=pk, is_active=True)
    if request.method == "POST":
        try:
            claim_redeem(
                user=request.user,
                producer=producer,
                code=request_params.text(request.POST.get("code"), max_length=32) or "",
            )
        except ClaimRefused as refused:
            messages.error(request, str(refused))
        else:
            messages.success(
                request, _("Tài khoản của bạn đã gắn với %(name)s.") % {"name": producer.name}
            )
            return redirect("workspace:summary")
    return render(
        request,
        "producers/claim_code.html",
        {"producer": producer, "email": masked(producer.email)},
    )


def producer_shop(request, pk: int):
    """A producer's public page: who they are, where, their story, and the
    products the listing rule lets the shop sell today."""
    producer = get_object_or_404(Producer, pk=pk, is_active=True)
    products = Product.objects.of_producer(producer).listable().for_cards().order_by("title")
    return render(
        request, "producers/producer_shop.html", {"producer": producer, "products": products}
    )

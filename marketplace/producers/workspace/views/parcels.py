"""The producer's parcels: their part of each order (own lines, own shipping
charge), who it goes to, and moving it along packed → shipped → delivered.

Parcels are found through `Parcel.objects.of_producer(workspace producer)`,
so another producer's parcel id is a 404 and nothing is written. A page
never shows the order's total or the other producers' lines: a shopper's
basket is the shopper's business, not the other sellers'.
"""

from decimal import Decimal

from django.contrib import messages
from django.core.paginator import Paginator
from django.db.models import Count, Q, Sum
from django.shortcuts import get_object_or_404, redirect
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from marketplace.core import request_params
from marketplace.order.exceptions import ParcelMoveRefused
from marketplace.order.models import (
    PARCEL_CARRIERS,
    Parcel,
    ParcelStatus,
    PaymentMethod,
    PaymentState,
)
from marketplace.producers.workspace.access import workspace_render, workspace_view
from marketplace.producers.workspace.services import (
    PRODUCER_PARCEL_STEPS,
    WorkspaceRefused,
    parcel_move,
)

PARCELS_PER_PAGE = 30


def _own_parcels(request):
    return Parcel.objects.of_producer(request.workspace.producer)


def parcels_with_own_totals(producer):
    """The producer's parcels, each annotated with the units and subtotal of
    the producer's *own* lines, summed in the database (one query per page,
    however many lines the orders have). The partner filter sits inside the
    aggregate so another producer's lines never count."""
    own = Q(order__lines__partner_id=producer.partner_id)
    return (
        Parcel.objects.of_producer(producer)
        .select_related("order__shipping_address")
        .annotate(
            own_units=Sum("order__lines__quantity", filter=own, default=0),
            own_subtotal=Sum("order__lines__line_price_incl_tax", filter=own, default=0),
        )
        .order_by("-order__date_placed", "-pk")
    )


def open_parcel_counts(producer) -> dict:
    """How many parcels wait for the producer, by status, in one query."""
    return Parcel.objects.of_producer(producer).aggregate(
        placed=Count("pk", filter=Q(status=ParcelStatus.PLACED)),
        packed=Count("pk", filter=Q(status=ParcelStatus.PACKED)),
    )


def next_steps(parcel) -> list[tuple[str, str]]:
    """The statuses the producer may move this parcel to next, in flow
    order, with their labels (cancelling stays with operators)."""
    allowed = parcel.available_statuses()
    return [(step, ParcelStatus(step).label) for step in PRODUCER_PARCEL_STEPS if step in allowed]


def address_lines(address) -> list[str]:
    """The street-to-province lines of a shipping address, without the
    province twice (checkout stores it as both line4 and state)."""
    if address is None:
        return []
    lines = [address.line1, address.line2, address.line3, address.line4]
    if address.state and address.state != address.line4:
        lines.append(address.state)
    lines.append(address.postcode)
    return [line.strip() for line in lines if line and line.strip()]


@workspace_view
def parcel_list(request):
    producer = request.workspace.producer
    parcels = parcels_with_own_totals(producer)
    status = request_params.choice(request.GET.get("status"), ParcelStatus.values) or ""
    if status:
        parcels = parcels.filter(status=status)
    page = Paginator(parcels, PARCELS_PER_PAGE).get_page(
        request_params.page_number(request.GET.get("page"))
    )
    return workspace_render(
        request,
        "producers/workspace/parcel_list.html",
        {
            "page": page,
            "status": status,
            "statuses": ParcelStatus.choices,
            "open_counts": open_parcel_counts(producer),
        },
    )


@workspace_view
def parcel_detail(request, pk: int):
    parcel = get_object_or_404(
        _own_parcels(request).select_related("order__shipping_address"), pk=pk
    )
    order = parcel.order
    lines = list(parcel.lines().order_by("pk"))
    own_subtotal = sum((line.line_price_incl_tax for line in lines), Decimal(0))
    own_total = own_subtotal + parcel.shipping_charge
    collect_on_delivery = (
        order.payment_method == PaymentMethod.COD
        and order.payment_state == PaymentState.AWAITING_COD
        and parcel.status != ParcelStatus.CANCELLED
    )
    return workspace_render(
        request,
        "producers/workspace/parcel_detail.html",
        {
            "parcel": parcel,
            "order": order,
            "lines": lines,
            "own_subtotal": own_subtotal,
            "own_total": own_total,
            "collect_on_delivery": collect_on_delivery,
            "address": order.shipping_address,
            "address_lines": address_lines(order.shipping_address),
            "steps": next_steps(parcel),
            "carriers": PARCEL_CARRIERS,
        },
    )


@workspace_view
@require_POST
def parcel_move_view(request, pk: int):
    get_object_or_404(_own_parcels(request), pk=pk)
    try:
        parcel = parcel_move(
            workspace=request.workspace,
            actor=request.user,
            parcel_id=pk,
            status=request_params.choice(request.POST.get("status"), ParcelStatus.values) or "",
            tracking_number=request_params.text(
                request.POST.get("tracking_number"), max_length=64, clip=True
            )
            or "",
            carrier=request_params.text(request.POST.get("carrier"), max_length=64, clip=True)
            or "",
        )
    except (WorkspaceRefused, ParcelMoveRefused) as refused:
        messages.error(request, str(refused))
    else:
        messages.success(
            request,
            _("Kiện hàng của đơn %(number)s đã chuyển sang “%(status)s”.")
            % {"number": parcel.order.number, "status": parcel.get_status_display()},
        )
    return redirect("workspace:parcel-detail", pk=pk)

"""The workspace's front page: what the producer sold month by month, what
sells best, which parcels wait for them, and how many products are on sale.

Figures count only the producer's own order lines (their partner's), and
leave out lines whose parcel was cancelled: that money was never theirs.
Every figure is summed in the database, so the page costs a handful of
queries however many orders the producer has had.
"""

from datetime import date, datetime, time
from decimal import Decimal
from zoneinfo import ZoneInfo

from django.db.models import Count, Exists, Max, OuterRef, Q, Sum
from django.db.models.functions import TruncMonth
from oscar.core.loading import get_model

from marketplace.ocop.dates import today_in_vietnam
from marketplace.order.models import Parcel, ParcelStatus
from marketplace.producers.workspace.access import workspace_render, workspace_view

Line = get_model("order", "Line")
Product = get_model("catalogue", "Product")
StockRecord = get_model("partner", "StockRecord")

# Months are Vietnamese calendar months: an order placed at 01:00 on the 1st
# in Hà Nội belongs to that month, though it is still the previous month in UTC.
VIETNAM = ZoneInfo("Asia/Ho_Chi_Minh")
MONTHS_SHOWN = 12
TOP_PRODUCTS = 5
OLDEST_OPEN_PARCELS = 5


def month_starts(today: date, count: int = MONTHS_SHOWN) -> list[date]:
    """The first day of each of the `count` months up to `today`'s, oldest first."""
    year, month = today.year, today.month
    starts = []
    for _ in range(count):
        starts.append(date(year, month, 1))
        year, month = (year - 1, 12) if month == 1 else (year, month - 1)
    return starts[::-1]


def own_sold_lines(producer):
    """The producer's own order lines that still count as sold. A cancelled
    parcel's lines are excluded with a correlated EXISTS, so each line is
    counted once (a join on parcels could repeat or drop lines)."""
    cancelled = Parcel.objects.filter(
        order=OuterRef("order"), producer=producer, status=ParcelStatus.CANCELLED
    )
    return Line.objects.filter(partner_id=producer.partner_id).filter(~Exists(cancelled))


def monthly_revenue(producer, *, today: date | None = None) -> list[dict]:
    """Revenue for each of the last twelve Vietnamese months, oldest first,
    with zero for months without sales. The database groups by month
    (TruncMonth in Asia/Ho_Chi_Minh) so only twelve rows come back; the
    bars' heights are a share of the best month, for a chart with no JS."""
    starts = month_starts(today or today_in_vietnam())
    since = datetime.combine(starts[0], time.min, tzinfo=VIETNAM)
    rows = (
        own_sold_lines(producer)
        .filter(order__date_placed__gte=since)
        .annotate(month=TruncMonth("order__date_placed", tzinfo=VIETNAM))
        .values("month")
        .annotate(revenue=Sum("line_price_incl_tax"))
        .order_by("month")
    )
    by_month = {row["month"].astimezone(VIETNAM).date(): row["revenue"] for row in rows}
    amounts = [by_month.get(start, Decimal(0)) for start in starts]
    peak = max(amounts)
    return [
        {
            "month": start,
            "amount": amount,
            # a sale, however small, stays visible as at least a sliver
            "percent": max(1, round(amount * 100 / peak)) if amount else 0,
        }
        for start, amount in zip(starts, amounts, strict=True)
    ]


def top_products(producer, *, limit: int = TOP_PRODUCTS) -> list[dict]:
    """The producer's best sellers by units (then revenue), all time,
    grouped by product in the database. The title is the one on the order
    lines, so a product since removed still shows under its name."""
    return list(
        own_sold_lines(producer)
        .values("product_id")
        .annotate(name=Max("title"), units=Sum("quantity"), revenue=Sum("line_price_incl_tax"))
        .order_by("-units", "-revenue", "name")[:limit]
    )


def open_parcels(producer, *, limit: int = OLDEST_OPEN_PARCELS):
    """How many parcels wait for the producer (placed or packed), and the
    oldest of them: those the buyer has waited for longest."""
    waiting = Parcel.objects.of_producer(producer).open()
    oldest = waiting.select_related("order").order_by("order__date_placed", "pk")[:limit]
    return waiting.count(), list(oldest)


def product_counts(producer) -> dict:
    """Products under the producer's certificates: all, listable today (the
    marketplace's one listing rule), and without a price from the producer
    (so not for sale), counted in one query."""
    priced = StockRecord.objects.filter(
        product=OuterRef("pk"), partner_id=producer.partner_id, price__isnull=False
    )
    listable = Product.objects.of_producer(producer).listable().values("pk")
    return Product.objects.of_producer(producer).aggregate(
        total=Count("pk"),
        listable=Count("pk", filter=Q(pk__in=listable)),
        unpriced=Count("pk", filter=~Exists(priced)),
    )


@workspace_view
def summary(request):
    producer = request.workspace.producer
    months = monthly_revenue(producer)
    open_count, oldest_open = open_parcels(producer)
    return workspace_render(
        request,
        "producers/workspace/summary.html",
        {
            "months": months,
            "this_month": months[-1],
            "year_revenue": sum((m["amount"] for m in months), Decimal(0)),
            "top_products": top_products(producer),
            "open_count": open_count,
            "oldest_open": oldest_open,
            "products": product_counts(producer),
        },
    )

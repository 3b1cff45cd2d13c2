"""Order models: Oscar's, plus how the order is paid and one parcel per
producer. Declared before the star import so Oscar uses our Order
(design.md §8)."""

from django.db import models
from django.utils.translation import gettext_lazy as _
from oscar.apps.order.abstract_models import AbstractOrder

from marketplace.order.exceptions import ParcelMoveRefused


class PaymentMethod(models.TextChoices):
    COD = "cod", _("Thanh toán khi nhận hàng (COD)")
    CARD = "card", _("Thẻ (Stripe)")
    VIETQR = "vietqr", _("Chuyển khoản ngân hàng (VietQR)")


class PaymentState(models.TextChoices):
    AWAITING_COD = "awaiting-cod", _("Chờ thanh toán khi nhận hàng")
    PAID = "paid", _("Đã thanh toán")
    REFUNDED = "refunded", _("Đã hoàn tiền")
    PARTLY_REFUNDED = "partly-refunded", _("Đã hoàn tiền một phần")


class ParcelStatus(models.TextChoices):
    """A producer's parcel moves placed → packed → shipped → delivered, or
    is cancelled; the order's status follows its parcels."""

    PLACED = "placed", _("Đã đặt")
    PACKED = "packed", _("Đã đóng gói")
    SHIPPED = "shipped", _("Đang giao")
    DELIVERED = "delivered", _("Đã giao")
    CANCELLED = "cancelled", _("Đã huỷ")


class OrderStatus(models.TextChoices):
    """An order's status: the keys of OSCAR_ORDER_STATUS_PIPELINE. It follows
    its parcels (the same words), and an operator may refund a delivered
    order. Labelled so that operators read words, not codes."""

    PLACED = "placed", _("Đã đặt")
    PACKED = "packed", _("Đã đóng gói")
    SHIPPED = "shipped", _("Đang giao")
    DELIVERED = "delivered", _("Đã giao")
    CANCELLED = "cancelled", _("Đã huỷ")
    REFUNDED = "refunded", _("Đã hoàn tiền")


def order_status_label(status: str) -> str:
    """The words for an order status code, or the code itself for one that
    has none (Oscar's history may hold statuses from an older pipeline)."""
    return dict(OrderStatus.choices).get(status, status)


# The order a parcel's statuses come in, for the buyer's timeline.
PARCEL_STEPS = (
    ParcelStatus.PLACED,
    ParcelStatus.PACKED,
    ParcelStatus.SHIPPED,
    ParcelStatus.DELIVERED,
)


class Order(AbstractOrder):
    # Oscar's status is a free CharField; choices give get_status_display().
    status = models.CharField(
        _("trạng thái"), max_length=100, blank=True, choices=OrderStatus.choices
    )
    payment_method = models.CharField(
        _("hình thức thanh toán"),
        max_length=10,
        choices=PaymentMethod.choices,
        default=PaymentMethod.COD,
    )
    payment_state = models.CharField(
        _("thanh toán"),
        max_length=20,
        choices=PaymentState.choices,
        default=PaymentState.AWAITING_COD,
    )


# Carriers a producer is offered when shipping (brand names, as the buyer
# knows them); any other may be typed, or none for a producer who delivers.
PARCEL_CARRIERS = (
    "Giao Hàng Nhanh (GHN)",
    "Giao Hàng Tiết Kiệm (GHTK)",
    "Viettel Post",
    "VNPost",
    "J&T Express",
    "Ninja Van",
    "Best Express",
)


class ParcelQuerySet(models.QuerySet):
    def of_producer(self, producer):
        """Parcels this producer packs and ships (the only ones they may see)."""
        return self.filter(producer=producer)

    def open(self):
        """Parcels still waiting for their producer: placed or packed."""
        return self.filter(status__in=[ParcelStatus.PLACED, ParcelStatus.PACKED])

    def delivered(self):
        """Parcels that reached their buyer (what lets a buyer review)."""
        return self.filter(status=ParcelStatus.DELIVERED)


class Parcel(models.Model):
    """The part of an order one producer packs and ships: their lines, their
    shipping charge, their status, carrier and tracking number. Producers see only
    their own parcels.

    Its status moves along `pipeline`, as Oscar's order status moves along
    OSCAR_ORDER_STATUS_PIPELINE: `set_status` refuses any other move, so no
    caller can ship a cancelled parcel or deliver one never packed."""

    # Each status, and the statuses a parcel may move to from it.
    pipeline = {
        ParcelStatus.PLACED: (ParcelStatus.PACKED, ParcelStatus.CANCELLED),
        ParcelStatus.PACKED: (ParcelStatus.SHIPPED, ParcelStatus.CANCELLED),
        ParcelStatus.SHIPPED: (ParcelStatus.DELIVERED,),
        ParcelStatus.DELIVERED: (),
        ParcelStatus.CANCELLED: (),
    }

    order = models.ForeignKey(Order, on_delete=models.CASCADE, related_name="parcels")
    producer = models.ForeignKey("ocop.Producer", on_delete=models.PROTECT, related_name="parcels")
    status = models.CharField(
        _("trạng thái"), max_length=20, choices=ParcelStatus.choices, default=ParcelStatus.PLACED
    )
    pickup = models.BooleanField(_("nhận tại cơ sở"), default=False)
    shipping_charge = models.DecimalField(_("phí vận chuyển"), max_digits=12, decimal_places=0)
    carrier = models.CharField(_("đơn vị vận chuyển"), max_length=64, blank=True)
    tracking_number = models.CharField(_("mã vận đơn"), max_length=64, blank=True)
    updated_at = models.DateTimeField(auto_now=True)

    objects = ParcelQuerySet.as_manager()

    class Meta:
        app_label = "order"
        constraints = [
            models.UniqueConstraint(fields=["order", "producer"], name="one_parcel_per_producer")
        ]

    def __str__(self) -> str:
        return f"{self.order.number} / {self.producer}"

    def available_statuses(self) -> tuple:
        """The statuses this parcel may move to next, in pipeline order."""
        return self.pipeline.get(self.status, ())

    def set_status(self, new_status: str, *, tracking_number: str = "", carrier: str = "") -> None:
        """Move to `new_status` and save, with the carrier and tracking number
        the buyer follows it by (a parcel is not shipped without one).
        Raises `ParcelMoveRefused` for a move the pipeline does not allow.
        The order's status follows its parcels: `order.services.parcel_move`
        moves a parcel and its order together, under row locks."""
        if new_status not in self.available_statuses():
            raise ParcelMoveRefused(
                _("Không thể chuyển kiện hàng từ “%(old)s” sang “%(new)s”.")
                % {"old": self.get_status_display(), "new": str(new_status)}
            )
        if new_status == ParcelStatus.SHIPPED and not tracking_number.strip():
            raise ParcelMoveRefused(_("Cần mã vận đơn khi giao cho đơn vị vận chuyển."))
        self.status = ParcelStatus(new_status)
        if tracking_number:
            self.tracking_number = tracking_number.strip()[:64]
        if carrier.strip():
            self.carrier = carrier.strip()[:64]
        self.save()

    def lines(self):
        """This parcel's order lines: the producer's own, never the others'."""
        return self.order.lines.filter(partner__producer=self.producer_id)

    def timeline(self) -> list[dict]:
        """The steps the buyer follows: placed, packed, shipped (with the
        carrier and tracking number), delivered; each "done", "current" or
        "todo". A cancelled parcel shows where it stopped."""
        if self.status == ParcelStatus.CANCELLED:
            stopped = ((ParcelStatus.PLACED, "done"), (ParcelStatus.CANCELLED, "current"))
            return [
                {"label": step.label, "state": state, "note": "", "carrier": ""}
                for step, state in stopped
            ]
        reached = PARCEL_STEPS.index(self.status)
        return [
            {
                "label": step.label,
                "state": "done" if n < reached else "current" if n == reached else "todo",
                "note": self.tracking_number if step == ParcelStatus.SHIPPED else "",
                "carrier": self.carrier if step == ParcelStatus.SHIPPED else "",
            }
            for n, step in enumerate(PARCEL_STEPS)
        ]


from oscar.apps.order.models import *  # noqa: E402,F403

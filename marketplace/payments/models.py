"""What a card payment needs to become an order later, without a session.

Stripe's webhook can arrive after the shopper closed the tab (and up to 3
days late), so the attempt keeps everything `order_place` needs: the basket,
the delivery address, the email and the pickup choices.
"""

from django.conf import settings
from django.db import models
from django.utils.translation import gettext_lazy as _


class PaymentAttemptStatus(models.TextChoices):
    PENDING = "pending", _("Đang chờ thanh toán")
    SUCCEEDED = "succeeded", _("Đã thanh toán")
    FAILED = "failed", _("Thanh toán thất bại")
    # Stripe took a different amount than the order would cost: nothing is
    # placed, and an operator has to look (refund or charge the difference).
    AMOUNT_MISMATCH = "amount_mismatch", _("Số tiền không khớp")


class PaymentAttempt(models.Model):
    """One basket paid by card through one Stripe PaymentIntent.

    There is one attempt per basket: a retry reuses it (and its
    PaymentIntent), so a stale browser tab can never pay for a second
    PaymentIntent that no attempt knows about.
    """

    basket = models.ForeignKey(
        "basket.Basket", on_delete=models.PROTECT, related_name="payment_attempts"
    )
    payment_intent_id = models.CharField(max_length=255, unique=True)
    order_number = models.CharField(max_length=128)
    amount = models.PositiveBigIntegerField(_("số tiền (đồng)"))
    currency = models.CharField(max_length=3, default="vnd")
    status = models.CharField(
        max_length=20,
        choices=PaymentAttemptStatus.choices,
        default=PaymentAttemptStatus.PENDING,
        db_index=True,
    )
    delivery_name = models.CharField(_("người nhận"), max_length=255)
    delivery_phone = models.CharField(_("điện thoại"), max_length=40)
    delivery_province = models.CharField(_("tỉnh/thành phố"), max_length=100, blank=True)
    delivery_ward = models.CharField(_("xã/phường"), max_length=100, blank=True)
    delivery_street = models.CharField(_("số nhà, đường"), max_length=255, blank=True)
    delivery_notes = models.TextField(_("ghi chú"), blank=True)
    email = models.EmailField(_("email"))
    user = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="payment_attempts",
    )
    pickup_producer_ids = models.JSONField(default=list, blank=True)
    order = models.ForeignKey(
        "order.Order",
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="payment_attempts",
    )
    problem = models.TextField(_("vấn đề"), blank=True)
    created_at = models.DateTimeField(auto_now_add=True)
    updated_at = models.DateTimeField(auto_now=True)

    # Set by `card_payment_start` on the instance it returns, never saved:
    # Stripe asks that the client secret not be stored or logged.
    client_secret: str = ""

    class Meta:
        verbose_name = _("lần thanh toán thẻ")
        verbose_name_plural = _("lần thanh toán thẻ")
        ordering = ["-created_at"]
        constraints = [
            models.UniqueConstraint(fields=["basket"], name="payments_one_attempt_per_basket")
        ]

    def __str__(self) -> str:
        return f"{self.order_number} {self.payment_intent_id} ({self.status})"

    @property
    def delivery(self):
        """The address as `order_place` takes it."""
        # imported here: the order services load Oscar classes that must
        # not be imported while the app registry is still being populated
        from marketplace.order.services import Delivery

        return Delivery(
            name=self.delivery_name,
            phone=self.delivery_phone,
            province=self.delivery_province,
            ward=self.delivery_ward,
            street=self.delivery_street,
            notes=self.delivery_notes,
        )


class Refund(models.Model):
    """Money given back through Stripe for a whole order or some of its
    lines, by an operator. `request_key` is unique: the form carries one per
    page load, so a double-submitted refund is refunded once."""

    order = models.ForeignKey("order.Order", on_delete=models.PROTECT, related_name="refunds")
    amount = models.PositiveBigIntegerField(_("số tiền (đồng)"))
    lines = models.JSONField(
        _("dòng hàng"), default=list, blank=True
    )  # [{"line": id, "quantity": n}]
    reason = models.CharField(_("lý do"), max_length=255, blank=True)
    stripe_refund_id = models.CharField(max_length=255, blank=True)
    request_key = models.CharField(max_length=64, unique=True)
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, on_delete=models.SET_NULL, related_name="+"
    )
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        ordering = ["-created_at"]
        verbose_name = _("hoàn tiền")
        verbose_name_plural = _("hoàn tiền")

    def __str__(self) -> str:
        return f"{self.order.number}: {self.amount} ₫"

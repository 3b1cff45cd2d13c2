"""What a paid basket needs to become an order later, without a session.

Stripe's and payOS's webhooks can arrive after the shopper closed the tab
(Stripe's up to 3 days late; a bank transfer after the QR expired), so the
attempt keeps everything `order_place` needs: the basket, the delivery
address, the email and the pickup choices. One model serves both methods,
so one `fulfil` places the order for either.
"""

from django.conf import settings
from django.db import models
from django.db.models import Q
from django.utils.translation import gettext_lazy as _


class PaymentAttemptStatus(models.TextChoices):
    PENDING = "pending", _("Đang chờ thanh toán")
    SUCCEEDED = "succeeded", _("Đã thanh toán")
    FAILED = "failed", _("Thanh toán thất bại")
    # Stripe took a different amount than the order would cost: nothing is
    # placed, and an operator has to look (refund or charge the difference).
    AMOUNT_MISMATCH = "amount_mismatch", _("Số tiền không khớp")
    # VietQR only: the request ran out of time, or the shopper (or the
    # checkout page, on their way back to COD) cancelled it at payOS.
    EXPIRED = "expired", _("Đã hết hạn")
    CANCELLED = "cancelled", _("Đã huỷ")


class PaymentMethod(models.TextChoices):
    CARD = "card", _("Thẻ")
    VIETQR = "vietqr", _("Chuyển khoản VietQR")


class PaymentAttempt(models.Model):
    """One basket paid by card (a Stripe PaymentIntent) or by bank transfer
    (a payOS payment request, its VietQR).

    A basket has one card attempt: a retry reuses it (and its
    PaymentIntent), so a stale browser tab can never pay for a second
    PaymentIntent that no attempt knows about. It may have several VietQR
    attempts over time (each expired or cancelled request is kept, since
    money can still arrive for it), but only one pending at a time.
    """

    basket = models.ForeignKey(
        "basket.Basket", on_delete=models.PROTECT, related_name="payment_attempts"
    )
    method = models.CharField(
        _("hình thức"), max_length=10, choices=PaymentMethod.choices, default=PaymentMethod.CARD
    )
    payment_intent_id = models.CharField(max_length=255, unique=True, null=True, blank=True)
    # payOS: the request's integer orderCode (unique per attempt), its id,
    # what the QR page shows, and the transfers that came in for it.
    order_code = models.BigIntegerField(_("mã payOS (orderCode)"), unique=True, null=True)
    payment_link_id = models.CharField(_("mã link payOS"), max_length=64, blank=True)
    checkout_url = models.URLField(max_length=500, blank=True)
    qr_code = models.TextField(blank=True)
    bank_bin = models.CharField(max_length=8, blank=True)
    account_number = models.CharField(max_length=32, blank=True)
    account_name = models.CharField(max_length=255, blank=True)
    transfer_content = models.CharField(_("nội dung chuyển khoản"), max_length=25, blank=True)
    expires_at = models.DateTimeField(_("hết hạn lúc"), null=True, blank=True, db_index=True)
    amount_paid = models.PositiveBigIntegerField(_("đã nhận (đồng)"), default=0)
    bank_reference = models.CharField(_("mã giao dịch ngân hàng"), max_length=64, blank=True)
    transfers = models.JSONField(default=list, blank=True)  # [{reference, amount}]
    # Flagged money an operator sent back by hand (payOS does not refund):
    # every such transfer ([{reference, amount, at}]), their sum, and the
    # last one's bank reference and time.
    refund_bank_reference = models.CharField(_("mã giao dịch hoàn tiền"), max_length=64, blank=True)
    refunded_at = models.DateTimeField(_("hoàn tiền lúc"), null=True, blank=True)
    refunded_amount = models.PositiveBigIntegerField(_("đã hoàn (đồng)"), default=0)
    refunds = models.JSONField(default=list, blank=True)
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
        verbose_name = _("lần thanh toán")
        verbose_name_plural = _("lần thanh toán")
        ordering = ["-created_at"]
        constraints = [
            models.UniqueConstraint(
                fields=["basket"],
                condition=Q(method=PaymentMethod.CARD),
                name="payments_one_card_attempt_per_basket",
            ),
            models.UniqueConstraint(
                fields=["basket"],
                condition=Q(method=PaymentMethod.VIETQR, status=PaymentAttemptStatus.PENDING),
                name="payments_one_pending_transfer_per_basket",
            ),
        ]

    def __str__(self) -> str:
        return f"{self.order_number} {self.payment_intent_id or self.order_code} ({self.status})"

    @property
    def unsettled(self) -> int:
        """Money received that is neither the order's nor sent back: not 0
        means an operator has to act (refund it, or collect the rest)."""
        return self.amount_paid - (self.amount if self.order_id else 0) - self.refunded_amount

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
    """Money given back for a whole order or some of its lines, by an
    operator: through Stripe for a card, by hand for a bank transfer.
    `request_key` is unique: the form carries one per page load, so a
    double-submitted refund is refunded once."""

    order = models.ForeignKey("order.Order", on_delete=models.PROTECT, related_name="refunds")
    amount = models.PositiveBigIntegerField(_("số tiền (đồng)"))
    lines = models.JSONField(
        _("dòng hàng"), default=list, blank=True
    )  # [{"line": id, "quantity": n}]
    reason = models.CharField(_("lý do"), max_length=255, blank=True)
    stripe_refund_id = models.CharField(max_length=255, blank=True)
    # A VietQR order's money goes back by a bank transfer the operator makes
    # by hand (payOS collects, it does not refund): its bank reference.
    bank_reference = models.CharField(_("mã giao dịch ngân hàng"), max_length=64, blank=True)
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

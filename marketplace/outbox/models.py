"""What must happen after a commit, kept in the database until it has.

A Celery message is not durable from the request's point of view: the
broker can be down when the transaction commits, and the message is then
never sent. So the work is written as a row in the same transaction as the
change that causes it; the task sent after commit does it, and a periodic
sweep (`outbox.sweep`, `search.reindex_sweep`) does whatever is still
waiting after a grace period.
"""

from django.db import models
from django.utils.translation import gettext_lazy as _


class OutboxTaskQuerySet(models.QuerySet):
    def due(self, *, before):
        """Not done yet and recorded before `before` (past the grace period)."""
        return self.filter(done_at__isnull=True, created_at__lt=before)


class OutboxTask(models.Model):
    """A Celery task that must run exactly once because a transaction
    committed (an order's confirmation mail, a claim code). Its keyword
    arguments are JSON; it is done when `done_at` is set, in the same
    transaction as the work, under the row's lock."""

    name = models.CharField(_("tác vụ"), max_length=100)
    payload = models.JSONField(_("tham số"), default=dict)
    created_at = models.DateTimeField(_("tạo lúc"), auto_now_add=True)
    done_at = models.DateTimeField(_("xong lúc"), null=True, blank=True)
    attempts = models.PositiveIntegerField(_("số lần chạy"), default=0)
    last_error = models.TextField(_("lỗi gần nhất"), blank=True)

    objects = OutboxTaskQuerySet.as_manager()

    class Meta:
        verbose_name = _("việc chờ chạy")
        verbose_name_plural = _("việc chờ chạy")
        indexes = [
            models.Index(
                fields=["created_at"],
                condition=models.Q(done_at__isnull=True),
                name="outbox_task_waiting",
            )
        ]

    def __str__(self) -> str:
        return f"{self.name} {self.payload}"


class ProductReindex(models.Model):
    """A product whose search document may be stale: written with the
    change, deleted once a reindex that read the change has run. Rows are
    only ever inserted (never updated), so concurrent writers never wait on
    each other here."""

    id = models.BigAutoField(primary_key=True)  # one row per change: many over the years
    product_id = models.BigIntegerField(_("sản phẩm"), db_index=True)
    requested_at = models.DateTimeField(_("yêu cầu lúc"), auto_now_add=True, db_index=True)

    class Meta:
        verbose_name = _("sản phẩm chờ lập chỉ mục")
        verbose_name_plural = _("sản phẩm chờ lập chỉ mục")

    def __str__(self) -> str:
        return f"#{self.product_id}"

"""Producer accounts: a user acts for at most one producer, and gets there
by a one-time code sent to the email the registry holds for that producer.

The code itself is never stored, only its hash; it expires, works once, and
a few wrong guesses lock it, so guessing six digits is not an option.
"""

from django.conf import settings
from django.db import models
from django.utils import timezone
from django.utils.translation import gettext_lazy as _


class ProducerMembership(models.Model):
    """This user acts for this producer (one producer per user)."""

    user = models.OneToOneField(
        settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="producer_membership"
    )
    producer = models.ForeignKey(
        "ocop.Producer", on_delete=models.CASCADE, related_name="memberships"
    )
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        verbose_name = _("thành viên chủ thể")
        verbose_name_plural = _("thành viên chủ thể")

    def __str__(self) -> str:
        return f"{self.user} → {self.producer}"


class ProducerClaim(models.Model):
    """A one-time code mailed to the producer's registry email, either
    because someone asked to claim the producer or an operator invited it."""

    producer = models.ForeignKey("ocop.Producer", on_delete=models.CASCADE, related_name="claims")
    email = models.EmailField(_("gửi tới"))
    code_hash = models.CharField(max_length=128)
    expires_at = models.DateTimeField()
    failed_attempts = models.PositiveSmallIntegerField(default=0)
    used_at = models.DateTimeField(null=True, blank=True)
    used_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    invited_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        ordering = ["-created_at"]
        verbose_name = _("mã nhận tài khoản chủ thể")
        verbose_name_plural = _("mã nhận tài khoản chủ thể")

    def __str__(self) -> str:
        return f"{self.producer} ({self.created_at:%Y-%m-%d})"

    def is_open(self, now=None) -> bool:
        now = now or timezone.now()
        return self.used_at is None and self.expires_at > now


class WorkspaceChange(models.Model):
    """One change made in a producer's workspace: who (the producer's own
    member, or an operator acting as support), what (field by field, old and
    new), and when. Producers and operators both read it, so a support edit
    is never silent."""

    producer = models.ForeignKey(
        "ocop.Producer", on_delete=models.CASCADE, related_name="workspace_changes"
    )
    actor = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, on_delete=models.SET_NULL, related_name="+"
    )
    actor_name = models.CharField(_("người thay đổi"), max_length=255)
    by_support = models.BooleanField(_("ban quản lý hỗ trợ"), default=False)
    subject = models.CharField(_("đối tượng"), max_length=255)
    changes = models.JSONField(_("thay đổi"), default=dict)
    created_at = models.DateTimeField(_("lúc"), auto_now_add=True, db_index=True)

    class Meta:
        ordering = ["-created_at", "-pk"]
        verbose_name = _("thay đổi trong khu làm việc")
        verbose_name_plural = _("thay đổi trong khu làm việc")

    def __str__(self) -> str:
        return f"{self.actor_name}: {self.subject} ({self.created_at:%Y-%m-%d %H:%M})"

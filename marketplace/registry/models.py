"""The record of every registry sync: runs, what they changed, what they
refused, the photos they found, the producers they split, and the expiry
mails sent. Written only by the registry's services; the producers and
certificates these rows describe live in `marketplace.ocop`.
"""

from django.db import models
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from marketplace.ocop.models import Certificate, Producer, RecordSource


class CertificateChange(models.Model):
    """One change the registry made to a certificate: re-rating, new dates,
    a new certificate number, or a status change."""

    certificate = models.ForeignKey(Certificate, on_delete=models.CASCADE, related_name="changes")
    field = models.CharField(max_length=40)
    old_value = models.CharField(max_length=255, blank=True)
    new_value = models.CharField(max_length=255, blank=True)
    sync_run = models.ForeignKey(
        "registry.SyncRun", on_delete=models.SET_NULL, null=True, related_name="changes"
    )
    changed_at = models.DateTimeField(default=timezone.now)

    class Meta:
        ordering = ["-changed_at", "-pk"]
        verbose_name = _("thay đổi chứng nhận")
        verbose_name_plural = _("lịch sử thay đổi chứng nhận")

    def __str__(self) -> str:
        return f"{self.field}: {self.old_value} → {self.new_value}"


class SyncStatus(models.TextChoices):
    RUNNING = "running", _("Đang chạy")
    SUCCEEDED = "succeeded", _("Thành công")
    ALERT = "alert", _("Xong, có cảnh báo")
    FAILED = "failed", _("Thất bại")
    # A scheduled sync that found another one still running: it did nothing.
    SKIPPED = "skipped", _("Bỏ qua (lượt khác đang chạy)")


class SyncRun(models.Model):
    """One crawl of a registry source and what it changed."""

    source = models.CharField(_("nguồn"), max_length=500)
    source_kind = models.CharField(
        max_length=20, choices=RecordSource.choices, default=RecordSource.NATIONAL
    )
    dry_run = models.BooleanField(default=False)
    started_at = models.DateTimeField(default=timezone.now)
    finished_at = models.DateTimeField(null=True, blank=True)
    status = models.CharField(max_length=20, choices=SyncStatus.choices, default=SyncStatus.RUNNING)
    complete_crawl = models.BooleanField(_("thu thập đầy đủ"), default=False)
    # The crawl shrank suspiciously, so nothing was withdrawn; such a run is
    # no baseline for the next one's shrink guard.
    shrink_guarded = models.BooleanField(default=False)
    # The operator's upload this run imports: one run per upload, however
    # often "confirm" is clicked.
    upload_token = models.CharField(max_length=64, null=True, blank=True, unique=True)
    expected_count = models.PositiveIntegerField(null=True, blank=True)
    seen = models.PositiveIntegerField(default=0)
    created = models.PositiveIntegerField(default=0)
    updated = models.PositiveIntegerField(default=0)
    unchanged = models.PositiveIntegerField(default=0)
    withdrawn = models.PositiveIntegerField(default=0)
    rejected = models.PositiveIntegerField(default=0)
    # Known certificates whose record arrived unreadable and were kept as they were.
    kept_unreadable = models.PositiveIntegerField(default=0)
    # Layout rows of a decision list (groups, totals, footnotes): not data.
    skipped = models.PositiveIntegerField(default=0)
    # A list row for a product the national registry already holds.
    matched_national = models.PositiveIntegerField(default=0)
    alert = models.TextField(_("cảnh báo"), blank=True)
    error = models.TextField(_("lỗi"), blank=True)

    class Meta:
        ordering = ["-started_at", "-pk"]
        verbose_name = _("lượt đồng bộ")
        verbose_name_plural = _("lượt đồng bộ")

    def __str__(self) -> str:
        return f"{self.started_at:%Y-%m-%d %H:%M} {self.source} ({self.status})"

    @property
    def duration_seconds(self) -> float | None:
        if self.finished_at is None:
            return None
        return (self.finished_at - self.started_at).total_seconds()

    def summary(self) -> str:
        line = (
            f"seen {self.seen}, created {self.created}, updated {self.updated}, "
            f"unchanged {self.unchanged}, withdrawn {self.withdrawn}, rejected {self.rejected}"
        )
        extras = (
            ("kept unreadable", self.kept_unreadable),
            ("matched national", self.matched_national),
            ("skipped", self.skipped),
        )
        return line + "".join(f", {label} {value}" for label, value in extras if value)


def _latest_complete_run_start(**match) -> models.Subquery:
    runs = SyncRun.objects.filter(complete_crawl=True, finished_at__isnull=False, **match)
    return models.Subquery(runs.order_by("-started_at", "-pk").values("started_at")[:1])


class RejectedRecordQuerySet(models.QuerySet):
    def with_state(self):
        """Annotated `still_failing`: last seen in (or after) the latest
        complete run of its source: the national registry's latest complete
        crawl, or the latest import of the same list file (one province's
        list says nothing about another's). A cut-short run after it still
        counts as a sighting."""
        latest = models.Case(
            models.When(
                source_kind=RecordSource.DECISION_LIST,
                then=_latest_complete_run_start(
                    source_kind=RecordSource.DECISION_LIST,
                    source=models.OuterRef("sync_run__source"),
                ),
            ),
            default=_latest_complete_run_start(source_kind=models.OuterRef("source_kind")),
        )
        return self.annotate(latest_started=latest).annotate(
            still_failing=models.ExpressionWrapper(
                models.Q(sync_run__started_at__gte=models.F("latest_started")),
                output_field=models.BooleanField(),
            )
        )


class RejectedRecord(models.Model):
    """A registry record that failed validation, kept with the reason so an
    operator can see what the registry sent and why we refused it.

    Stored once per distinct record (`digest` of the raw record): the
    registry sends the same bad record every day, and what an operator needs
    is what is still failing and since when, not 30 copies. `sync_run` is the
    run that last saw it; `certificate` the known certificate kept as it was.
    """

    sync_run = models.ForeignKey(SyncRun, on_delete=models.CASCADE, related_name="rejections")
    first_run = models.ForeignKey(
        SyncRun, on_delete=models.SET_NULL, null=True, blank=True, related_name="+"
    )
    source_kind = models.CharField(
        max_length=20, choices=RecordSource.choices, default=RecordSource.NATIONAL
    )
    digest = models.CharField(max_length=32, default="")
    registry_id = models.CharField(max_length=64, blank=True)
    certificate = models.ForeignKey(
        Certificate,
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="unreadable_records",
    )
    raw = models.JSONField()
    reason = models.TextField()
    created_at = models.DateTimeField(_("thấy lần đầu"), default=timezone.now)
    last_seen_at = models.DateTimeField(_("thấy lần cuối"), default=timezone.now)
    seen_count = models.PositiveIntegerField(_("số lần"), default=1)

    objects = RejectedRecordQuerySet.as_manager()

    class Meta:
        ordering = ["pk"]
        verbose_name = _("bản ghi bị từ chối")
        verbose_name_plural = _("bản ghi bị từ chối")
        constraints = [
            models.UniqueConstraint(
                fields=["source_kind", "digest"], name="one_rejection_per_distinct_record"
            )
        ]

    def __str__(self) -> str:
        return f"{self.registry_id or '?'}: {self.reason}"


class PhotoStatus(models.TextChoices):
    PENDING = "pending", _("Chờ tải")
    IMPORTED = "imported", _("Đã nhập")
    REFUSED = "refused", _("Bị từ chối")
    # No longer in the record: its picture is removed by the next photo pass.
    DROPPED = "dropped", _("Đã bỏ, chờ xoá")


class RegistryPhoto(models.Model):
    """One photo a certificate's registry record names, and what became of it.

    The sync writes these rows in its own transaction (so a failed or dry
    run leaves none), and `photos_fetch` downloads them after it commits:
    a crawl that is rolled back never leaves a downloaded file behind, and a
    slow photo server never holds the sync's transaction open. The row keeps
    the URL as the record gave it (relative URLs stay relative, so the
    stand-in's port may change), which is what makes a re-sync idempotent:
    a URL already known is not fetched again. A URL the record no longer
    names is marked dropped, and its picture and file are deleted by the
    photo pass, not in the sync: a dry run rolls the mark back and keeps the
    picture (and sorl's thumbnails) whole. A refused photo keeps its reason
    here; the certificate syncs all the same.
    """

    certificate = models.ForeignKey(Certificate, on_delete=models.CASCADE, related_name="photos")
    url = models.CharField(max_length=2000)
    # The URL's digest: a b-tree cannot index a 2,000-character URL.
    url_digest = models.CharField(max_length=32)
    position = models.PositiveSmallIntegerField(default=0)
    status = models.CharField(
        max_length=10, choices=PhotoStatus.choices, default=PhotoStatus.PENDING, db_index=True
    )
    reason = models.TextField(blank=True)
    attempts = models.PositiveSmallIntegerField(default=0)
    # Emptied if the producer deletes the picture: it is not imported again.
    image = models.OneToOneField(
        "catalogue.ProductImage",
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="registry_photo",
    )
    sync_run = models.ForeignKey(
        SyncRun, on_delete=models.SET_NULL, null=True, blank=True, related_name="+"
    )
    created_at = models.DateTimeField(default=timezone.now)
    checked_at = models.DateTimeField(null=True, blank=True)

    class Meta:
        ordering = ["certificate", "position"]
        verbose_name = _("ảnh từ hệ thống OCOP")
        verbose_name_plural = _("ảnh từ hệ thống OCOP")
        constraints = [
            models.UniqueConstraint(
                fields=["certificate", "url_digest"], name="one_photo_per_certificate_url"
            )
        ]

    def __str__(self) -> str:
        return f"{self.certificate_id} #{self.position}: {self.url} ({self.status})"


class ProducerSplit(models.Model):
    """One province's certificates moved off a producer row that had merged
    same-name producers of different provinces (before identity included the
    province). Kept so operators can see what the healing did."""

    sync_run = models.ForeignKey(SyncRun, on_delete=models.CASCADE, related_name="splits")
    producer = models.ForeignKey(
        Producer, on_delete=models.CASCADE, related_name="+", verbose_name=_("chủ thể giữ lại")
    )
    new_producer = models.ForeignKey(
        Producer, on_delete=models.CASCADE, related_name="+", verbose_name=_("chủ thể tách ra")
    )
    province = models.CharField(_("tỉnh/thành phố"), max_length=100)
    certificates_moved = models.PositiveIntegerField(default=0)
    created_at = models.DateTimeField(default=timezone.now)

    class Meta:
        ordering = ["pk"]
        verbose_name = _("tách chủ thể")
        verbose_name_plural = _("tách chủ thể")

    def __str__(self) -> str:
        return f"{self.producer} → {self.new_producer} ({self.province})"


class ExpiryWarning(models.Model):
    """A mail that warned a producer of an expiry; one per threshold, so each
    warning goes out once however often the task runs."""

    certificate = models.ForeignKey(Certificate, on_delete=models.CASCADE, related_name="warnings")
    days_before = models.PositiveSmallIntegerField()
    expiry_date = models.DateField()
    sent_at = models.DateTimeField(default=timezone.now)

    class Meta:
        constraints = [
            models.UniqueConstraint(
                fields=["certificate", "days_before", "expiry_date"],
                name="one_warning_per_threshold",
            )
        ]

    def __str__(self) -> str:
        return f"{self.certificate.number}: {self.days_before} days"

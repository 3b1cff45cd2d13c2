"""The OCOP domain every room stands on: producers, their certificates, and
the rule that says when a certificate certifies its product.

These are facts of the national programme (Decision 148/QĐ-TTg and the
registry's record format), not of any one screen or integration, so this
module imports nothing of ours: catalogue, search, cms, producers and the
registry sync all import it, and it imports none of them.

Registry-owned fields are written only by the registry sync; nothing here
is typed in by hand except what the producer's workspace edits
(`allows_pickup`, `story`). The tables keep their first names
(`registry_producer`, `registry_certificate`): the models moved here from
the registry app without copying a row (migration ocop 0001).
"""

from datetime import date

from dateutil.relativedelta import relativedelta
from django.db import models
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

CERTIFICATE_VALIDITY_MONTHS = 36
MIN_CERTIFIED_STARS = 3


def expiry_from_issue(issued_on: date) -> date:
    """A certificate is valid 36 months from the decision's signing date."""
    return issued_on + relativedelta(months=CERTIFICATE_VALIDITY_MONTHS)


class ProducerKind(models.TextChoices):
    COOPERATIVE = "cooperative", _("Hợp tác xã")
    COMPANY = "company", _("Doanh nghiệp")
    HOUSEHOLD = "household", _("Hộ kinh doanh")
    COOPERATIVE_GROUP = "cooperative_group", _("Tổ hợp tác")
    OTHER = "other", _("Khác")


class Producer(models.Model):
    """A chủ thể OCOP as the registry names it, one-to-one with the Oscar
    Partner that sells its products.

    The registry gives producers no id. A name alone is not an identity: the
    same name recurs in different provinces ("HTX Dịch vụ An Khánh" in Huế
    and in Hà Nội are two businesses). So a producer is its folded name
    (`registry_key`) *and* its post-2025 province (`registry_province`),
    which a legacy three-level address and its two-level form share.
    `registry_province` is NULL only on rows made before identity included
    the province, until `producers_heal` splits or labels them.
    """

    registry_key = models.CharField(max_length=255)
    registry_province = models.CharField(max_length=100, null=True, blank=True)
    name = models.CharField(_("tên chủ thể"), max_length=255)
    kind = models.CharField(
        _("loại hình"), max_length=20, choices=ProducerKind.choices, default=ProducerKind.OTHER
    )
    representative = models.CharField(_("người đại diện"), max_length=255, blank=True)
    phone = models.CharField(_("điện thoại"), max_length=40, blank=True)
    email = models.EmailField(_("email"), blank=True)
    address_raw = models.CharField(_("địa chỉ"), max_length=500, blank=True)
    province = models.CharField(_("tỉnh/thành phố"), max_length=100, blank=True, db_index=True)
    district = models.CharField(_("quận/huyện (địa chỉ cũ)"), max_length=100, blank=True)
    ward = models.CharField(_("xã/phường"), max_length=100, blank=True)
    is_active = models.BooleanField(_("đang hoạt động"), default=True)
    # Set by the producer in their workspace, never by the registry sync.
    allows_pickup = models.BooleanField(_("cho nhận hàng tại cơ sở"), default=False)
    story = models.TextField(_("câu chuyện của chủ thể"), blank=True)
    partner = models.OneToOneField(
        "partner.Partner", on_delete=models.PROTECT, related_name="producer"
    )
    created_at = models.DateTimeField(auto_now_add=True)
    updated_at = models.DateTimeField(auto_now=True)

    class Meta:
        db_table = "registry_producer"
        verbose_name = _("chủ thể OCOP")
        verbose_name_plural = _("chủ thể OCOP")
        ordering = ["name"]
        constraints = [
            models.UniqueConstraint(
                fields=["registry_key", "registry_province"], name="one_producer_per_identity"
            )
        ]

    def __str__(self) -> str:
        return self.name


class CertificateStatus(models.TextChoices):
    """The registry's word on a certificate. Expiry is not a status: it is
    derived from `expiry_date`, so it needs no job to take effect."""

    VALID = "valid", _("Còn hiệu lực")
    WITHDRAWN = "withdrawn", _("Đã thu hồi")
    SUSPENDED = "suspended", _("Tạm đình chỉ")


class RecordSource(models.TextChoices):
    """Where a certificate (or a sync run) comes from. The national API is a
    complete registry, so its absences mean withdrawal; a province's decision
    list covers only its own decision, so its absences mean nothing."""

    NATIONAL = "national", _("Hệ thống OCOP quốc gia")
    DECISION_LIST = "decision_list", _("Danh sách quyết định của tỉnh")


class ProductType(models.TextChoices):
    """The national API's old `type` codes."""

    FOOD = "food", _("Thực phẩm")
    DRINK = "drink", _("Đồ uống")
    HERBS = "herbs", _("Thảo dược")
    CLOTH = "cloth", _("Vải và may mặc")
    KEEPSAKE = "keepsake", _("Lưu niệm, nội thất, trang trí")
    TRAVEL = "travel", _("Dịch vụ du lịch cộng đồng")


class Sector(models.TextChoices):
    """The six sectors of Decision 148/QĐ-TTg (2023)."""

    FOOD = "food", _("Thực phẩm")
    BEVERAGE = "beverage", _("Đồ uống")
    HERBAL = "herbal", _("Thảo dược")
    HANDICRAFT = "handicraft", _("Thủ công mỹ nghệ")
    ORNAMENTAL = "ornamental", _("Sinh vật cảnh")
    TOURISM = "tourism", _("Dịch vụ du lịch cộng đồng và điểm du lịch")


SECTOR_BY_TYPE = {
    ProductType.FOOD: Sector.FOOD,
    ProductType.DRINK: Sector.BEVERAGE,
    ProductType.HERBS: Sector.HERBAL,
    ProductType.CLOTH: Sector.HANDICRAFT,
    ProductType.KEEPSAKE: Sector.HANDICRAFT,
    ProductType.TRAVEL: Sector.TOURISM,
}


def certificate_valid_q(on: date, prefix: str = "") -> models.Q:
    """The certificate half of the listing rule, for this model (`prefix=""`)
    or through a relation (`prefix="certificate__"`): one definition for
    both `valid_on()` and `Product.objects.listable()`."""
    return models.Q(
        **{
            f"{prefix}status": CertificateStatus.VALID,
            f"{prefix}stars__gte": MIN_CERTIFIED_STARS,
            f"{prefix}issued_on__lte": on,
            f"{prefix}expiry_date__gte": on,
        }
    )


class CertificateQuerySet(models.QuerySet):
    def valid_on(self, on: date):
        """Certificates that make a product certified on `on` (3★+, valid, in date)."""
        return self.filter(certificate_valid_q(on))

    def expiring_between(self, start: date, end: date):
        """Valid certificates whose expiry falls in [start, end]."""
        return self.valid_on(start).filter(expiry_date__range=(start, end))


class Certificate(models.Model):
    """One OCOP certification of one product, as the registry records it.

    Withdrawn certificates are kept, never deleted: orders and history point
    at them, and a product page can say why it is no longer sold.
    """

    registry_id = models.BigIntegerField(_("mã sản phẩm trên hệ thống"), unique=True)
    number = models.CharField(_("số chứng nhận / quyết định"), max_length=100)
    name = models.CharField(_("tên sản phẩm được chứng nhận"), max_length=255)
    producer = models.ForeignKey(Producer, on_delete=models.PROTECT, related_name="certificates")
    stars = models.PositiveSmallIntegerField(_("số sao"))
    is_potential_five_star = models.BooleanField(_("tiềm năng 5 sao"), default=False)
    is_national = models.BooleanField(_("cấp trung ương"), default=False)
    issued_on = models.DateField(_("ngày ký quyết định"))
    expiry_date = models.DateField(_("ngày hết hạn"), db_index=True)
    product_type = models.CharField(_("nhóm (mã cũ)"), max_length=20, choices=ProductType.choices)
    sector = models.CharField(_("ngành"), max_length=20, choices=Sector.choices, blank=True)
    status = models.CharField(
        _("trạng thái"),
        max_length=20,
        choices=CertificateStatus.choices,
        default=CertificateStatus.VALID,
        db_index=True,
    )
    source = models.CharField(
        _("nguồn"), max_length=20, choices=RecordSource.choices, default=RecordSource.NATIONAL
    )
    raw = models.JSONField(_("bản ghi gốc"))
    raw_digest = models.CharField(max_length=32, blank=True)
    # When a province's list and the national API both hold this product,
    # the national record wins and the list's row is kept here as provenance.
    list_record = models.JSONField(_("dòng trong danh sách quyết định"), null=True, blank=True)
    # Complete crawls in a row that sent this certificate's record unreadable;
    # the last good data is kept meanwhile (a typo is not a withdrawal).
    unreadable_crawls = models.PositiveIntegerField(default=0)
    unreadable_since = models.DateTimeField(null=True, blank=True)
    first_seen_at = models.DateTimeField(default=timezone.now)
    last_seen_at = models.DateTimeField(default=timezone.now)
    status_changed_at = models.DateTimeField(null=True, blank=True)

    objects = CertificateQuerySet.as_manager()

    class Meta:
        db_table = "registry_certificate"
        verbose_name = _("chứng nhận OCOP")
        verbose_name_plural = _("chứng nhận OCOP")
        indexes = [models.Index(fields=["status", "stars", "issued_on", "expiry_date"])]

    def __str__(self) -> str:
        return f"{self.number} · {self.name}"

    @property
    def issuing_level(self) -> str:
        """Who certified it: the ministry for national (5★) certificates,
        otherwise the province (or, 2023-2025, the district for 3★)."""
        return _("Trung ương") if self.is_national else _("Cấp tỉnh")

    def state_on(self, on: date) -> str:
        """Why this certificate does or does not certify its product on `on`:
        `valid`, `withdrawn`, `suspended`, `uncertified` (under 3★),
        `expired` or `pending`. Explains the listing rule; never replaces it."""
        if self.status != CertificateStatus.VALID:
            return self.status
        if self.stars < MIN_CERTIFIED_STARS:
            return "uncertified"
        if on > self.expiry_date:
            return "expired"
        if on < self.issued_on:
            return "pending"
        return "valid"

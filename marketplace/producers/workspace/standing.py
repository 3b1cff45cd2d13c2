"""How a product's OCOP certificate stands today, in the producer's words,
with what to do next. Explains the listing rule to the producer; the rule
itself stays `Product.objects.listable()`."""

from dataclasses import dataclass
from datetime import date

from django.utils.translation import gettext_lazy as _

# Days before expiry at which the workspace raises its voice: the issuer
# must warn at least 30 days ahead (design.md §7); 90 leaves time to apply.
WARNING_DAYS = (90, 30, 7)


@dataclass(frozen=True)
class Standing:
    level: str  # "valid", "expiring-90", "expiring-30", "expiring-7", "expired", "withdrawn", ...
    css: str  # Bootstrap contextual class
    label: str
    next_step: str
    days_left: int | None = None


def certificate_standing(certificate, today: date) -> Standing:
    """Classify the certificate: valid, expiring within 90/30/7 days,
    expired, withdrawn (or suspended, under 3★, not yet in force)."""
    state = certificate.state_on(today)
    if state == "withdrawn":
        return Standing(
            "withdrawn",
            "danger",
            _("Đã bị thu hồi"),
            _(
                "Sản phẩm không được bán. Liên hệ cơ quan cấp chứng nhận "
                "để biết lý do và điều kiện đánh giá lại."
            ),
        )
    if state == "suspended":
        return Standing(
            "suspended",
            "danger",
            _("Tạm đình chỉ"),
            _("Sản phẩm tạm ngừng bán cho tới khi cơ quan cấp chứng nhận khôi phục."),
        )
    if state == "expired":
        return Standing(
            "expired",
            "danger",
            _("Đã hết hạn"),
            _(
                "Không được dùng nhãn OCOP và sản phẩm không được bán. "
                "Nộp hồ sơ đánh giá lại; sản phẩm tự bán lại khi hệ thống OCOP cập nhật."
            ),
        )
    if state in ("uncertified", "pending"):
        return Standing(
            state,
            "secondary",
            _("Chưa đủ điều kiện bán"),
            _("Chứng nhận chưa có hiệu lực hoặc dưới 3 sao."),
        )
    days_left = (certificate.expiry_date - today).days
    for days in sorted(WARNING_DAYS):
        if days_left <= days:
            return Standing(
                f"expiring-{days}",
                "danger" if days <= 7 else "warning",
                _("Hết hạn trong %(n)s ngày") % {"n": days_left},
                _(
                    "Nộp hồ sơ đánh giá lại ngay để sản phẩm không bị ngừng bán "
                    "khi chứng nhận hết hạn."
                )
                if days <= 30
                else _("Chuẩn bị hồ sơ đánh giá lại trước khi chứng nhận hết hạn."),
                days_left,
            )
    return Standing("valid", "success", _("Còn hiệu lực"), _("Không cần làm gì."), days_left)

"""Whether one product is listable today, and if not, why.

The decision is always `Product.objects.listable()` (the one rule); this
module only asks it for a single product and explains a refusal in words
a shopper understands.
"""

from dataclasses import dataclass
from datetime import date

from django.utils.formats import date_format
from django.utils.translation import gettext as _
from oscar.core.loading import get_model

from catalogue.managers import today_in_vietnam


@dataclass(frozen=True)
class ListingStatus:
    listable: bool
    reason: str = ""


def product_is_listable(product, on: date | None = None) -> bool:
    """Ask the listing rule about one product, reusing the answer when the
    product came from a `listable()` query for the same day."""
    on = on or today_in_vietnam()
    if getattr(product, "listed_on", None) == on:
        return True
    cache = product.__dict__.setdefault("_listable_cache", {})
    if on not in cache:
        Product = get_model("catalogue", "Product")
        cache[on] = Product.objects.filter(pk=product.pk).listable(on).exists()
    return cache[on]


def listing_status(product, on: date | None = None) -> ListingStatus:
    """The listing rule's verdict for `product`, with a reason when it is no."""
    on = on or today_in_vietnam()
    if product_is_listable(product, on):
        return ListingStatus(True)
    return ListingStatus(False, _refusal_reason(product, on))


def _refusal_reason(product, on: date) -> str:
    cert = getattr(product, "certificate", None)
    if cert is None:
        return _("Sản phẩm chưa có chứng nhận OCOP.")
    state = cert.state_on(on)
    if state == "withdrawn":
        return _("Chứng nhận OCOP của sản phẩm đã bị thu hồi.")
    if state == "suspended":
        return _("Chứng nhận OCOP của sản phẩm đang tạm đình chỉ.")
    if state == "uncertified":
        return _("Sản phẩm chưa đạt hạng OCOP từ 3 sao trở lên.")
    if state == "expired":
        return _("Chứng nhận OCOP đã hết hạn ngày %(date)s.") % {
            "date": date_format(cert.expiry_date, "SHORT_DATE_FORMAT")
        }
    if state == "pending":
        return _("Chứng nhận OCOP có hiệu lực từ ngày %(date)s.") % {
            "date": date_format(cert.issued_on, "SHORT_DATE_FORMAT")
        }
    if not cert.producer.is_active:
        return _("Chủ thể sản xuất tạm ngừng bán trên sàn.")
    return _("Sản phẩm hiện chưa được bán (chưa có giá hoặc chưa công khai).")

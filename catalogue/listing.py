"""Whether products are listable today, and if not, why.

The decision is always `Product.objects.listable()` (the one rule); this
module only asks it for a single product and explains a refusal in words
a shopper understands, or reads the products behind a search backend's ids
through it again.
"""

from dataclasses import dataclass
from datetime import date

from django.utils.formats import date_format
from django.utils.translation import gettext as _
from oscar.core.loading import get_model

from marketplace.ocop.dates import today_in_vietnam


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


def listable_in_order(ids: list[int], on: date) -> list:
    """The products behind a search backend's ids, in its order, through
    listable() again: a stale index can never show a product the rule
    refuses, and rows carry `listed_on`, so the price and basket button on
    each card need no further query. Search suggestions and the CMS's query
    blocks both read their hits through it."""
    Product = get_model("catalogue", "Product")
    products = Product.objects.listable(on).filter(pk__in=ids).for_cards()
    by_id = {p.pk: p for p in products}
    return [by_id[pk] for pk in ids if pk in by_id]


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

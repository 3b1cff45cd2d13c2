"""Public certificate lookup: anyone can check a certificate's live status.

The QR code on every product page links here, so a shopper holding the
physical product can check that its OCOP mark is genuine and current.
"""

from django.shortcuts import render
from django.utils.translation import gettext as _

from catalogue.listing import product_is_listable
from catalogue.managers import MIN_CERTIFIED_STARS, today_in_vietnam
from marketplace.registry.models import Certificate
from marketplace.registry.records import nfc

MAX_RESULTS = 20


def _live_status(cert: Certificate, today) -> tuple[str, str]:
    """(css code, label) for the certificate's state today."""
    if cert.status == "withdrawn":
        return "withdrawn", _("Đã thu hồi")
    if cert.status == "suspended":
        return "suspended", _("Tạm đình chỉ")
    if cert.stars < MIN_CERTIFIED_STARS:
        return "uncertified", _("Chưa đạt OCOP (dưới 3 sao)")
    if today > cert.expiry_date:
        return "expired", _("Đã hết hạn")
    if today < cert.issued_on:
        return "pending", _("Chưa có hiệu lực")
    return "valid", _("Còn hiệu lực")


def certificate_lookup(request):
    """Search certificates by number (exact first, then partial)."""
    query = nfc(request.GET.get("so", ""))[:100]
    today = today_in_vietnam()
    results = []
    if query:
        found = list(
            Certificate.objects.filter(number__iexact=query).select_related("producer", "product")
        ) or list(
            Certificate.objects.filter(number__icontains=query)
            .select_related("producer", "product")
            .order_by("-issued_on")[:MAX_RESULTS]
        )
        for cert in found:
            code, label = _live_status(cert, today)
            product = getattr(cert, "product", None)
            results.append(
                {
                    "certificate": cert,
                    "status_code": code,
                    "status_label": label,
                    "product_url": (
                        product.get_absolute_url()
                        if product is not None and product_is_listable(product, today)
                        else ""
                    ),
                }
            )
    return render(
        request,
        "registry/certificate_lookup.html",
        {"query": query, "results": results, "today": today},
    )

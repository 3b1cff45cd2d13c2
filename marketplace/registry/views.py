"""Public certificate lookup: anyone can check a certificate's live status.

The QR code on every product page links here, so a shopper holding the
physical product can check that its OCOP mark is genuine and current.
"""

from django.shortcuts import render
from django.utils.translation import gettext_lazy as _

from catalogue.listing import product_is_listable
from catalogue.managers import today_in_vietnam
from marketplace.core import request_params
from marketplace.registry.models import Certificate

MAX_RESULTS = 20


STATE_LABELS = {
    "valid": _("Còn hiệu lực"),
    "withdrawn": _("Đã thu hồi"),
    "suspended": _("Tạm đình chỉ"),
    "uncertified": _("Chưa đạt OCOP (dưới 3 sao)"),
    "expired": _("Đã hết hạn"),
    "pending": _("Chưa có hiệu lực"),
}


def _live_status(cert: Certificate, today) -> tuple[str, str]:
    """(css code, label) for the certificate's state today."""
    state = cert.state_on(today)
    return state, STATE_LABELS[state]


def certificate_lookup(request):
    """Search certificates by number (exact first, then partial)."""
    query = request_params.text(request.GET.get("so"), max_length=100, clip=True) or ""
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

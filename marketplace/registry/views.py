"""Public certificate lookup: anyone can check a certificate's live status.

The QR code on every product page links here, so a shopper holding the
physical product can check that its OCOP mark is genuine and current.
"""

from django.db.models import Exists, OuterRef
from django.shortcuts import render
from django.utils.translation import gettext_lazy as _
from oscar.core.loading import get_model

from marketplace.core import request_params
from marketplace.ocop.dates import today_in_vietnam
from marketplace.ocop.models import Certificate
from marketplace.registry.certificate_numbers import NumberKey, number_key

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


def _certificates(today):
    """Certificates with their producer, their product and whether that
    product is listable today, in one query: a decision number can cover
    dozens of products, and asking the listing rule about each one was a
    query per certificate."""
    Product = get_model("catalogue", "Product")
    listable = Product.objects.listable(today).filter(certificate=OuterRef("pk"))
    return Certificate.objects.select_related("producer", "product").annotate(
        product_listable=Exists(listable)
    )


def certificate_lookup(request):
    """Search certificates by number (exact first, then partial), as a phone
    types it: case, accents, Đ/D and spaces do not matter (number keys,
    marketplace/registry/certificate_numbers.py).

    Both lookups are answered by indexes on the key's expression (registry
    migration 0009): a b-tree for the exact match and, on PostgreSQL with
    pg_trgm, a trigram index for the partial one, so no lookup reads the
    whole certificate table."""
    query = request_params.text(request.GET.get("so"), max_length=100, clip=True) or ""
    key = number_key(query)
    today = today_in_vietnam()
    results = []
    if key:
        keyed = _certificates(today).alias(number_key=NumberKey("number"))
        found = list(keyed.filter(number_key=key).order_by("pk")) or list(
            keyed.filter(number_key__contains=key).order_by("-issued_on", "-pk")[:MAX_RESULTS]
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
                        if product is not None and cert.product_listable
                        else ""
                    ),
                }
            )
    return render(
        request,
        "registry/certificate_lookup.html",
        {"query": query, "results": results, "today": today},
    )

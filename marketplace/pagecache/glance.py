"""The header's basket count and total, for a visitor with a basket.

Oscar's `request.basket` is the full basket with offers applied: the
basket, its lines, each line's product and stock record, the strategy's
price and availability for each (our listing rule included) and every
offer tried against it. That is 8-20 ms and a dozen queries, and the header
asked for it on every page a visitor with a basket opens, even pages served
whole from the page cache (marketplace.pagecache.parts).

The glance is the same two numbers kept as a fragment. Its key is the
basket's lines as one aggregate query reads them (how many, which, how many
of each, when last changed) plus the catalogue version, which changes with
any price, stock, certificate or offer a page could show and at midnight. So
a changed basket or catalogue reads afresh and nothing has to invalidate it.
"""

import hashlib

from django.db.models import Count, F, Max, Sum
from oscar.core.loading import get_class, get_model

from marketplace.pagecache.fragments import fragment
from marketplace.pagecache.generation import catalogue_version

Line = get_model("basket", "Line")
BasketMiddleware = get_class("basket.middleware", "BasketMiddleware")

EMPTY = {"count": 0, "total": None, "currency": None}


def _open_basket(request):
    """The visitor's open basket without offers applied, by Oscar's own
    rules (the cookie's signed id, a signed-in user's basket, the merge at
    sign-in). It is the instance `request.basket` later completes, so a view
    that needs the full basket reads the basket row only once."""
    return BasketMiddleware(get_response=None).get_basket(request)


def _lines_signature(basket_id: int) -> str:
    seen = Line.objects.filter(basket_id=basket_id).aggregate(
        lines=Count("id"),
        units=Sum("quantity"),
        which=Sum(F("id") * F("quantity")),
        changed=Max("date_updated"),
        vouchers=Count("basket__vouchers", distinct=True),
    )
    text = "|".join(str(seen[name]) for name in sorted(seen))
    return hashlib.sha256(text.encode()).hexdigest()[:24]


def basket_glance(request) -> dict:
    """{"count", "total", "currency"} for the header's basket link."""
    if request is None or not hasattr(request, "_basket_cache"):
        return EMPTY  # rendered outside a request Oscar's middleware saw
    basket = _open_basket(request)
    if basket.id is None:
        # never saved (every cookie-less visitor's basket): no lines to read
        return EMPTY

    def full() -> dict:
        full_basket = request.basket  # Oscar's: offers applied, priced
        count = full_basket.num_items
        return {
            "count": count,
            "total": full_basket.total_excl_tax if count else None,
            "currency": full_basket.currency,
        }

    version = catalogue_version()
    if version is None:  # nothing is kept by version (the SQLite default)
        return full()
    signature = _lines_signature(basket.id)
    return fragment("glance", f"{basket.id}:{signature}", full, version=version)

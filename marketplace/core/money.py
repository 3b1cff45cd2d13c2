"""VND has no minor unit: every computed amount is whole đồng."""

from decimal import ROUND_DOWN, Decimal

WHOLE_DONG = Decimal("1")


def round_offer_discount(amount: Decimal, currency: str | None = None) -> Decimal:
    """Round an offer discount down to whole đồng.

    Oscar quantizes discounts to 0.01 by default, which would leave
    fractional đồng on a basket; rounding down never over-discounts.
    """
    return Decimal(amount).quantize(WHOLE_DONG, rounding=ROUND_DOWN)

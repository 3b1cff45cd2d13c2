"""The popularity signal that search ranks by: Oscar's analytics counters,
weighted the way Oscar's own score calculator weighs them (a purchase is
worth five views, a basket addition three)."""

from django.db.models import F, Value
from django.db.models.functions import Coalesce

WEIGHTS = {"num_views": 1, "num_basket_additions": 3, "num_purchases": 5}


def product_popularity(product) -> int:
    """Popularity of one product (0 before anyone looked at it)."""
    stats = getattr(product, "stats", None)
    try:
        return sum(weight * getattr(stats, name) for name, weight in WEIGHTS.items())
    except (AttributeError, TypeError):
        return 0


def popularity_expression(prefix: str = "stats__"):
    """The same sum as a database expression over `Product`."""
    terms = [weight * Coalesce(F(prefix + name), Value(0)) for name, weight in WEIGHTS.items()]
    total = terms[0]
    for term in terms[1:]:
        total = total + term
    return total

"""Order status codes in words, for Oscar's dashboard templates that hold a
bare code (the order list's status select, the status history, the
statistics) rather than an order with get_status_display()."""

from django import template

from marketplace.order.models import order_status_label

register = template.Library()


@register.filter
def order_status(code: str) -> str:
    """'placed' → 'Đã đặt' (in the active language)."""
    return order_status_label(code)

"""Links a buyer uses to follow an order."""

from django.urls import reverse


def order_status_url(order) -> str:
    """Where the buyer follows the order: their account for signed-in
    buyers, Oscar's guest status page (order number + hash, then the
    email) for guests."""
    if order.user_id:
        return reverse("customer:order", kwargs={"order_number": order.number})
    return reverse(
        "customer:anon-order-form",
        kwargs={"order_number": order.number, "hash": order.verification_hash()},
    )

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


# Where Oscar's guest order views look for the email that opens an order.
ORDER_EMAIL_SESSION_KEY = "anon_order_email"


def order_email_remember(request, order) -> None:
    """After a guest places `order`, this browser opens its page from the
    order link without typing the email again: it gave the email at
    checkout, which is what the link's form would have stored."""
    if order.user_id is None and order.guest_email:
        request.session[ORDER_EMAIL_SESSION_KEY] = order.guest_email

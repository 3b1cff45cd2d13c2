"""Order mail, sent by the worker so placing an order never waits on SMTP."""

from celery import shared_task
from django.conf import settings
from django.core.mail import send_mail
from django.template.loader import render_to_string
from django.utils import translation
from oscar.core.loading import get_model

from marketplace.order.links import order_status_url


@shared_task(name="order.confirmation_mail", ignore_result=True)
def order_confirmation_mail_task(order_id: int) -> bool:
    """Mail the buyer their order number, parcels and total (in Vietnamese).

    Run through the outbox (`order_place` records it with the order), which
    makes it happen exactly once; call it directly only to resend."""
    Order = get_model("order", "Order")
    order = Order.objects.select_related("shipping_address", "user").filter(pk=order_id).first()
    address = order.email if order else ""
    if not address:  # an order deleted since, or one without an address
        return False
    with translation.override(settings.LANGUAGE_CODE):
        context = {
            "order": order,
            "parcels": order.parcels.select_related("producer").order_by("pk"),
            "lines": order.lines.order_by("pk"),
            "status_url": settings.SITE_URL.rstrip("/") + order_status_url(order),
        }
        subject = render_to_string("order/emails/confirmation_subject.txt", context).strip()
        body = render_to_string("order/emails/confirmation_body.txt", context)
    send_mail(subject, body, settings.DEFAULT_FROM_EMAIL, [address])
    return True

"""Oscar's order dashboard forms, with order statuses offered in words.

Oscar labels each status choice with its code ("placed"); operators read
the label in their language while the form still posts the code. Oscar's
other forms are used as they are (`get_class` falls back to them).
"""

from oscar.apps.dashboard.orders import forms as oscar_forms
from oscar.core.loading import get_model

from marketplace.order.models import order_status_label

Order = get_model("order", "Order")


def _labelled(statuses) -> list[tuple[str, str]]:
    return [(status, order_status_label(status)) for status in statuses]


class OrderSearchForm(oscar_forms.OrderSearchForm):
    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["status"].choices = [("", "---------"), *_labelled(Order.all_statuses())]


class OrderStatusForm(oscar_forms.OrderStatusForm):
    def __init__(self, order, *args, **kwargs):
        super().__init__(order, *args, **kwargs)
        self.fields["new_status"].choices = _labelled(order.available_statuses())

"""Oscar's order list and order page, with order statuses in words: in the
filter description, the CSV, and the "status changed" message and note
(Oscar writes the codes there: "from 'placed' to 'packed'"). The status
change itself is Oscar's, step for step; Oscar's other views are used as
they are."""

from django.contrib import messages
from django.utils.translation import gettext as _
from oscar.apps.dashboard.orders import views as oscar_views
from oscar.apps.order import exceptions as order_exceptions
from oscar.apps.payment.exceptions import PaymentError
from oscar.core.loading import get_model

from marketplace.order.models import order_status_label

OrderNote = get_model("order", "OrderNote")


def status_changed_message(old_status: str, new_status: str) -> str:
    return _("Order status changed from '%(old_status)s' to '%(new_status)s'") % {
        "old_status": order_status_label(old_status),
        "new_status": order_status_label(new_status),
    }


class OrderListView(oscar_views.OrderListView):
    def get_search_filter_descriptions(self):
        descriptions = super().get_search_filter_descriptions()
        status = (getattr(self.form, "cleaned_data", None) or {}).get("status")
        if status:
            # Oscar appends the status description last.
            descriptions[-1] = _("Order status is {order_status}").format(
                order_status=order_status_label(status)
            )
        return descriptions

    def get_row_values(self, order):
        return {**super().get_row_values(order), "status": order.get_status_display()}

    def change_order_status(self, request, order):
        new_status = request.POST["new_status"].strip()
        if not new_status:
            messages.error(request, _("The new status '%s' is not valid") % new_status)
            return
        if new_status not in order.available_statuses():
            messages.error(
                request,
                _("The new status '%s' is not valid for this order")
                % order_status_label(new_status),
            )
            return
        old_status = order.status
        try:
            self.get_handler(user=request.user).handle_order_status_change(order, new_status)
        except PaymentError as e:
            messages.error(request, _("Unable to change order status due to payment error: %s") % e)
        else:
            msg = status_changed_message(old_status, new_status)
            messages.info(request, msg)
            order.notes.create(user=request.user, message=msg, note_type=OrderNote.SYSTEM)


class OrderDetailView(oscar_views.OrderDetailView):
    def change_order_status(self, request, order):
        form = self.get_order_status_form()
        if not form.is_valid():
            return self.reload_page(error=_("Invalid form submission"))
        old_status, new_status = order.status, form.cleaned_data["new_status"]
        success_msg = status_changed_message(old_status, new_status)
        try:
            self.get_handler(user=request.user).handle_order_status_change(
                order, new_status, note_msg=success_msg
            )
        except PaymentError as e:
            messages.error(request, _("Unable to change order status due to payment error: %s") % e)
        except order_exceptions.InvalidOrderStatus:
            messages.error(
                request,
                _("Unable to change order status as the requested new status is not valid"),
            )
        else:
            messages.info(request, success_msg)
        return self.reload_page()

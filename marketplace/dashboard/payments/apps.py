"""The operators' payments area of the dashboard: refunding a paid order
(whole or by line, through Stripe or recorded by hand for a bank
transfer), every VietQR attempt, and the bank refund of flagged money.
Staff only (`marketplace.dashboard.permissions`)."""

from django.urls import path
from oscar.core.loading import get_class

from marketplace.dashboard.permissions import OperatorDashboardConfig


class PaymentsDashboardConfig(OperatorDashboardConfig):
    label = "payments_dashboard"
    name = "marketplace.dashboard.payments"

    def ready(self):
        self.transfer_list_view = get_class("dashboard.payments.views", "transfer_list")
        self.transfer_refund_view = get_class("dashboard.payments.views", "transfer_refund")
        self.order_refund_view = get_class("dashboard.payments.views", "order_refund")

    def get_urls(self):
        urls = [
            path("chuyen-khoan/", self.transfer_list_view, name="payments-transfers"),
            path(
                "chuyen-khoan/<int:pk>/hoan-tien/",
                self.transfer_refund_view,
                name="payments-transfer-refund",
            ),
            path("<str:number>/refund/", self.order_refund_view, name="payments-order-refund"),
        ]
        return self.post_process_urls(urls)

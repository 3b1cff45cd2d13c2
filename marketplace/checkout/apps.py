"""Oscar's checkout, forked: one page instead of Oscar's five steps.

A Vietnamese shopper gives a name, a phone number and an address (province,
then ward), picks cash on delivery, a bank transfer by VietQR or a card, and sees every producer's
parcel and its shipping charge before placing the order. Guests check out
with an email; signed-in shoppers with their account.
"""

import oscar.apps.checkout.apps as apps
from django.urls import path
from oscar.core.loading import get_class


class CheckoutConfig(apps.CheckoutConfig):
    name = "marketplace.checkout"

    def ready(self):
        super().ready()
        self.checkout_view = get_class("checkout.views", "CheckoutView")
        self.thank_you_view = get_class("checkout.views", "ThankYouView")
        self.summary_view = get_class("checkout.views", "CheckoutSummaryView")
        self.card_return_view = get_class("checkout.views", "CardReturnView")
        self.transfer_view = get_class("checkout.transfer_views", "BankTransferView")
        self.transfer_status_view = get_class("checkout.transfer_views", "BankTransferStatusView")
        self.transfer_return_view = get_class("checkout.transfer_views", "BankTransferReturnView")
        self.transfer_cancel_view = get_class("checkout.transfer_views", "BankTransferCancelView")

    def get_urls(self):
        urls = [
            path("", self.checkout_view.as_view(), name="index"),
            path("tong-tien/", self.summary_view.as_view(), name="summary"),
            path("card/return/", self.card_return_view.as_view(), name="card-return"),
            path("thank-you/", self.thank_you_view.as_view(), name="thank-you"),
            path("vietqr/<int:order_code>/", self.transfer_view.as_view(), name="vietqr"),
            path(
                "vietqr/<int:order_code>/trang-thai/",
                self.transfer_status_view.as_view(),
                name="vietqr-status",
            ),
            path("vietqr/tro-ve/", self.transfer_return_view.as_view(), name="vietqr-return"),
            path("vietqr/huy/", self.transfer_cancel_view.as_view(), name="vietqr-cancel"),
        ]
        return self.post_process_urls(urls)

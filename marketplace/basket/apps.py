"""Oscar's basket, forked under the same label so line discounts stay in
whole đồng (and, in later issues, so baskets refuse non-listable products),
and for the GET "add" step that shared pages use (basket.views)."""

import oscar.apps.basket.apps as apps
from django.urls import path
from oscar.core.loading import get_class


class BasketConfig(apps.BasketConfig):
    name = "marketplace.basket"

    def ready(self):
        super().ready()
        self.add_confirm_view = get_class("basket.views", "BasketAddConfirmView")

    def get_urls(self):
        return super().get_urls() + self.post_process_urls(
            [
                path(
                    "add/<int:pk>/xac-nhan/",
                    self.add_confirm_view.as_view(),
                    name="add-confirm",
                ),
            ]
        )

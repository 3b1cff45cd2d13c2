"""The operators' sign-in lockouts area of the dashboard: who is locked out
(by account or by address) and a button to unlock them. Staff only
(`marketplace.dashboard.permissions`)."""

from django.urls import path
from oscar.core.loading import get_class

from marketplace.dashboard.permissions import OperatorDashboardConfig


class LockoutsDashboardConfig(OperatorDashboardConfig):
    label = "lockouts_dashboard"
    name = "marketplace.dashboard.lockouts"

    def ready(self):
        self.list_view = get_class("dashboard.lockouts.views", "lockout_list")
        self.clear_view = get_class("dashboard.lockouts.views", "lockout_clear")

    def get_urls(self):
        urls = [
            path("", self.list_view, name="lockouts-list"),
            path("clear/", self.clear_view, name="lockouts-clear"),
        ]
        return self.post_process_urls(urls)

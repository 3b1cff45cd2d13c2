"""The operators' producers area of the dashboard: every registry producer,
searchable, with how many accounts manage it, and an invitation sent to
the registry's email for it. Staff only
(`marketplace.dashboard.permissions`); producers themselves work in the
producer workspace (`marketplace.producers.workspace`)."""

from django.urls import path
from oscar.core.loading import get_class

from marketplace.dashboard.permissions import OperatorDashboardConfig


class ProducersDashboardConfig(OperatorDashboardConfig):
    label = "producers_dashboard"
    name = "marketplace.dashboard.producers"

    def ready(self):
        self.list_view = get_class("dashboard.producers.views", "producer_list")
        self.invite_view = get_class("dashboard.producers.views", "producer_invite")

    def get_urls(self):
        urls = [
            path("", self.list_view, name="producers-list"),
            path("<int:pk>/invite/", self.invite_view, name="producers-invite"),
        ]
        return self.post_process_urls(urls)

"""The operators' registry area of the dashboard: sync runs and their
counts, a sync started by hand, a province's decision list uploaded,
previewed and imported, and the records the registry sent that were
rejected. Staff only (`marketplace.dashboard.permissions`)."""

from django.urls import path
from oscar.core.loading import get_class

from marketplace.dashboard.permissions import OperatorDashboardConfig


class RegistryDashboardConfig(OperatorDashboardConfig):
    label = "registry_dashboard"
    name = "marketplace.dashboard.registry"

    def ready(self):
        self.sync_run_list_view = get_class("dashboard.registry.views", "sync_run_list")
        self.sync_run_detail_view = get_class("dashboard.registry.views", "sync_run_detail")
        self.sync_start_view = get_class("dashboard.registry.views", "sync_start")
        self.upload_view = get_class("dashboard.registry.views", "decision_list_upload")
        self.upload_preview_view = get_class("dashboard.registry.views", "decision_list_preview")
        self.upload_confirm_view = get_class("dashboard.registry.views", "decision_list_confirm")
        self.upload_cancel_view = get_class("dashboard.registry.views", "decision_list_cancel")
        self.rejected_list_view = get_class("dashboard.registry.views", "rejected_record_list")

    def get_urls(self):
        urls = [
            path("", self.sync_run_list_view, name="registry-sync-runs"),
            path("<int:pk>/", self.sync_run_detail_view, name="registry-sync-run"),
            path("start/", self.sync_start_view, name="registry-sync-start"),
            path("upload/", self.upload_view, name="registry-upload"),
            path(
                "upload/<slug:token>/",
                self.upload_preview_view,
                name="registry-upload-preview",
            ),
            path(
                "upload/<slug:token>/confirm/",
                self.upload_confirm_view,
                name="registry-upload-confirm",
            ),
            path(
                "upload/<slug:token>/cancel/",
                self.upload_cancel_view,
                name="registry-upload-cancel",
            ),
            path("rejected/", self.rejected_list_view, name="registry-rejected-records"),
        ]
        return self.post_process_urls(urls)

from django.urls import path

from marketplace.registry.dashboard import views

app_name = "registry-dashboard"

urlpatterns = [
    path("", views.sync_run_list, name="sync-runs"),
    path("<int:pk>/", views.sync_run_detail, name="sync-run"),
    path("start/", views.sync_start, name="sync-start"),
    path("upload/", views.decision_list_upload, name="upload"),
    path("upload/<slug:token>/", views.decision_list_preview, name="upload-preview"),
    path("upload/<slug:token>/confirm/", views.decision_list_confirm, name="upload-confirm"),
    path("upload/<slug:token>/cancel/", views.decision_list_cancel, name="upload-cancel"),
    path("rejected/", views.rejected_record_list, name="rejected-records"),
]

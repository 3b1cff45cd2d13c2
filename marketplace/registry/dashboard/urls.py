from django.urls import path

from marketplace.registry.dashboard import views

app_name = "registry-dashboard"

urlpatterns = [
    path("", views.sync_run_list, name="sync-runs"),
    path("<int:pk>/", views.sync_run_detail, name="sync-run"),
    path("start/", views.sync_start, name="sync-start"),
]

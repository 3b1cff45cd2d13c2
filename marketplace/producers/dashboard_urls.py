from django.urls import path

from marketplace.producers import dashboard

app_name = "producers-dashboard"

urlpatterns = [
    path("", dashboard.producer_list, name="list"),
    path("<int:pk>/invite/", dashboard.producer_invite, name="invite"),
]

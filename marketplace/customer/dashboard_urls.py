from django.urls import path

from marketplace.customer import dashboard

app_name = "lockouts-dashboard"

urlpatterns = [
    path("", dashboard.lockout_list, name="list"),
    path("clear/", dashboard.lockout_clear, name="clear"),
]

"""Calendar feeds, mounted at `/lich/` (before Wagtail's catch-all)."""

from django.urls import path

from cms import views

app_name = "cms-calendar"

urlpatterns = [
    path("ocop.ics", views.feed, name="feed"),
    path("<int:pk>.ics", views.event, name="event"),
]

"""A URLconf with one failing view, to exercise the 500 handler."""

from django.urls import path

from marketplace.urls import handler404, handler500  # noqa: F401  (Django reads them here)


def boom(request):
    raise RuntimeError("simulated failure")


urlpatterns = [path("boom/", boom)]

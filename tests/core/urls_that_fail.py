"""A URLconf with failing views, to exercise the 500 handler."""

from django.db import connection
from django.http import HttpResponse
from django.urls import path

from marketplace.urls import handler404, handler500  # noqa: F401  (Django reads them here)


def boom(request):
    raise RuntimeError("simulated failure")


def slow_query(request):
    """A query slower than any web statement timeout."""
    with connection.cursor() as cursor:
        cursor.execute("SELECT pg_sleep(3)")
    return HttpResponse("finished")


urlpatterns = [path("boom/", boom), path("slow-query/", slow_query)]

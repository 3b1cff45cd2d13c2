"""Site-wide views: health check and the error pages.

Error handlers render our own templates in the visitor's language and never
let a traceback reach the browser, even if the template itself fails.
"""

import logging

from django.db import connection
from django.http import HttpResponseNotFound, HttpResponseServerError, JsonResponse
from django.template import loader

logger = logging.getLogger(__name__)

_BARE_500 = (
    "<!doctype html><title>Lỗi máy chủ</title><h1>Đã có lỗi xảy ra. Vui lòng thử lại sau.</h1>"
)


def healthz(request):
    """Liveness for the compose healthcheck: the database answers a query."""
    with connection.cursor() as cursor:
        cursor.execute("SELECT 1")
    return JsonResponse({"status": "ok"})


def page_not_found(request, exception=None):
    """Our 404 page, translated, with a way back to the shop."""
    body = loader.render_to_string("404.html", {"request_path": request.path}, request)
    return HttpResponseNotFound(body)


def server_error(request):
    """Our 500 page. It renders without context processors, which may be what
    failed, and falls back to a fixed Vietnamese page if even that breaks."""
    try:
        body = loader.get_template("500.html").render({})
    except Exception:  # the last line of defence must not raise
        logger.exception("500 template failed to render")
        body = _BARE_500
    return HttpResponseServerError(body)

"""Site-wide views: health checks, the error pages, and the small per-visitor
endpoints that keep shared pages free of visitor state (language, CSRF token).

Error handlers render our own templates in the visitor's language and never
let a traceback reach the browser, even if the template itself fails.
"""

import asyncio
import contextlib
import logging
from concurrent.futures import ThreadPoolExecutor

from django.conf import settings
from django.db import transaction
from django.http import (
    HttpResponseNotFound,
    HttpResponseRedirect,
    HttpResponseServerError,
    JsonResponse,
)
from django.middleware.csrf import get_token
from django.template import loader
from django.utils.cache import add_never_cache_headers
from django.utils.http import url_has_allowed_host_and_scheme
from django.views.decorators.cache import never_cache
from django.views.decorators.http import require_safe
from health_check.views import HealthCheckView

from marketplace.core.health import readiness_checks

logger = logging.getLogger(__name__)

_BARE_500 = (
    "<!doctype html><title>Lỗi máy chủ</title><h1>Đã có lỗi xảy ra. Vui lòng thử lại sau.</h1>"
)


@transaction.non_atomic_requests  # ATOMIC_REQUESTS would open a connection
@require_safe
def liveness(request):
    """The process is up and serving requests; no dependency is touched.

    For a supervisor deciding whether to restart this process: a restart
    cannot mend a database or a Redis, so their state does not belong here
    (that is readiness)."""
    response = JsonResponse({"status": "ok"})
    add_never_cache_headers(response)
    return response


class ReadinessView(HealthCheckView):
    """Whether this process should be sent traffic, with each dependency's
    state and latency (`marketplace.core.health`).

    Answers 503 only when a required part is down, and only the database is
    required: no page renders without it, and a web process that cannot
    reach it is better taken out of the load balancer. The cache, the Celery
    broker and OpenSearch are optional parts the site degrades around (no
    cache; mail and reindexing recorded in the database and swept later;
    search from the database), and they are shared by every web process: if
    their outage failed readiness, the load balancer would pull every process
    at once and turn a degraded shop into no shop. They are reported, for
    monitoring, as "degraded" with a 200. (The database is shared too: when
    it is down for every process, a load balancer with no ready backend
    shows its own error page rather than our Vietnamese one. Readiness is
    for the partial failure, one process that lost its way to the database.)

    The checks run concurrently; each has a budget of about a second, and
    sync checks run in threads that are abandoned, not waited for, when they
    overrun, so a hanging dependency cannot hold the answer past ~2 s.
    """

    async def get(self, request, *args, **kwargs):
        named = readiness_checks()
        with self.get_executor() as executor:
            results = await asyncio.gather(
                *(check.get_result(executor) for check, _required in named.values())
            )
        report, required_down, optional_down = {}, False, False
        for (name, (_check, required)), result in zip(named.items(), results, strict=True):
            entry = {
                "status": "down" if result.error else "up",
                "required": required,
                "latency_ms": round(result.time_taken * 1000, 1),
            }
            if result.error:
                entry["error"] = str(result.error)
                required_down |= required
                optional_down |= not required
            report[name] = entry
        status = "down" if required_down else "degraded" if optional_down else "ok"
        return JsonResponse(
            {"status": status, "checks": report}, status=503 if required_down else 200
        )

    @contextlib.contextmanager
    def get_executor(self):
        executor = ThreadPoolExecutor(max_workers=4, thread_name_prefix="readiness")
        try:
            yield executor
        finally:
            executor.shutdown(wait=False, cancel_futures=True)


readiness = ReadinessView.as_view()


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


@transaction.non_atomic_requests
@require_safe
@never_cache
def language_choose(request):
    """`/ngon-ngu/?language=en&next=/shop/`: remember the visitor's language
    in Django's language cookie, then go back to `next` (a path on this
    site; anything else goes to the home page).

    A GET, so the header's switcher needs no CSRF token and the header stays
    the same for every visitor (a shared, cached page cannot carry one). No
    token is needed because the language is presentation only: a link from
    another site can at most change the language this visitor reads the
    shop in, never an order, an account or a basket. Django's POST
    `set_language` (/i18n/setlang/) keeps working for anything that uses it.
    """
    next_url = request.GET.get("next", "")
    if not url_has_allowed_host_and_scheme(
        next_url, allowed_hosts={request.get_host()}, require_https=request.is_secure()
    ):
        next_url = "/"
    response = HttpResponseRedirect(next_url)
    language = request.GET.get("language", "")
    if language in dict(settings.LANGUAGES):
        response.set_cookie(
            settings.LANGUAGE_COOKIE_NAME,
            language,
            max_age=settings.LANGUAGE_COOKIE_AGE,
            path=settings.LANGUAGE_COOKIE_PATH,
            domain=settings.LANGUAGE_COOKIE_DOMAIN,
            secure=settings.LANGUAGE_COOKIE_SECURE,
            httponly=settings.LANGUAGE_COOKIE_HTTPONLY,
            samesite=settings.LANGUAGE_COOKIE_SAMESITE,
        )
    return response


@transaction.non_atomic_requests
@require_safe
@never_cache
def csrf_token(request):
    """`/csrf-token/`: this visitor's CSRF token as JSON, setting the
    `csrftoken` cookie if they had none.

    Shared pages carry no token (js/basket-add.js); their forms are GET steps
    for visitors without JavaScript, and with JavaScript the page asks here
    (or reads the cookie) and posts the form itself. Never cached: the
    answer belongs to one visitor (`Cache-Control: private, no-store`).
    """
    return JsonResponse({"token": get_token(request)})

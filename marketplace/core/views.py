"""Site-wide views: the error pages, and the small per-visitor
endpoints that keep shared pages free of visitor state (language, CSRF token).

Error handlers render our own templates in the visitor's language and never
let a traceback reach the browser, even if the template itself fails.
"""

import logging

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
from django.utils.http import url_has_allowed_host_and_scheme
from django.views.decorators.cache import never_cache
from django.views.decorators.http import require_safe

logger = logging.getLogger(__name__)

_BARE_500 = (
    "<!doctype html><title>Lỗi máy chủ</title><h1>Đã có lỗi xảy ra. Vui lòng thử lại sau.</h1>"
)


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

"""Language selection, and the security headers and cookie attributes every
response carries."""

import logging

from csp.constants import HEADER, HEADER_REPORT_ONLY, SELF
from csp.middleware import CheckableLazyObject, CSPMiddleware
from django.conf import settings
from django.core.signals import setting_changed
from django.dispatch import receiver
from django.http import HttpResponse, HttpResponseBadRequest
from django.template import loader
from django.utils import translation
from django.utils.cache import patch_vary_headers

from marketplace.core.request_params import has_control_characters, integer


class ChosenLanguageMiddleware:
    """Activate the language from the switcher's cookie, else Vietnamese.

    Django's LocaleMiddleware follows the browser's Accept-Language, which
    would show most phones and every CI browser the English site; the
    marketplace is Vietnamese first, and English is an explicit choice.
    """

    def __init__(self, get_response):
        self.get_response = get_response
        self.supported = {code for code, _name in settings.LANGUAGES}

    def __call__(self, request):
        chosen = request.COOKIES.get(settings.LANGUAGE_COOKIE_NAME)
        language = chosen if chosen in self.supported else settings.LANGUAGE_CODE
        translation.activate(language)
        request.LANGUAGE_CODE = language
        response = self.get_response(request)
        patch_vary_headers(response, ("Cookie",))
        response.headers.setdefault("Content-Language", language)
        return response


class ContentSecurityPolicyMiddleware(CSPMiddleware):
    """django-csp's middleware, with the exceptions to settings'
    CONTENT_SECURITY_POLICY that depend on the request.

    - Under a prefix of CONTENT_SECURITY_POLICY_BY_PATH (the dashboard,
      Wagtail's admin) that entry's directives replace the policy's.
    - The policy says `frame-ancestors 'none'`. The page previews Wagtail's
      editor shows in a frame get `frame-ancestors 'self'`, as do responses
      Wagtail marks `X-Frame-Options: SAMEORIGIN`: browsers obey
      frame-ancestors over X-Frame-Options, so the two must agree. A preview
      is rendered through the middleware a second time, for a made-up request
      to the page's own URL (`request.is_preview`), and that inner pass sets
      the header the response keeps: the shop's policy, with its nonce.
    """

    def get_policy_parts(self, request, response, report_only=False):
        parts = super().get_policy_parts(request, response, report_only)
        replace = dict(parts.replace or {})
        for prefix, directives in settings.CONTENT_SECURITY_POLICY_BY_PATH.items():
            if request.path_info.startswith(prefix):
                replace.update(directives)
        framed = response.get("X-Frame-Options", "").upper() == "SAMEORIGIN"
        if framed or getattr(request, "is_preview", False):
            replace["frame-ancestors"] = [SELF]
        parts.replace = replace or None
        return parts

    def process_response(self, request, response):
        """The plain shop policy (no nonce, no per-view or per-path change)
        is the same text for every response: built once, then copied. A
        page served from the page cache uses no nonce, and building the
        policy was a tenth of such a hit."""
        if not self._plain(request, response):
            return super().process_response(request, response)
        headers = _PLAIN_POLICY_HEADERS.get(response.status_code)
        if headers is None:
            probe = HttpResponse(status=response.status_code)
            super().process_response(request, probe)
            headers = {h: probe[h] for h in (HEADER, HEADER_REPORT_ONLY) if h in probe}
            _PLAIN_POLICY_HEADERS[response.status_code] = headers
        else:
            # what django-csp does once the header is written
            request.csp_nonce = CheckableLazyObject(self._csp_nonce_post_response)
        for name, value in headers.items():
            response.headers.setdefault(name, value)
        return response

    @staticmethod
    def _plain(request, response) -> bool:
        if getattr(request, "_csp_nonce", None) is not None:
            return False
        if getattr(request, "is_preview", False):
            return False
        if any(name.startswith("_csp") for name in vars(response)):
            return False
        if response.get("X-Frame-Options", "").upper() == "SAMEORIGIN":
            return False
        special = [
            *settings.CONTENT_SECURITY_POLICY_BY_PATH,
            *(getattr(settings, "CONTENT_SECURITY_POLICY", None) or {}).get(
                "EXCLUDE_URL_PREFIXES", ()
            ),
            *(getattr(settings, "CONTENT_SECURITY_POLICY_REPORT_ONLY", None) or {}).get(
                "EXCLUDE_URL_PREFIXES", ()
            ),
        ]
        return not request.path_info.startswith(tuple(special))


# The plain policy's headers by status code (django-csp leaves 404s and 500s
# alone under DEBUG); forgotten when a test changes the policy settings.
_PLAIN_POLICY_HEADERS: dict[int, dict[str, str]] = {}


@receiver(setting_changed)
def _plain_policy_forget(*, setting, **_kwargs):
    if setting.startswith("CONTENT_SECURITY_POLICY") or setting == "DEBUG":
        _PLAIN_POLICY_HEADERS.clear()


class PermissionsPolicyMiddleware:
    """Send settings.PERMISSIONS_POLICY as the Permissions-Policy header.

    Django has no setting for it; each feature maps to its allowlist, an
    empty one switching the feature off for the page and every frame in it.
    """

    def __init__(self, get_response):
        self.get_response = get_response
        self.header = ", ".join(
            f"{feature}=({' '.join(allowed)})"
            for feature, allowed in settings.PERMISSIONS_POLICY.items()
        )

    def __call__(self, request):
        response = self.get_response(request)
        if self.header:
            response.headers.setdefault("Permissions-Policy", self.header)
        return response


class CookieDefaultsMiddleware:
    """Give every cookie a response sets SameSite=Lax, and Secure over HTTPS.

    Django's own cookies follow their settings, but libraries set cookies of
    their own (Oscar's basket cookie has no SameSite): rather than audit each,
    any cookie without the attributes gets them here.
    """

    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        response = self.get_response(request)
        secure = request.is_secure()
        for morsel in response.cookies.values():
            if not morsel["samesite"]:
                morsel["samesite"] = "Lax"
            if secure:
                morsel["secure"] = True
        return response


# Django's default DATA_UPLOAD_MAX_MEMORY_SIZE, for a deployment that unsets it:
# this middleware reads a form body into memory, so it needs some bound.
DEFAULT_UPLOAD_MEMORY = 2_621_440

_BARE_400 = (
    "<!doctype html><title>Yêu cầu không hợp lệ</title>"
    "<h1>Yêu cầu không hợp lệ</h1><p lang=en>Bad request.</p>"
)


class RefuseControlCharactersMiddleware:
    """Answer 400 to a request carrying NUL or another control character in
    its path, query string, form fields or cookies, before any view runs.

    PostgreSQL `text` and `varchar` cannot hold NUL (0x00): a `%00` that
    reaches a query (the certificate lookup's `?so=`, an order number in
    `/shop/accounts/orders/<n>/`, search text on the database backend)
    makes psycopg raise, and the visitor gets a 500. Patching each view
    leaves the next one open; refusing at the edge closes the whole class.
    No person types control characters into an address or a form, so the
    path refuses every one (C0, DEL, C1) and the query string, form fields
    and cookies every one but tab, line feed and carriage return (a textarea
    sends those). Uploaded files are not looked at (a spreadsheet is binary).
    A form body is read into memory first, so the view can still read its raw
    bytes; bodies larger than `DATA_UPLOAD_MAX_MEMORY_SIZE` are not read here
    but left to Django's limits and the view's own size check (the
    decision-list upload refuses them from their Content-Length before
    reading them). The values that remain are parsed by
    `marketplace.core.request_params`.

    The answer is our own short bilingual page, never a traceback; it sits
    near the top of MIDDLEWARE, so no session, database or cache is touched.
    """

    FORM_TYPES = ("application/x-www-form-urlencoded", "multipart/form-data")
    logger = logging.getLogger("marketplace.security")

    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        where = self.refused_part(request)
        if where:
            self.logger.warning(
                "Refused %s %s: control character in %s",
                request.method,
                request.path.encode("unicode_escape").decode()[:200],
                where,
            )
            return self.refusal()
        return self.get_response(request)

    def refused_part(self, request) -> str:
        """Which part of the request holds a control character, or ""."""
        if has_control_characters(request.path_info, allowed=()):
            return "path"
        if self._has_bad_item(request.GET):
            return "query"
        if self._has_bad_item(request.COOKIES):
            return "cookies"
        if self._form_is_read(request):
            # the body first, so it stays readable after the form is parsed
            # (the Stripe webhook verifies the raw bytes of whatever it is sent)
            request.body  # noqa: B018
            if self._has_bad_item(request.POST):
                return "form"
        return ""

    def _form_is_read(self, request) -> bool:
        if request.method != "POST" or request.content_type not in self.FORM_TYPES:
            return False
        limit = settings.DATA_UPLOAD_MAX_MEMORY_SIZE or DEFAULT_UPLOAD_MEMORY
        length = request.META.get("CONTENT_LENGTH") or "0"
        return integer(length, high=limit) is not None

    @staticmethod
    def _has_bad_item(mapping) -> bool:
        lists = (
            mapping.lists() if hasattr(mapping, "lists") else ((k, [v]) for k, v in mapping.items())
        )
        return any(
            has_control_characters(key) or any(has_control_characters(v) for v in values)
            for key, values in lists
        )

    @staticmethod
    def refusal() -> HttpResponseBadRequest:
        try:
            body = loader.get_template("400.html").render({})
        except Exception:  # the refusal must not itself become a 500
            logging.getLogger(__name__).exception("400 template failed to render")
            body = _BARE_400
        return HttpResponseBadRequest(body)

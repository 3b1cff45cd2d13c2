"""Who may be served a shared page, and under which key.

A visitor is served the shared copy only when nothing about them can change
the page: no session (so not signed in and no checkout in progress), no
basket, no pending messages. The language is part of the key (the switcher's
cookie, as `ChosenLanguageMiddleware` reads it); so are the scheme and host
(canonical and OpenGraph URLs), the path, and the query string with its
parameters sorted and tracking parameters dropped.
"""

import hashlib
from urllib.parse import parse_qsl, urlencode

from django.conf import settings


def private_cookies() -> tuple[str, ...]:
    """Cookies whose presence means the page may differ for this visitor."""
    return (
        settings.SESSION_COOKIE_NAME,
        getattr(settings, "OSCAR_BASKET_COOKIE_OPEN", "oscar_open_basket"),
        getattr(settings, "MESSAGE_COOKIE_NAME", "messages"),
    )


def request_language(request) -> str:
    """The language `ChosenLanguageMiddleware` will activate (same rule)."""
    chosen = request.COOKIES.get(settings.LANGUAGE_COOKIE_NAME)
    supported = {code for code, _name in settings.LANGUAGES}
    return chosen if chosen in supported else settings.LANGUAGE_CODE


def has_shared_address(request) -> bool:
    """Whether this request asks for an address that has a shared page at
    all, whoever the visitor is."""
    if request.method not in ("GET", "HEAD"):
        return False
    if "HTTP_AUTHORIZATION" in request.META:
        return False
    return not request.path_info.startswith(tuple(settings.PAGE_CACHE_SKIP_PREFIXES))


def may_share(request) -> bool:
    """Whether this request may be answered from, or stored as, a shared page
    as it is (a visitor with cookies gets it with their own visitor parts:
    marketplace.pagecache.parts)."""
    if not has_shared_address(request):
        return False
    return not any(name in request.COOKIES for name in private_cookies())


def normalised_query(query_string: str) -> str:
    return urlencode(sorted(parse_qsl(query_string, keep_blank_values=True)))


# The stored copy's format, in every key: a deploy that changes what is
# stored (2: gzip, was zlib) then never reads a copy the old code wrote.
STORED_FORMAT = 2


def page_key(request, version: str) -> str:
    address = "{}://{}{}?{}".format(
        request.scheme,
        request.get_host(),
        request.path,
        normalised_query(request.META.get("QUERY_STRING", "")),
    )
    digest = hashlib.sha256(address.encode("utf-8", "surrogateescape")).hexdigest()[:40]
    language = request_language(request)
    return f"{settings.PAGE_CACHE_PREFIX}:page{STORED_FORMAT}:{language}:{version}:{digest}"


def page_etag(key: str) -> str:
    """An ETag that changes whenever the key does: with the day, the
    generation, the language or the address."""
    return '"' + hashlib.sha256(key.encode()).hexdigest()[:32] + '"'

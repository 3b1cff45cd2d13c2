"""Serve shopper pages from one shared copy per day, generation and address.

Where it sits (settings.MIDDLEWARE): inside the security-header middleware,
which add CSP and Permissions-Policy to every answer, hit or not; outside
sessions, authentication, messages, CSRF and the basket, which a hit never
needs. A hit costs one indexed PostgreSQL read (the generation) and one Redis
GET.

What is stored is decided after the view ran, and only when every rule holds
(`_refusal` names the first that does not): the view is listed in
settings.PAGE_CACHE_VIEWS, the answer is a 200 that sets no cookie, used no
CSP nonce, is not marked private, and the visitor is anonymous. A template
that starts printing a CSRF token or the visitor's name therefore makes the
page uncached, never wrong; tests/pagecache checks that each shopper page is
stored.

For caches in front (nginx, a CDN): a shared answer carries an ETag derived
from its key and `Cache-Control: public, no-cache`, so they may keep it but
must ask again; the ask is answered 304 after the generation read alone.
Per-visitor answers say `Cache-Control: private`. docs/page-cache.md shows
an nginx configuration that follows the same rules.

A copy is stored gzipped, and a browser that accepts gzip (every one does)
gets those bytes as they are: a fifth of the bytes on a phone's connection,
and no decompression per hit. Compressing is safe here because a shared
page holds no secret (no CSRF token, nothing of a visitor's) for a BREACH
attack to guess at. Clients that do not accept gzip get it decompressed.
"""

import gzip
import logging
import re

from django.conf import settings
from django.core.cache import cache
from django.http import HttpResponse, HttpResponseNotModified
from django.utils.cache import patch_cache_control, patch_vary_headers

from marketplace.pagecache.generation import (
    catalogue_version,
    request_versions,
    seconds_to_midnight,
)
from marketplace.pagecache.keys import has_shared_address, may_share, page_etag, page_key
from marketplace.pagecache.parts import parts_fill

logger = logging.getLogger(__name__)

STATUS_HEADER = "X-Page-Cache"
# Headers a stored page keeps; the rest (Date, cookies, the security headers
# added outside this middleware) belong to each answer.
_KEPT_HEADERS = {
    "content-type",
    "content-language",
    "vary",
    "x-frame-options",
    "x-content-type-options",
    "referrer-policy",
    "cross-origin-opener-policy",
}
_VARY_OK = {"cookie", "accept-encoding"}
# Django's GZipMiddleware's test of Accept-Encoding
_ACCEPTS_GZIP = re.compile(r"\bgzip\b")
# gzip's level for stored copies: paid once per copy, and level 6 makes a
# listing a fifth of its size where level 1 makes it a quarter
_GZIP_LEVEL = 6


def accepts_gzip(request) -> bool:
    return bool(_ACCEPTS_GZIP.search(request.headers.get("Accept-Encoding", "")))


def stored_html(body: bytes) -> bytes:
    """A stored copy's page, uncompressed."""
    return gzip.decompress(body)


def _gzip_etag(etag: str) -> str:
    """The gzipped copy's own ETag: each encoding of a page is a different
    representation, and a cache in front must not mix them."""
    return etag[:-1] + '-gz"'


class PageCacheMiddleware:
    def __init__(self, get_response):
        self.get_response = get_response
        self.views = frozenset(settings.PAGE_CACHE_VIEWS)

    def __call__(self, request):
        with request_versions():
            return self._answer(request)

    def _answer(self, request):
        if not settings.PAGE_CACHE_ENABLED or not may_share(request):
            return self._private(self.get_response(request))
        # The generation is read before anything renders: a page rendered from
        # older data is then stored under an older generation, never a newer one.
        version = catalogue_version()
        if version is None:
            return self.get_response(request)
        key = page_key(request, version)
        etag = page_etag(key)
        asked = request.headers.get("If-None-Match")
        if asked in (etag, _gzip_etag(etag)):
            not_modified = HttpResponseNotModified()
            not_modified["ETag"] = asked
            patch_vary_headers(not_modified, ("Accept-Encoding",))
            self._public(not_modified)
            not_modified[STATUS_HEADER] = "revalidated"
            return not_modified
        stored = cache.get(key)
        if stored is not None:
            return self._from_stored(request, stored, etag)
        response = self.get_response(request)
        refusal = self._refusal(request, response)
        if refusal:
            response[STATUS_HEADER] = f"bypass; {refusal}"
            return self._private(response)
        self._store(key, response, etag)
        response[STATUS_HEADER] = "miss"
        return response

    def _refusal(self, request, response) -> str:
        """Why this answer may not be shared, or "" when it may."""
        if request.method != "GET":
            return "method"
        match = getattr(request, "resolver_match", None)
        if match is None or match.view_name not in self.views:
            return "view"
        if response.status_code != 200 or response.streaming:
            return "status"
        if response.cookies:
            return "cookie"
        if getattr(request, "_csp_nonce", None):
            return "nonce"
        cache_control = response.get("Cache-Control", "").lower()
        if any(word in cache_control for word in ("private", "no-store", "no-cache")):
            return "cache-control"
        vary = {v.strip().lower() for v in response.get("Vary", "").split(",") if v.strip()}
        if not vary <= _VARY_OK:
            return "vary"
        user = getattr(request, "user", None)
        if user is not None and user.is_authenticated:
            return "user"
        return ""

    def _store(self, key: str, response, etag: str) -> None:
        headers = [(k, v) for k, v in response.items() if k.lower() in _KEPT_HEADERS]
        body = gzip.compress(response.content, _GZIP_LEVEL, mtime=0)
        ttl = min(settings.PAGE_CACHE_TTL, seconds_to_midnight())
        cache.set(key, (headers, body), ttl)
        response["ETag"] = etag
        patch_vary_headers(response, ("Accept-Encoding",))
        self._public(response)

    def _from_stored(self, request, stored, etag: str):
        headers, body = stored
        zipped = accepts_gzip(request)
        if zipped:
            content = body
        else:
            content = stored_html(body)
        response = HttpResponse(b"" if request.method == "HEAD" else content)
        for name, value in headers:
            response[name] = value
        if zipped:
            response["Content-Encoding"] = "gzip"
            etag = _gzip_etag(etag)
        response["Content-Length"] = str(len(content))
        patch_vary_headers(response, ("Accept-Encoding",))
        response["ETag"] = etag
        self._public(response)
        response[STATUS_HEADER] = "hit"
        return response

    @staticmethod
    def _public(response):
        patch_cache_control(response, public=True, no_cache=True)
        return response

    @staticmethod
    def _private(response):
        if "Cache-Control" not in response:
            patch_cache_control(response, private=True)
        return response


class VisitorPartsMiddleware:
    """Serve a visitor with a basket, a session or messages the shared page
    with their own visitor parts (marketplace.pagecache.parts), without
    running the view.

    It sits last in settings.MIDDLEWARE: its process_view runs after
    sessions, authentication, messages and the basket have attached what the
    parts read, and its answer goes back out through them (the session and
    basket cookies, the CSRF cookie for the sign-out form, messages marked
    as shown). When nothing is stored yet for the page, the view runs as
    usual; only a cookie-less visit stores a page.
    """

    def __init__(self, get_response):
        self.get_response = get_response
        self.views = frozenset(settings.PAGE_CACHE_VIEWS)
        self.signed_in_full = frozenset(settings.PAGE_CACHE_SIGNED_IN_FULL_VIEWS)

    def __call__(self, request):
        return self.get_response(request)

    def process_view(self, request, view_func, view_args, view_kwargs):
        if not settings.PAGE_CACHE_ENABLED or not has_shared_address(request):
            return None
        if may_share(request):
            return None  # PageCacheMiddleware answers, or stores, this one
        match = request.resolver_match
        if match is None or match.view_name not in self.views:
            return None
        user = request.user
        if user.is_staff or (user.is_authenticated and match.view_name in self.signed_in_full):
            return None
        version = catalogue_version()
        if version is None:
            return None
        stored = cache.get(page_key(request, version))
        if stored is None:
            return None
        headers, body = stored
        html = "" if request.method == "HEAD" else stored_html(body).decode()
        response = HttpResponse(parts_fill(html, request) if html else b"")
        for name, value in headers:
            response[name] = value
        patch_cache_control(response, private=True)
        response[STATUS_HEADER] = "parts"
        return response

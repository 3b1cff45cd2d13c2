"""Cached pieces of pages (product cards, headline figures), keyed like
whole pages on the catalogue version, the language and the piece's own id.

Pages that cannot be shared (a visitor with a basket, a signed-in visitor)
still render every piece once a day and generation, not once a request.
"""

import logging
from collections.abc import Callable, Iterable

from django.conf import settings
from django.core.cache import cache
from django.utils import translation

from marketplace.pagecache.generation import catalogue_version, seconds_to_midnight

logger = logging.getLogger(__name__)


def fragment_key(kind: str, ident, version: str, language: str | None = None) -> str:
    language = language or translation.get_language() or settings.LANGUAGE_CODE
    return f"{settings.PAGE_CACHE_PREFIX}:frag:{kind}:{language}:{version}:{ident}"


def fragment(kind: str, ident, render: Callable[[], object], version: str | None = None):
    """`render()`'s result, from the cache when this version has it.

    `version` defaults to `catalogue_version()` (pass it in when fetching
    many fragments for one page, to read the generation once)."""
    version = version if version is not None else catalogue_version()
    if version is None:
        return render()
    key = fragment_key(kind, ident, version)
    value = cache.get(key)
    if value is None:
        value = render()
        cache.set(key, value, min(settings.PAGE_CACHE_TTL, seconds_to_midnight()))
    return value


def fragments(
    kind: str, idents: Iterable, render_missing: Callable[[list], dict], version: str | None = None
) -> dict:
    """Many fragments at once: one cache round trip, and `render_missing`
    gets the ids the cache lacks and returns {id: value} for them."""
    idents = list(idents)
    version = version if version is not None else catalogue_version()
    if version is None:
        return render_missing(idents)
    keys = {fragment_key(kind, ident, version): ident for ident in idents}
    found = cache.get_many(list(keys))
    values = {keys[key]: value for key, value in found.items()}
    missing = [ident for ident in idents if ident not in values]
    if missing:
        rendered = render_missing(missing)
        values.update(rendered)
        ttl = min(settings.PAGE_CACHE_TTL, seconds_to_midnight())
        cache.set_many(
            {fragment_key(kind, ident, version): rendered[ident] for ident in rendered}, ttl
        )
    return values

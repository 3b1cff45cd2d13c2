"""Page chrome (the site header and footer), rendered once per catalogue
version, language and host in each process instead of once per request.

On a page the page cache cannot answer (a search no one asked before),
the header and footer were about a third of the template time:
the section links, the language switcher, a few dozen translated strings
and URLs, none of which change between requests. What does change is
confined to holes, marked in the chrome's templates:

- the visitor parts (`{% visitor_part %}`: basket, account and staff links),
  rendered for each request's visitor, exactly as before;
- `{% chrome_hole "search_text" %}` and `{% chrome_hole "full_path" %}`, the
  search box's text and the language switcher's return address.

The rest is kept in memory, keyed like a fragment (the cache prefix, the
language, the host and `catalogue_version()`, so the day in Vietnam and the
catalogue generation): a section published or renamed bumps the generation
and the next request renders the chrome again. Without a version (the
SQLite default, the page cache off) the chrome is rendered every time.

Per process by design: the memo is a copy, never the truth. Every process
reads the version from the database on each request, so a change made
through one web process is rendered afresh by all of them.
"""

import re
import threading
from collections import OrderedDict

from django.conf import settings
from django.utils import translation
from django.utils.html import conditional_escape
from django.utils.safestring import SafeString, mark_safe

from marketplace.pagecache.generation import catalogue_version
from marketplace.pagecache.parts import part_render

# Set in the context while a chrome template renders for the memo: the tags
# that know a per-request value print a hole marker instead of the value.
RENDERING = "_chrome_rendering"

# NUL cannot come out of the chrome otherwise: PostgreSQL text cannot hold
# it, and a request carrying it is answered 400 at the edge
# (marketplace.core.middleware).
_HOLE = "\x00chrome-hole:{}\x00"
_HOLE_SPLIT = re.compile("\x00chrome-hole:([a-z_]+(?::[a-z_]+(?::[0-9]+)?)?)\x00")

# Keys are per version, so old ones are dead weight: keep only the newest.
MEMO_SIZE = 32
_memo: OrderedDict[tuple, list[str]] = OrderedDict()
_memo_lock = threading.Lock()


def hole(name: str) -> SafeString:
    """The marker for a per-request value, printed while the memo renders."""
    return mark_safe(_HOLE.format(name))  # noqa: S308 (a constant marker)


def request_value(name: str, request) -> str:
    """A request hole's value, escaped as the template would have."""
    if request is None:
        return ""
    if name == "search_text":
        return conditional_escape(request.GET.get("q") or "")
    if name == "full_path":
        return conditional_escape(request.get_full_path())
    raise ValueError(f"unknown chrome hole {name!r}")


def chrome_render(context, template_name: str) -> SafeString:
    """`{% include template_name %}`, with everything but its holes kept."""
    template = context.template.engine.get_template(template_name)
    request = context.get("request")
    version = catalogue_version() if request is not None else None
    if version is None:
        with context.push():  # as {% include %}: its variables stay inside
            return mark_safe(template.render(context))  # noqa: S308 (template output)
    key = (
        settings.PAGE_CACHE_PREFIX,
        template_name,
        translation.get_language(),
        request.get_host(),
        version,
    )
    with _memo_lock:
        pieces = _memo.get(key)
        if pieces is not None:
            _memo.move_to_end(key)
    if pieces is None:
        with context.push({RENDERING: True}):
            pieces = _HOLE_SPLIT.split(template.render(context))
        with _memo_lock:
            _memo[key] = pieces
            while len(_memo) > MEMO_SIZE:
                _memo.popitem(last=False)
    return mark_safe("".join(_filled(pieces, context, request)))  # noqa: S308


def _filled(pieces: list[str], context, request):
    # split() alternates: text, hole name, text, hole name, ..., text
    for index, piece in enumerate(pieces):
        if index % 2 == 0:
            yield piece
        elif piece.startswith("part:"):
            _part, name, *pk = piece.split(":")
            yield part_render(context, name, *pk)
        else:
            yield request_value(piece, request)


def chrome_forget() -> None:
    """Drop every kept chrome (tests that change templates or settings)."""
    with _memo_lock:
        _memo.clear()

"""Visitor parts: the few places where a shopper page differs per visitor.

A shared page (marketplace.pagecache.middleware) is rendered for a visitor
with no cookies. What a visitor with a basket, a session or a pending message
would see differently is confined to named parts, each its own template
under templates/partials/visitor/: the header's basket and account links,
the header's workspace and admin links, and the flash messages. The page
template marks each part with `{% visitor_part "name" %}`, which renders it
between two HTML comments.

`VisitorPartsMiddleware` then serves such a visitor the stored shared page
with each marked part rendered again for them, instead of running the view:
their own basket count and total, their own sign-out form with their own
CSRF token, their own messages (consumed, as any page would). No per-visitor
byte ever enters the shared copy, because the copy is only stored from a
cookie-less, anonymous answer (PageCacheMiddleware._refusal).

What a part may read: the request (its user, basket, messages, language)
and nothing that the view computed, because the view does not run. A page
whose main content differs per visitor beyond these parts is not served
this way: staff (Oscar's edit links, previews of unlisted products), and
signed-in customers on the views in settings.PAGE_CACHE_SIGNED_IN_FULL_VIEWS
(the product page: wish lists, stock alerts, review permissions).
"""

import re

from django.template.loader import render_to_string
from django.utils.html import format_html

PARTS = {
    "header_basket": "partials/visitor/header_basket.html",
    "header_account": "partials/visitor/header_account.html",
    "header_links": "partials/visitor/header_links.html",
    "messages": "partials/visitor/messages.html",
}

_MARKED = re.compile(r"<!--visitor-part:(?P<name>\w+)-->.*?<!--/visitor-part-->", re.DOTALL)


def part_mark(name: str, html: str) -> str:
    """`html` (the part as rendered by its template, so already escaped)
    between its markers."""
    if name not in PARTS:
        raise ValueError(f"unknown visitor part {name!r}; known: {sorted(PARTS)}")
    return format_html("<!--visitor-part:{}-->{}<!--/visitor-part-->", name, html)


def parts_fill(html: str, request) -> str:
    """The shared page `html` with every marked part rendered for `request`'s
    visitor (each part once, however often it is marked)."""
    rendered: dict[str, str] = {}

    def fill(match: re.Match) -> str:
        name = match["name"]
        if name not in rendered:
            rendered[name] = part_mark(name, render_to_string(PARTS[name], request=request))
        return rendered[name]

    return _MARKED.sub(fill, html)

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

The product page has four more, each about one object whose id the marker
carries (`<!--visitor-part:wishlist:42-->`): the wish list button, the stock
alert form, the invitation to review, and each review's byline and vote
forms ("Reviewed by you", may this visitor vote).

What a part may read: the request (its user, basket, messages, language)
and the id it is about, never what the view computed, because the view does
not run. A page whose main content differs per visitor beyond these parts
is not served this way: staff get every view (Oscar's edit links, previews
of unlisted products), and signed-in customers the views listed in
settings.PAGE_CACHE_SIGNED_IN_FULL_VIEWS.
"""

import re

from django.template import Engine, RequestContext
from django.utils.html import format_html

PARTS = {
    "header_basket": "partials/visitor/header_basket.html",
    "header_account": "partials/visitor/header_account.html",
    "header_links": "partials/visitor/header_links.html",
    "messages": "partials/visitor/messages.html",
    # the product page's, each about one product or review (`part_pk`)
    "wishlist": "partials/visitor/wishlist.html",
    "stock_alert": "partials/visitor/stock_alert.html",
    "review_invite": "partials/visitor/review_invite.html",
    "review_byline": "partials/visitor/review_byline.html",
}

_MARKED = re.compile(
    r"<!--visitor-part:(?P<name>\w+)(?::(?P<pk>\d+))?-->.*?<!--/visitor-part-->", re.DOTALL
)


def part_mark(name: str, html: str, pk: int | None = None) -> str:
    """`html` (the part as rendered by its template, so already escaped)
    between its markers; `pk` is the object a product-page part is about."""
    if name not in PARTS:
        raise ValueError(f"unknown visitor part {name!r}; known: {sorted(PARTS)}")
    label = name if pk is None else f"{name}:{int(pk)}"
    return format_html("<!--visitor-part:{}-->{}<!--/visitor-part-->", label, html)


def part_render(context, name: str, pk: int | None = None) -> str:
    """Render part `name` in `context` for its visitor, marked; `pk` is the
    object a product-page part is about (given to its template as
    `part_pk`). What `{% visitor_part %}` prints, and what a kept page
    chrome (marketplace.pagecache.chrome) fills its part holes with."""
    pk = None if pk is None else int(pk)
    with context.push(part_pk=pk):
        html = context.template.engine.get_template(PARTS[name]).render(context)
    return part_mark(name, html, pk)


def parts_fill(html: str, request) -> str:
    """The shared page `html` with every marked part rendered for `request`'s
    visitor (each part once per object, however often it is marked). A part
    about an object gets only its id, as `part_pk`.

    All parts share one RequestContext, bound once: the context processors
    (the search form, Oscar's notifications, ...) run once per page rather
    than once per part."""
    rendered: dict[tuple, str] = {}
    if not _MARKED.search(html):
        return html
    context = RequestContext(request)
    engine = Engine.get_default()

    def fill(match: re.Match) -> str:
        name, pk = match["name"], match["pk"]
        key = (name, pk)
        if key not in rendered:
            rendered[key] = part_render(context, name, pk)
        return rendered[key]

    with context.bind_template(engine.from_string("")):
        return _MARKED.sub(fill, html)

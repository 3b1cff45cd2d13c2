"""Product cards, rendered once per product, language and catalogue version.

A card took about 1 ms of template (a sorl thumbnail lookup, the price
through the strategy, the add-to-basket form), 24 times a page, for every
visitor: pages for visitors with a basket or an account are never shared
whole. A card is the same for every visitor (the strategy prices
in VND, tax included, for everyone: marketplace/partner/strategy.py), so it
is cached as a fragment (`marketplace.pagecache.fragments`) keyed on the
product, the language and `catalogue_version()`, which changes with the day
in Vietnam and with every write to a table a card shows (database triggers).

**A cached card is a proof of listability.** A card is stored only when its
product came out of `Product.objects.listable(on)` for the very date the
version is keyed on (`listed_on`); the version's generation changes with
every write that could change the rule's answer (product, stock record,
certificate, producer, partner). So while a version is current, a card
under it means "the listing rule accepted this product under the data that
version stands for". That is why a listing page may show the cards of
OpenSearch's hits straight from the cache without reading the products
again: an index that is stale (a withdrawal not yet reindexed) can return
an id, but under the new generation that id has no card, so it is read
through `listable()` like before and refused. Only the ids whose cards are
missing are read, in one `listable().for_cards()` query batch.

A card that carries anything per visitor (a CSRF token in a POST form) is
rendered but never cached.
"""

from collections.abc import Iterable
from dataclasses import dataclass
from datetime import date

from django.template import Context
from django.template.context_processors import csrf
from django.template.loader import get_template
from django.utils.safestring import SafeString, mark_safe
from oscar.core.loading import get_model

from marketplace.ocop import dates as ocop_dates  # through the module, as tests move it
from marketplace.pagecache.fragments import fragments
from marketplace.pagecache.generation import catalogue_version

CARD_TEMPLATE = "oscar/catalogue/partials/product.html"
CARD_KIND = "card"

# What makes a rendered card private to one visitor (Django's CSRF field).
PER_VISITOR_MARKERS = ("csrfmiddlewaretoken",)


@dataclass(frozen=True)
class ProductCard:
    """One rendered card: what a listing's `products` holds. `pk` is the
    product's id (tests and templates compare ids, never read rows)."""

    pk: int
    html: SafeString

    def __html__(self) -> str:
        return self.html

    def __str__(self) -> str:
        return self.html


def request_version(request, on: date) -> str | None:
    """`catalogue_version(on)`, read once per request: a listing page keys
    its cards, category menu, facet labels and page results on it, and each
    read is a database round trip. Content rendered under the version read
    first is keyed under it, like the whole-page cache does."""
    if request is None:
        return catalogue_version(today=on)
    memo = request.__dict__.setdefault("_catalogue_versions", {})
    if on not in memo:
        memo[on] = catalogue_version(today=on)
    return memo[on]


def card_render(product, request) -> str:
    """One card's HTML, from the product alone: a fresh context holding the
    product and the request (for the strategy), not the page's, so a card
    can never pick up the page's or the visitor's variables. The CSRF token
    is there lazily for a card form that still asks for it, and makes that
    card uncacheable (`card_is_shared`)."""
    template = get_template(CARD_TEMPLATE).template
    context = Context({"product": product, "request": request, **csrf(request)})
    return template.render(context)


def card_is_shared(product, html: str, on: date) -> bool:
    """Whether this card may be stored for every visitor: its product passed
    the listing rule for `on` (see the module docstring) and the HTML holds
    nothing private."""
    if getattr(product, "listed_on", None) != on:
        return False
    return not any(marker in html for marker in PER_VISITOR_MARKERS)


def product_cards(items: Iterable, *, request, on: date | None = None) -> list[ProductCard]:
    """The cards for `items`, in their order.

    `items` may hold product ids (what OpenSearch returns), products (from a
    `listable()` query, as CMS blocks have) or cards already rendered. The
    version is read once for the page and the cache asked once. An id whose
    card is missing is read through `listable(on)`; one the rule refuses
    has no card and is left out.
    """
    on = on or ocop_dates.today_in_vietnam()
    items = list(items)
    ready: dict[int, ProductCard] = {}
    given: dict[int, object] = {}
    order: list[int] = []
    for item in items:
        if isinstance(item, ProductCard):
            ready[item.pk] = item
            order.append(item.pk)
        elif isinstance(item, int):
            order.append(item)
        else:
            given[item.pk] = item
            order.append(item.pk)
    wanted = list(dict.fromkeys(pk for pk in order if pk not in ready))
    private: dict[int, str] = {}

    def render_missing(missing: list[int]) -> dict[int, str]:
        products = {pk: given[pk] for pk in missing if pk in given}
        unread = [pk for pk in missing if pk not in given]
        if unread:
            Product = get_model("catalogue", "Product")
            products.update(
                (p.pk, p) for p in Product.objects.listable(on).filter(pk__in=unread).for_cards()
            )
        shared = {}
        for pk in missing:
            product = products.get(pk)
            if product is None:  # refused by the listing rule today
                continue
            html = card_render(product, request)
            if card_is_shared(product, html, on):
                shared[pk] = html
            else:
                private[pk] = html
        return shared

    html_by_pk = {}
    if wanted:
        version = request_version(request, on)
        html_by_pk = fragments(CARD_KIND, wanted, render_missing, version=version)
        html_by_pk.update(private)
    cards = []
    for pk in order:
        if pk in ready:
            cards.append(ready[pk])
        elif pk in html_by_pk:
            # rendered by the card template (autoescaped), here or from the cache
            cards.append(ProductCard(pk, mark_safe(html_by_pk[pk])))  # noqa: S308
    return cards

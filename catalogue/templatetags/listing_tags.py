"""The listing sidebar, cheap on every request.

`{% listing_categories as tree_categories %}`: the category links, read
once per catalogue version. Oscar's `category_tree` walks the tree on every
listing page (two queries and a few milliseconds); the links change only
when a category does, and writes to categories bump the catalogue version.

`{% facet_items group.items %}`: one facet's links. A listing shows about
80 of them, and the template loop that wrote them cost more than the whole
grid of cached cards.
"""

from django import template
from django.utils.formats import localize
from django.utils.html import format_html_join
from django.utils.safestring import mark_safe
from oscar.templatetags.category_tags import get_annotated_list

from catalogue.cards import request_version
from catalogue.listing import listing_status
from marketplace.ocop import dates as ocop_dates
from marketplace.pagecache.fragments import fragment

register = template.Library()


@register.simple_tag(takes_context=True)
def listing_categories(context, depth: int = 2) -> list[dict]:
    """The public categories down to `depth`, as {pk, name, url}."""

    def read() -> list[dict]:
        return [
            {"pk": info.pk, "name": info.name, "url": info["url"]}
            for info in get_annotated_list(depth=depth)
        ]

    version = request_version(context.get("request"), ocop_dates.today_in_vietnam())
    if version is None:
        return read()
    return fragment("category-menu", depth, read, version=version)


ACTIVE = mark_safe(' class="active" aria-current="true"')  # noqa: S308 (a constant)


@register.simple_tag
def facet_items(items: list[dict]) -> str:
    """`<li>` links for a facet's items ({url, label, count, active}), each
    value escaped."""
    return format_html_join(
        "\n",
        '<li><a href="{}" rel="nofollow"{}>{} <span class="facet-count">{}</span></a></li>',
        (
            (item["url"], ACTIVE if item["active"] else "", item["label"], localize(item["count"]))
            for item in items
        ),
    )


@register.simple_tag(takes_context=True)
def product_listing(context, product):
    """The listing rule's verdict for `product`: the view's, when it gave
    one (the product page), else asked now. Oscar's review pages extend the
    product page without its view, and read "not on sale" for want of it."""
    return context.get("listing") or listing_status(product)

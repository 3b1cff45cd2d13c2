"""`{% product_cards items %}`: a grid's cards from the fragment cache.

Every template that shows product cards uses this one tag, so every card on
the site is rendered once per product, language and catalogue version and
shared between pages and visitors (catalogue/cards.py says why that is
exact).
"""

from django import template
from django.utils.safestring import mark_safe

from catalogue.cards import product_cards as cards_for

register = template.Library()


@register.simple_tag(takes_context=True)
def product_cards(context, items):
    """The cards for `items` (products, product ids or rendered cards), in
    order, joined; ids the listing rule refuses today are left out."""
    if not items:
        return ""
    cards = cards_for(items, request=context.get("request"))
    return mark_safe("".join(card.html for card in cards))  # noqa: S308 (template output)

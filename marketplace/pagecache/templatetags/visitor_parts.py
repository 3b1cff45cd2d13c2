"""`{% visitor_part "name" [pk] %}`: render a per-visitor part of a shared
page in place, marked so that marketplace.pagecache.parts can render it
again for another visitor (see that module for what a part may read).

The product page's parts are about one object, given by id only (`part_pk`
in the part's template): the tags below find that object in the page's own
context when it is there (the page rendered by its view), and read it by
id otherwise (the part rendered into a stored page for another visitor).
"""

from django import template
from oscar.core.loading import get_class, get_model

from marketplace.pagecache import chrome, glance
from marketplace.pagecache.parts import part_render

register = template.Library()

Product = get_model("catalogue", "Product")
ProductAlert = get_model("customer", "ProductAlert")
ProductReview = get_model("reviews", "ProductReview")
WishList = get_model("wishlists", "WishList")
ProductAlertForm = get_class("customer.forms", "ProductAlertForm")


@register.simple_tag(takes_context=True)
def visitor_part(context, name: str, pk=None):
    if context.get(chrome.RENDERING):
        # filled in for each request's visitor (pagecache/chrome.py)
        return chrome.hole(f"part:{name}" if pk is None else f"part:{name}:{int(pk)}")
    return part_render(context, name, pk)


@register.simple_tag(takes_context=True)
def chrome_hole(context, name: str) -> str:
    """A per-request value in the page chrome ("search_text", "full_path"):
    the value, or its hole while the chrome renders to be kept."""
    if context.get(chrome.RENDERING):
        return chrome.hole(name)
    return chrome.request_value(name, context.get("request"))


@register.simple_tag(takes_context=True)
def page_chrome(context, template_name: str) -> str:
    """`{% include %}` for the site header and footer, rendered once per
    catalogue version, language and host (marketplace/pagecache/chrome.py)."""
    return chrome.chrome_render(context, template_name)


@register.simple_tag(takes_context=True)
def basket_glance(context) -> dict:
    """The header's basket count and total (marketplace/pagecache/glance.py)."""
    return glance.basket_glance(context.get("request"))


def _from_context(context, name: str, queryset, pk: int):
    found = context.get(name)
    if isinstance(found, queryset.model) and found.pk == pk:
        return found
    return queryset.get(pk=pk)


@register.simple_tag(takes_context=True)
def part_product(context, pk: int):
    """The product a product-page part is about."""
    return _from_context(context, "product", Product.objects.only("pk", "slug"), pk)


@register.simple_tag(takes_context=True)
def part_review(context, pk: int):
    """The review a review part is about."""
    return _from_context(context, "review", ProductReview.objects.select_related("product"), pk)


@register.simple_tag
def wishlists_for(user, product) -> tuple[list, list]:
    """The visitor's wish lists, and those holding `product` (what Oscar's
    add_to_wishlist partial shows)."""
    if not user.is_authenticated:
        return [], []
    lists = list(WishList.objects.filter(owner=user))
    holding = set(
        WishList.objects.filter(owner=user, lines__product=product).values_list("pk", flat=True)
    )
    return lists, [wishlist for wishlist in lists if wishlist.pk in holding]


@register.simple_tag
def stock_alert_for(user, product) -> dict:
    """Whether the visitor has an active stock alert for `product`, and the
    alert form Oscar's product view would give them."""
    active = (
        user.is_authenticated
        and ProductAlert.objects.filter(
            product=product, user=user, status=ProductAlert.ACTIVE
        ).exists()
    )
    return {"active": active, "form": ProductAlertForm(user=user, product=product)}

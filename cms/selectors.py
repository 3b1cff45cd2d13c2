"""Read-only queries the CMS pages use.

Every product a page shows comes through `Product.objects.listable()`, so a
product whose certificate expires drops off published pages by itself.
"""

from django.db.models import Count, OuterRef, Q, Subquery
from django.db.models.functions import Coalesce
from oscar.core.loading import get_model

Product = get_model("catalogue", "Product")


def featured_products(*, limit: int):
    """The newest listable products, for the home page."""
    return Product.objects.listable().for_cards().order_by("-date_created", "-pk")[:limit]


def block_products(
    *,
    chosen_ids: list[int],
    sector: str = "",
    min_stars: int | None = None,
    province: str = "",
    village=None,
    limit: int = 8,
) -> list:
    """A product block's products as of today: the chosen ones (in the
    editor's order) that are still listable, or else those matching the
    query, best-rated first."""
    listable = Product.objects.listable().for_cards()
    if chosen_ids:
        found = {p.pk: p for p in listable.filter(pk__in=chosen_ids)}
        return [found[pk] for pk in chosen_ids if pk in found][:limit]
    if sector:
        listable = listable.filter(certificate__sector=sector)
    if min_stars:
        listable = listable.filter(certificate__stars__gte=min_stars)
    if province:
        listable = listable.filter(certificate__producer__province__icontains=province)
    if village is not None:
        listable = listable.filter(certificate__producer__villages=village)
    return list(listable.order_by("-certificate__stars", "-date_created", "-pk")[:limit])


def block_producers(producer_ids: list[int]) -> list:
    """Active producers among `producer_ids`, in that order, each with
    `listed`: how many products it may sell today."""
    from marketplace.registry.models import Producer

    listed = (
        Product.objects.listable()
        .filter(certificate__producer=OuterRef("pk"))
        .order_by()
        .values("certificate__producer")
        .annotate(n=Count("pk"))
        .values("n")
    )
    found = {
        p.pk: p
        for p in Producer.objects.filter(pk__in=producer_ids, is_active=True).annotate(
            listed=Coalesce(Subquery(listed), 0)
        )
    }
    return [found[pk] for pk in producer_ids if pk in found]


def village_products(village, *, limit: int):
    """What the village's producers sell today."""
    return block_products(chosen_ids=[], village=village, limit=limit)


def headline_figures() -> dict:
    """Products on sale today, the producers selling them, and published villages."""
    from cms.pages.villages import CraftVillagePage

    figures = Product.objects.listable().aggregate(
        products=Count("pk"), producers=Count("certificate__producer", distinct=True)
    )
    figures["villages"] = CraftVillagePage.objects.live().count()
    return figures


def latest_stories(*, limit: int) -> list:
    """The most recently published fair, event and village pages."""
    from wagtail.models import Page

    from cms.pages.events import EventPage
    from cms.pages.fairs import FairPage
    from cms.pages.villages import CraftVillagePage

    return list(
        Page.objects.live()
        .type(FairPage, EventPage, CraftVillagePage)
        .filter(~Q(first_published_at=None))
        .order_by("-first_published_at")
        .specific()[:limit]
    )

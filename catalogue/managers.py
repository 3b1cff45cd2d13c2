"""Visibility rules for products, as chainable QuerySet methods.

`listable()` is the marketplace's one listing rule (design.md §2): every
surface that shows or sells a product asks it, and nothing else decides.
"""

from datetime import date

from django.db.models import Exists, OuterRef, Prefetch, Value
from oscar.apps.catalogue.managers import ProductQuerySet as OscarProductQuerySet
from oscar.core.loading import get_model

from marketplace.ocop import dates
from marketplace.ocop.models import MIN_CERTIFIED_STARS, certificate_valid_q

__all__ = ["MIN_CERTIFIED_STARS", "ProductQuerySet"]


# Fields a product card never reads (catalogue/cards.py), left out of its query.
CARD_UNUSED_FIELDS = (
    "description",
    "story",
    "search_text",
    "meta_description",
    "certificate__raw",
    "certificate__list_record",
    "certificate__producer__story",
    "certificate__producer__address_raw",
)


class ProductQuerySet(OscarProductQuerySet):
    """Oscar's product QuerySet plus the marketplace's visibility rules."""

    def shoppable(self):
        """Public, browsable products that have a stock record with a price."""
        StockRecord = get_model("partner", "StockRecord")
        priced = StockRecord.objects.filter(product=OuterRef("pk"), price__isnull=False)
        return self.browsable().filter(is_public=True).filter(Exists(priced))

    def for_cards(self):
        """Everything a product card reads (class, images, certificate,
        producer, stock records with their partner), so a grid of cards
        costs three queries.

        Oscar's `base_queryset` also prefetches children and both option
        lists: a card reads none of them (options through the annotations
        `has_options` prefers, a parent's children through `.public()`,
        which a prefetch cannot answer), and they were three of the seven
        queries a search page ran for the cards it had to render."""
        StockRecord = get_model("partner", "StockRecord")
        return (
            self.base_queryset()
            .prefetch_related(None)
            .select_related("certificate__producer")
            .prefetch_related(
                "images",
                Prefetch("stockrecords", queryset=StockRecord.objects.select_related("partner")),
            )
            # long texts and the registry's raw JSON, which a card never
            # shows: read and JSON-decoded for every card, they were about a
            # tenth of a cold grid's read
            .defer(*CARD_UNUSED_FIELDS)
        )

    def of_producer(self, producer):
        """Products sold under this producer's certificates, listable or not:
        what the producer's workspace shows and may edit."""
        return self.filter(certificate__producer=producer)

    def beside(self, product, *, limit: int = 4):
        """Up to `limit` ids of other products from `product`'s producer, for
        its page's "more from this producer" (ask `listable()` first)."""
        return list(
            self.filter(certificate__producer_id=product.certificate.producer_id)
            .exclude(pk=product.pk)
            .order_by("-pk")
            .values_list("pk", flat=True)[:limit]
        )

    def related_to(self, product, *, limit: int = 4):
        """Up to `limit` ids of products in `product`'s sector from other
        producers, newest first, for its page's "related products" (ask
        `listable()` first). Walks the primary key, so it stops at the
        first few matches rather than sorting the sector."""
        return list(
            self.filter(certificate__sector=product.certificate.sector)
            .exclude(certificate__producer_id=product.certificate.producer_id)
            .order_by("-pk")
            .values_list("pk", flat=True)[:limit]
        )

    def listable(self, on: date | None = None):
        """Products a consumer may see and buy on `on` (default: today in Vietnam).

        Certificate valid with 3★ or more, `issued_on <= on <= expiry_date`,
        producer active, and the product shoppable. Rows carry `listed_on`,
        so the strategy need not ask again for a product fetched here.
        """
        on = on or dates.today_in_vietnam()
        return (
            self.shoppable()
            .filter(certificate_valid_q(on, prefix="certificate__"))
            .filter(certificate__producer__is_active=True)
            .annotate(listed_on=Value(on))
        )

"""Catalogue models: Oscar's, with each product tied to its OCOP certificate.

Declared before the star import so Oscar uses our Product (design.md §8).
"""

from django.db import models
from django.utils.translation import gettext_lazy as _
from oscar.apps.catalogue.abstract_models import AbstractProduct
from oscar.core.loading import get_model

from catalogue.managers import ProductQuerySet


class Product(AbstractProduct):
    """An Oscar product that sells exactly one OCOP-certified product.

    The certificate, and through it the certified name, stars and group,
    belong to the registry: its sync decides when a certificate needs a
    product or a new title, and `catalogue.services` writes it. The listing
    rule lives in `ProductQuerySet.listable()`.
    """

    certificate = models.OneToOneField(
        "ocop.Certificate",
        verbose_name=_("chứng nhận OCOP"),
        on_delete=models.PROTECT,
        related_name="product",
        null=True,
        blank=True,
    )

    # Producer-owned (edited in the producer workspace, never by the sync):
    # the registry's story seeds `story` when the product is created.
    story = models.TextField(_("câu chuyện sản phẩm"), blank=True)
    weight_grams = models.PositiveIntegerField(
        _("khối lượng (gam)"),
        null=True,
        blank=True,
        help_text=_("Khối lượng một đơn vị, kể cả bao bì."),
    )

    # Folded title, producer and description for the database search backend
    # (written by the services that write products; see marketplace/ocop/text.py).
    search_text = models.TextField(_("văn bản tìm kiếm"), blank=True, editable=False)

    objects = ProductQuerySet.as_manager()

    def is_review_permitted(self, user) -> bool:
        """Only a buyer may review: a signed-in customer with a delivered
        parcel holding this product, once. Oscar lets anyone review, guests
        too when OSCAR_ALLOW_ANON_REVIEWS is on, with no purchase.
        Reviews are then moderated (OSCAR_MODERATE_REVIEWS)."""
        if not user.is_authenticated or self.has_review_by(user):
            return False
        Line = get_model("order", "Line")
        Parcel = get_model("order", "Parcel")
        delivered = Parcel.objects.delivered().filter(
            order=models.OuterRef("order"),
            producer=models.OuterRef("partner__producer"),
        )
        return (
            Line.objects.filter(product=self, order__user=user)
            .filter(models.Exists(delivered))
            .exists()
        )


from oscar.apps.catalogue.models import *  # noqa: E402,F403

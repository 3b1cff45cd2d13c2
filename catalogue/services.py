"""Writes to the catalogue that other rooms ask for: the products that sell
OCOP certificates, and their pictures.

The registry's sync decides *which* certificate needs a product, a new title
or another seller; this module decides *how* that is written to Oscar's
tables (Product, StockRecord, ProductClass, Category, ProductImage). So the
catalogue's own rules stay in the room that owns those tables: one product
and one stock record per certificate, the registry's product class and
sector category, a `search_text` kept in step with the title. The writes
work in bulk because a first national sync creates thousands of products.
"""

import logging
from collections.abc import Iterable, Mapping, Sequence
from dataclasses import dataclass

from django.core.files.base import ContentFile
from django.core.files.storage import default_storage
from oscar.core.loading import get_model
from oscar.core.utils import slugify as oscar_slugify

from catalogue.search_text import product_search_text, search_text_refresh
from marketplace.ocop.models import Certificate, Producer, ProductType, Sector

logger = logging.getLogger(__name__)

Product = get_model("catalogue", "Product")
ProductClass = get_model("catalogue", "ProductClass")
Category = get_model("catalogue", "Category")
ProductCategory = get_model("catalogue", "ProductCategory")
ProductImage = get_model("catalogue", "ProductImage")
StockRecord = get_model("partner", "StockRecord")

OCOP_GOODS_CLASS = ("san-pham-ocop", "Sản phẩm OCOP")
OCOP_SERVICE_CLASS = ("dich-vu-du-lich-ocop", "Dịch vụ du lịch OCOP")


class ProductShelves:
    """Where new certificate products go: a product class (goods, or tourism
    services that ship nothing) and the sector's top-level category.

    Each is found or made once and then remembered, so a sync that creates
    products batch after batch asks the database once, not once a batch.
    """

    def __init__(self) -> None:
        self._classes: dict[bool, object] = {}
        self._categories: dict[str, object] = {}

    def product_class(self, *, is_service: bool):
        if is_service not in self._classes:
            slug, name = OCOP_SERVICE_CLASS if is_service else OCOP_GOODS_CLASS
            self._classes[is_service], _ = ProductClass.objects.get_or_create(
                slug=slug,
                defaults={"name": name, "requires_shipping": not is_service, "track_stock": True},
            )
        return self._classes[is_service]

    def category(self, *, sector: str):
        if sector not in self._categories:
            name = str(Sector(sector).label)
            existing = Category.objects.filter(name=name, depth=1).first()
            self._categories[sector] = existing or Category.add_root(
                name=name, slug=oscar_slugify(name)
            )
        return self._categories[sector]


@dataclass(frozen=True)
class ProductForCertificate:
    """A new certificate and the registry's texts its product starts with.
    The certificate gives the title, class, category and seller; the texts
    are the producer's to edit afterwards, so they are not on it."""

    certificate: Certificate
    description: str = ""
    story: str = ""


def products_for_certificates_create(
    *, products: Sequence[ProductForCertificate], shelves: ProductShelves | None = None
) -> list:
    """Create one product, stock record and category link per new
    certificate, in three bulk inserts (a first sync creates thousands).

    Title, class and category are registry-owned; price and stock are the
    producer's, so a product starts without a price and is not listable
    until its producer sets one. Each certificate's producer must be loaded:
    its partner sells the product and its name goes into the search text.
    """
    shelves = shelves or ProductShelves()
    created = [
        Product(
            title=item.certificate.name,
            slug=oscar_slugify(item.certificate.name)[:128]
            or f"ocop-{item.certificate.registry_id}",
            description=item.description,
            story=item.story,
            search_text=product_search_text(
                title=item.certificate.name,
                producer=item.certificate.producer.name,
                description=item.description,
            ),
            structure=Product.STANDALONE,
            product_class=shelves.product_class(
                is_service=item.certificate.product_type == ProductType.TRAVEL
            ),
            is_public=True,
            certificate=item.certificate,
        )
        for item in products
    ]
    Product.objects.bulk_create(created)
    StockRecord.objects.bulk_create(
        [
            StockRecord(
                product=product,
                partner_id=item.certificate.producer.partner_id,
                partner_sku=f"OCOP-{item.certificate.registry_id}",
                price_currency="VND",
                price=None,
                num_in_stock=0,
            )
            for product, item in zip(created, products, strict=True)
        ]
    )
    ProductCategory.objects.bulk_create(
        [
            ProductCategory(
                product=product, category=shelves.category(sector=item.certificate.sector)
            )
            for product, item in zip(created, products, strict=True)
        ]
    )
    return created


def product_rename(*, certificate: Certificate) -> None:
    """The certified name is the product's title: when the registry renames
    a certificate, the shop's title (and its search text) follows."""
    products = Product.objects.filter(certificate=certificate)
    products.update(title=certificate.name)
    search_text_refresh(products)


def products_reassign(*, certificates: Iterable[Certificate], producer: Producer) -> None:
    """The products of these certificates are now sold by `producer`: their
    stock records move to its partner (the price and stock stay)."""
    StockRecord.objects.filter(product__certificate__in=list(certificates)).update(
        partner_id=producer.partner_id
    )


def product_image_prepare(
    *, product, display_order: int, caption: str, filename: str, content: bytes
):
    """An unsaved picture of `product` whose file is already in storage.

    The file is written before, and outside, the transaction that saves the
    row (`product_image_save`), so a slow disk holds no row locks; whoever
    prepares it deletes the file again if the row is never saved."""
    picture = ProductImage(product=product, display_order=display_order, caption=caption[:200])
    picture.original.save(filename, ContentFile(content), save=False)
    return picture


def product_image_save(*, image) -> None:
    """Store a prepared picture's row."""
    image.save()


def product_images_reorder(*, display_orders: Mapping[int, int]) -> None:
    """Give pictures (by pk) a new display order in one bulk update, as
    when a record lists its photos in another order."""
    images = ProductImage.objects.in_bulk(list(display_orders))
    for pk, image in images.items():
        image.display_order = display_orders[pk]
    ProductImage.objects.bulk_update(list(images.values()), ["display_order"])


def product_image_delete(*, image_id: int) -> None:
    """Delete a picture's row; Oscar's receiver deletes its thumbnails. The
    original file is removed with `product_image_file_delete` once the
    deletion has committed."""
    ProductImage.objects.filter(pk=image_id).delete()


def product_image_file_delete(*, name: str) -> None:
    """Remove a picture's file from storage. A file left behind costs disk,
    not correctness, so a failure is logged and never raised."""
    try:
        default_storage.delete(name)
    except Exception:
        logger.exception("could not delete photo file %s", name)

"""The catalogue's writes for certified products: what a new certificate's
product is made of, and how a rename or a new seller reaches it."""

from datetime import date, timedelta
from decimal import Decimal

import pytest
from django.core.files.storage import default_storage
from oscar.core.loading import get_model

from catalogue.services import (
    ProductForCertificate,
    ProductShelves,
    product_image_prepare,
    product_image_save,
    product_images_reorder,
    product_rename,
    products_for_certificates_create,
    products_reassign,
)
from marketplace.ocop.models import Certificate, expiry_from_issue
from tests.factories import certified_product_create, producer_create

Product = get_model("catalogue", "Product")
ProductImage = get_model("catalogue", "ProductImage")
StockRecord = get_model("partner", "StockRecord")

pytestmark = pytest.mark.django_db

_ids = iter(range(900_000, 999_999))


def certificate_create(*, name="Trà sen Tây Hồ", product_type="drink", sector="beverage", **kw):
    """A certificate without a product yet, as the sync has just stored it."""
    issued = date.today() - timedelta(days=30)
    registry_id = next(_ids)
    return Certificate.objects.create(
        registry_id=registry_id,
        number=f"{registry_id}/QĐ-UBND",
        name=name,
        producer=kw.pop("producer", None) or producer_create("HTX Sen Tây Hồ"),
        stars=4,
        issued_on=issued,
        expiry_date=expiry_from_issue(issued),
        product_type=product_type,
        sector=sector,
        raw={},
        **kw,
    )


def test_a_new_certificate_gets_a_product_stock_record_class_and_sector_category():
    # given a certificate the sync has just stored
    cert = certificate_create()
    # when the catalogue creates its product
    (product,) = products_for_certificates_create(
        products=[ProductForCertificate(certificate=cert, description="Trà ướp sen", story="Xưa")]
    )
    # then the product carries the certified name and the registry's texts
    product = Product.objects.get(certificate=cert)
    assert (product.title, product.description, product.story) == (
        "Trà sen Tây Hồ",
        "Trà ướp sen",
        "Xưa",
    )
    assert product.is_public and product.slug == "tra-sen-tay-ho"
    assert product.search_text == "tra sen tay ho htx sen tay ho tra uop sen"
    # and is sold by the producer's partner, with no price until the producer sets one
    record = StockRecord.objects.get(product=product)
    assert record.partner == cert.producer.partner
    assert (record.partner_sku, record.price, record.num_in_stock) == (
        f"OCOP-{cert.registry_id}",
        None,
        0,
    )
    # and sits in the goods class and its sector's top-level category
    assert (product.product_class.slug, product.product_class.requires_shipping) == (
        "san-pham-ocop",
        True,
    )
    (category,) = product.categories.all()
    assert (category.name, category.depth) == ("Đồ uống", 1)


def test_a_tourism_certificate_gets_the_service_class_that_ships_nothing():
    cert = certificate_create(name="Du lịch làng gốm", product_type="travel", sector="tourism")
    (product,) = products_for_certificates_create(products=[ProductForCertificate(cert)])
    product_class = Product.objects.get(pk=product.pk).product_class
    assert (product_class.slug, product_class.requires_shipping) == (
        "dich-vu-du-lich-ocop",
        False,
    )


def test_shelves_find_each_class_and_category_once(django_assert_num_queries):
    # given shelves that have placed one batch already
    shelves = ProductShelves()
    first = certificate_create()
    products_for_certificates_create(products=[ProductForCertificate(first)], shelves=shelves)
    second = certificate_create(name="Trà sen Quảng An", producer=first.producer)
    # when the next batch of the same class and sector comes, only its
    # product, stock record and category link are inserted
    with django_assert_num_queries(3):
        products_for_certificates_create(products=[ProductForCertificate(second)], shelves=shelves)
    # and both products share one class and one category
    products = Product.objects.filter(certificate__in=[first, second])
    assert products.values("product_class").distinct().count() == 1
    assert products.values("categories").distinct().count() == 1


def test_a_renamed_certificate_renames_its_product_and_its_search_text():
    product = certified_product_create(title="Gốm sứ cũ")
    cert = product.certificate
    cert.name = "Bình gốm men lam"
    cert.save()
    product_rename(certificate=cert)
    product.refresh_from_db()
    assert product.title == "Bình gốm men lam"
    assert product.search_text.startswith("binh gom men lam ")


def test_reassigned_products_are_sold_by_the_new_producer_at_the_same_price():
    product = certified_product_create(price=Decimal("90000"))
    other = producer_create("HTX Khác")
    products_reassign(certificates=[product.certificate], producer=other)
    record = StockRecord.objects.get(product=product)
    assert (record.partner, record.price) == (other.partner, Decimal("90000"))


def test_a_prepared_picture_is_stored_and_can_be_reordered(tmp_path, settings):
    settings.MEDIA_ROOT = str(tmp_path)
    product = certified_product_create()
    picture = product_image_prepare(
        product=product, display_order=0, caption="x" * 300, filename="a.jpg", content=b"jpeg"
    )
    # the file is in storage before the row is saved
    assert picture.pk is None and default_storage.exists(picture.original.name)
    product_image_save(image=picture)
    product_images_reorder(display_orders={picture.pk: 3})
    stored = ProductImage.objects.get(product=product)
    assert (stored.display_order, len(stored.caption)) == (3, 200)

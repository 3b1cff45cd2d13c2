"""The one listing rule at its edges: Product.objects.listable(on=date)."""

from datetime import UTC, date, datetime, timedelta
from unittest import mock

import pytest
from oscar.core.loading import get_model

from marketplace.ocop.dates import today_in_vietnam
from tests.factories import certified_product_create

Product = get_model("catalogue", "Product")

pytestmark = pytest.mark.django_db


def _listable(product, on):
    return Product.objects.listable(on).filter(pk=product.pk).exists()


def test_listable_on_its_expiry_day_and_not_the_day_after():
    expiry = date(2027, 3, 31)
    product = certified_product_create(issued_on=date(2024, 3, 31), expiry_date=expiry)
    assert _listable(product, expiry)
    assert not _listable(product, expiry + timedelta(days=1))


def test_not_listable_before_the_decision_date():
    product = certified_product_create(issued_on=date(2026, 6, 1))
    assert not _listable(product, date(2026, 5, 31))
    assert _listable(product, date(2026, 6, 1))


@pytest.mark.parametrize("stars", [1, 2])
def test_below_three_stars_is_never_listable(stars):
    product = certified_product_create(stars=stars)
    assert not _listable(product, date.today())


def test_three_to_five_stars_are_listable():
    for stars in (3, 4, 5):
        assert _listable(certified_product_create(stars=stars), date.today())


@pytest.mark.parametrize("status", ["withdrawn", "suspended"])
def test_withdrawn_or_suspended_is_not_listable(status):
    assert not _listable(certified_product_create(status=status), date.today())


def test_deactivated_producer_delists_all_its_products():
    first = certified_product_create()
    producer = first.certificate.producer
    second = certified_product_create(producer=producer, title="Bình gốm")
    producer.is_active = False
    producer.save()
    assert not _listable(first, date.today()) and not _listable(second, date.today())


def test_product_without_a_price_is_not_listable():
    assert not _listable(certified_product_create(price=None), date.today())


def test_product_without_a_certificate_is_not_listable():
    product = certified_product_create()
    product.certificate = None
    product.save()
    assert not _listable(product, date.today())


def test_private_product_is_not_listable():
    product = certified_product_create()
    product.is_public = False
    product.save()
    assert not _listable(product, date.today())


def test_expiry_takes_effect_at_midnight_in_vietnam():
    # given a certificate expiring on 2026-11-28
    product = certified_product_create(issued_on=date(2023, 11, 28), expiry_date=date(2026, 11, 28))
    # when it is 23:30 UTC on the 28th, which is 06:30 on the 29th in Hà Nội
    late_utc = datetime(2026, 11, 28, 23, 30, tzinfo=UTC)
    with mock.patch("django.utils.timezone.now", return_value=late_utc):
        today = today_in_vietnam()
        listed = Product.objects.listable().filter(pk=product.pk).exists()
    # then it is already the day after expiry and the product is gone
    assert today == date(2026, 11, 29)
    assert not listed

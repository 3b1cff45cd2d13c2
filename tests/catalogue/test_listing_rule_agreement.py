"""Property: the queryset, the strategy and the product page always agree."""

from datetime import timedelta
from decimal import Decimal

import pytest
from django.test import Client
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st
from oscar.core.loading import get_class, get_model

from marketplace.ocop.dates import today_in_vietnam
from tests.factories import certified_product_create

Product = get_model("catalogue", "Product")
Selector = get_class("partner.strategy", "Selector")

pytestmark = pytest.mark.django_db


@settings(
    max_examples=40,
    deadline=None,
    suppress_health_check=[HealthCheck.function_scoped_fixture, HealthCheck.too_slow],
)
@given(
    issued_offset=st.integers(min_value=-1500, max_value=30),
    validity_days=st.integers(min_value=0, max_value=1200),
    stars=st.integers(min_value=1, max_value=5),
    status=st.sampled_from(["valid", "valid", "valid", "withdrawn", "suspended"]),
    producer_active=st.booleans(),
    has_price=st.booleans(),
)
def test_queryset_strategy_and_page_agree(
    db, issued_offset, validity_days, stars, status, producer_active, has_price
):
    # given a product with random certificate dates, status and stars
    today = today_in_vietnam()
    issued = today + timedelta(days=issued_offset)
    product = certified_product_create(
        stars=stars,
        status=status,
        issued_on=issued,
        expiry_date=issued + timedelta(days=validity_days),
        price=Decimal("99000") if has_price else None,
    )
    producer = product.certificate.producer
    producer.is_active = producer_active
    producer.save()
    # when each surface is asked
    in_queryset = Product.objects.listable(today).filter(pk=product.pk).exists()
    fresh = Product.objects.get(pk=product.pk)
    info = Selector().strategy().fetch_for_product(fresh)
    response = Client().get(fresh.get_absolute_url())
    buy_button = f"/shop/basket/add/{product.pk}/" in response.content.decode()
    # then they agree
    assert info.availability.is_available_to_buy == in_queryset
    assert buy_button == in_queryset
    assert response.status_code == (404 if stars < 3 else 200)
    # and the rule itself is what design.md §2 says
    expected = (
        status == "valid"
        and stars >= 3
        and issued <= today <= issued + timedelta(days=validity_days)
        and producer_active
        and has_price
    )
    assert in_queryset == expected

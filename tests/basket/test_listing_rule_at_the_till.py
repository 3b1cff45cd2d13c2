"""Baskets and checkout refuse products the listing rule refuses."""

from datetime import date, datetime, timedelta
from unittest import mock

import pytest
from django.utils import timezone
from oscar.core.loading import get_model

from tests.factories import certified_product_create

Basket = get_model("basket", "Basket")

pytestmark = pytest.mark.django_db


def _tomorrow_noon():
    tomorrow = timezone.localdate() + timedelta(days=1)
    return timezone.make_aware(datetime.combine(tomorrow, datetime.min.time()).replace(hour=12))


def test_basket_refuses_an_expired_product(client):
    # given a product whose certificate expired yesterday
    product = certified_product_create(
        issued_on=date.today() - timedelta(days=1100), expiry_date=date.today() - timedelta(days=1)
    )
    # when a shopper tries to add it
    response = client.post(f"/shop/basket/add/{product.pk}/", {"quantity": 1}, follow=True)
    # then it is refused with the reason, and the basket stays empty
    html = response.content.decode()
    assert "hết hạn" in html
    assert Basket.objects.filter(lines__product=product).count() == 0


def test_checkout_refuses_a_line_added_while_it_was_valid(client):
    # given a product whose certificate expires today, added to the basket today
    product = certified_product_create(
        issued_on=date.today() - timedelta(days=1000), expiry_date=date.today()
    )
    client.post(f"/shop/basket/add/{product.pk}/", {"quantity": 1})
    assert Basket.objects.filter(lines__product=product).exists()
    # when the shopper goes to checkout tomorrow
    with mock.patch("django.utils.timezone.now", return_value=_tomorrow_noon()):
        response = client.get("/shop/checkout/", follow=True)
    # then checkout sends them back to the basket with the reason
    html = response.content.decode()
    assert response.redirect_chain and response.redirect_chain[-1][0].endswith("/shop/basket/")
    assert "hết hạn" in html


def test_withdrawn_product_page_has_no_buy_button_and_says_why(client):
    product = certified_product_create(status="withdrawn")
    response = client.get(product.get_absolute_url())
    html = response.content.decode()
    assert response.status_code == 200
    assert 'data-testid="not-listable"' in html and "thu hồi" in html
    assert f"/shop/basket/add/{product.pk}/" not in html


def test_two_star_product_page_is_not_found(client):
    product = certified_product_create(stars=2)
    assert client.get(product.get_absolute_url()).status_code == 404

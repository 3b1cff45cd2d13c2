"""A review sent back with an error shows the form again, not a 500 (found
by the public-URL fuzz test: Oscar's template rounds the raw posted score)."""

import pytest
from django.test import Client
from django.urls import reverse

from tests.factories import buyer_with_delivery_create, certified_product_create

pytestmark = pytest.mark.django_db


@pytest.mark.parametrize("score", ["3", "²", "x" * 300])
def test_a_review_with_a_score_but_no_title_shows_the_form_again(score):
    # given a listed product
    product = certified_product_create(title="Gốm sứ Bát Tràng")
    url = reverse(
        "catalogue:reviews-add", kwargs={"product_slug": product.slug, "product_pk": product.pk}
    )
    # when a buyer (only they may review) sends a score but leaves the title empty
    client = Client(raise_request_exception=False)
    buyer_with_delivery_create(client, product)
    response = client.post(url, {"score": score, "title": "", "body": "Đẹp"})
    # then the form comes back with its error
    assert response.status_code == 200
    assert 'id="add_review_form"' in response.content.decode()

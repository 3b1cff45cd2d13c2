"""Reviews come from buyers only and are moderated (issue 15, finding 4:
any guest's review was published at once, with no purchase; the review
page said "not on sale" of a product on sale; the score was labelled
"Điểm tích lũy", loyalty points)."""

import pytest
from django.test import Client
from django.urls import reverse
from oscar.core.loading import get_model

from tests.factories import buyer_with_delivery_create, certified_product_create

ProductReview = get_model("reviews", "ProductReview")

pytestmark = pytest.mark.django_db

REVIEW = {"score": "5", "title": "Rất đẹp", "body": "Men lam đều, đóng gói cẩn thận."}


@pytest.fixture
def product():
    return certified_product_create(title="Bình gốm men lam")


def _add_url(product) -> str:
    return reverse(
        "catalogue:reviews-add", kwargs={"product_slug": product.slug, "product_pk": product.pk}
    )


def test_a_guest_cannot_review(product):
    response = Client().post(_add_url(product), {**REVIEW, "name": "Lan", "email": "lan@b.vn"})
    assert response.status_code == 302 and not ProductReview.objects.exists()


def test_a_customer_who_did_not_receive_the_product_cannot_review(product, django_user_model):
    client = Client()
    client.force_login(django_user_model.objects.create_user("x@b.vn", "x@b.vn", "pw-12345678"))
    assert client.post(_add_url(product), REVIEW).status_code == 302
    assert not ProductReview.objects.exists()


def test_a_buyer_with_a_delivered_parcel_reviews_and_it_waits_for_moderation(client, product):
    buyer_with_delivery_create(client, product)
    page = client.get(_add_url(product)).content.decode()
    assert 'id="add_review_form"' in page and "Điểm đánh giá" in page
    assert "Điểm tích lũy" not in page and "Sản phẩm hiện không được bán" not in page
    client.post(_add_url(product), REVIEW)
    review = ProductReview.objects.get()
    assert review.status == ProductReview.FOR_MODERATION
    # not shown until an operator approves it
    assert "Rất đẹp" not in client.get(product.get_absolute_url()).content.decode()
    # and only once
    assert client.post(_add_url(product), REVIEW).status_code == 302
    assert ProductReview.objects.count() == 1

"""Two producers, each with a member, a product with a photo, and one order
that mixes both: the world every workspace test starts from."""

import io
from dataclasses import dataclass
from decimal import Decimal

import pytest
from django.contrib.auth import get_user_model
from django.core.files.uploadedfile import SimpleUploadedFile
from oscar.core.loading import get_model
from PIL import Image

from marketplace.order.services import order_place
from marketplace.producers.models import ProducerMembership
from tests.factories import certified_product_create, producer_create
from tests.order.conftest import basket_with

ProductImage = get_model("catalogue", "ProductImage")


def png_upload(name: str = "anh.png", size=(40, 30)) -> SimpleUploadedFile:
    buffer = io.BytesIO()
    Image.new("RGB", size, (200, 80, 40)).save(buffer, format="PNG")
    return SimpleUploadedFile(name, buffer.getvalue(), content_type="image/png")


def member_create(producer, username: str):
    user = get_user_model().objects.create_user(
        username=username, email=f"{username}@example.vn", password="mat-khau-123"
    )
    ProducerMembership.objects.create(user=user, producer=producer)
    return user


@dataclass
class Side:
    producer: object
    user: object
    product: object
    image: object
    parcel: object = None


@pytest.fixture
def two_sides(db, hanoi_delivery):
    """Producer A and producer B, and order 1 buying from both."""
    sides = []
    for letter, title, price in (
        ("a", "Bình gốm men lam", "150000"),
        ("b", "Lụa Vạn Phúc", "420000"),
    ):
        producer = producer_create(f"Chủ thể {letter.upper()}")
        product = certified_product_create(
            title=title, producer=producer, price=Decimal(price), num_in_stock=20
        )
        image = ProductImage.objects.create(product=product, original=png_upload(f"{letter}.png"))
        sides.append(Side(producer, member_create(producer, f"member-{letter}"), product, image))
    a, b = sides
    basket = basket_with((a.product, 2), (b.product, 1))
    order = order_place(basket=basket, delivery=hanoi_delivery, email="khach@example.vn")
    a.parcel = order.parcels.get(producer=a.producer)
    b.parcel = order.parcels.get(producer=b.producer)
    return a, b

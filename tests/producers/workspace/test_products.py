"""Producers edit their own products: price, stock, words, weight, photos.
Registry-owned fields stay the registry's."""

from datetime import date, timedelta
from decimal import Decimal

import pytest
from django.urls import reverse
from oscar.core.loading import get_model

from marketplace.producers.models import WorkspaceChange
from search.backends.base import SearchRequest
from search.backends.opensearch import OpenSearchBackend
from search.indexing import ALIAS, index_rebuild
from tests.factories import certified_product_create
from tests.producers.workspace.conftest import member_create, png_upload

Product = get_model("catalogue", "Product")
StockRecord = get_model("partner", "StockRecord")

pytestmark = pytest.mark.django_db


def _form(product, **changes):
    stock = product.stockrecords.get()
    data = {
        "description": product.description,
        "story": product.story,
        "weight_grams": product.weight_grams or "",
        "price": stock.price or "",
        "num_in_stock": stock.num_in_stock,
    }
    data.update(changes)
    return data


def test_a_producer_sees_only_their_products_with_certificate_standing(two_sides, client):
    a, b = two_sides
    certified_product_create(
        title="Chén gốm sắp hết hạn",
        producer=a.producer,
        issued_on=date.today() - timedelta(days=1000),
        expiry_date=date.today() + timedelta(days=20),
    )
    client.force_login(a.user)
    html = client.get(reverse("workspace:product-list")).content.decode()
    assert a.product.title in html and "Chén gốm sắp hết hạn" in html
    assert b.product.title not in html
    assert "Hết hạn trong 20 ngày" in html


def test_a_price_stock_and_story_edit_reaches_the_product_page_and_search(
    two_sides, client, os_client, django_capture_on_commit_callbacks
):
    a, _b = two_sides
    index_rebuild(client=os_client)
    client.force_login(a.user)
    with django_capture_on_commit_callbacks(execute=True):
        response = client.post(
            reverse("workspace:product-edit", args=[a.product.pk]),
            _form(
                a.product,
                price="199000",
                num_in_stock="7",
                story="Men lam vẽ tay theo lối cổ",
                description="Bình gốm vẽ sen hồ Tây",
                weight_grams="850",
            ),
        )
    assert response.status_code == 302
    stock = a.product.stockrecords.get()
    assert (stock.price, stock.num_in_stock) == (Decimal("199000"), 7)
    page = client.get(a.product.get_absolute_url()).content.decode()
    assert "199.000" in page and "Men lam vẽ tay theo lối cổ" in page and "850 g" in page
    os_client.indices.refresh(index=ALIAS)
    found = OpenSearchBackend(os_client).search(SearchRequest(on=date.today(), text="sen ho tay"))
    assert found.ids == [a.product.pk]
    assert os_client.get(index=ALIAS, id=a.product.pk)["_source"]["price"] == 199000.0
    change = WorkspaceChange.objects.get()
    assert change.actor == a.user and not change.by_support
    assert change.changes["price"] == ["150000", "199000"]
    assert change.changes["num_in_stock"][1] == 7


def test_a_crafted_post_cannot_touch_registry_owned_fields(two_sides, client):
    a, b = two_sides
    certificate_id, title = a.product.certificate_id, a.product.title
    client.force_login(a.user)
    client.post(
        reverse("workspace:product-edit", args=[a.product.pk]),
        _form(
            a.product,
            title="Tên tự đặt",
            certificate=b.product.certificate_id,
            stars="5",
            is_public="false",
            partner=b.producer.partner_id,
            stockrecord=b.product.stockrecords.get().pk,
            price="160000",
        ),
    )
    a.product.refresh_from_db()
    assert (a.product.title, a.product.certificate_id, a.product.is_public) == (
        title,
        certificate_id,
        True,
    )
    assert a.product.certificate.stars == 4
    assert a.product.stockrecords.get().price == Decimal("160000")  # the allowed part applied
    assert b.product.stockrecords.get().price == Decimal("420000")


@pytest.mark.parametrize(
    "changes, error",
    [
        ({"price": "500"}, "1000"),
        ({"num_in_stock": "-1"}, "0"),
        ({"price": "150000.5"}, "không có phần lẻ"),
        ({"num_in_stock": "1"}, "Đang có 2 sản phẩm giữ cho đơn"),
    ],
    ids=[
        "price under 1.000 đ",
        "negative stock",
        "a fraction of a đồng",
        "stock under what orders hold",
    ],
)
def test_bad_values_are_refused_and_nothing_changes(two_sides, client, changes, error):
    a, _b = two_sides  # the order holds 2 of A's product
    client.force_login(a.user)
    response = client.post(
        reverse("workspace:product-edit", args=[a.product.pk]), _form(a.product, **changes)
    )
    assert response.status_code == 200
    assert error in response.content.decode()
    stock = a.product.stockrecords.get()
    assert (stock.price, stock.num_in_stock) == (Decimal("150000"), 20)
    assert not WorkspaceChange.objects.exists()


def test_a_photo_is_added(two_sides, client):
    a, _b = two_sides
    client.force_login(a.user)
    response = client.post(
        reverse("workspace:image-add", args=[a.product.pk]), {"image": png_upload("moi.png")}
    )
    assert response.status_code == 302
    assert a.product.images.count() == 2
    assert WorkspaceChange.objects.get().changes["image_added"][0] is None


@pytest.mark.parametrize(
    "upload, error",
    [
        ("not-an-image", "không phải ảnh"),
        ("too-large", "Ảnh quá lớn"),
        ("nothing", "Hãy chọn một ảnh"),
    ],
)
def test_a_broken_upload_gets_a_clear_error_and_keeps_the_old_photos(
    two_sides, client, settings, upload, error
):
    from django.core.files.uploadedfile import SimpleUploadedFile

    a, _b = two_sides
    settings.PRODUCT_IMAGE_MAX_BYTES = 500
    files = {
        "not-an-image": {
            "image": SimpleUploadedFile("anh.png", b"%PDF-1.4 not a png", "image/png")
        },
        "too-large": {"image": png_upload("lon.png", size=(400, 400))},
        "nothing": {},
    }[upload]
    client.force_login(a.user)
    response = client.post(reverse("workspace:image-add", args=[a.product.pk]), files)
    assert response.status_code == 200
    assert error in response.content.decode()
    assert list(a.product.images.all()) == [a.image]
    assert not WorkspaceChange.objects.exists()


def test_a_photo_is_removed(two_sides, client):
    a, _b = two_sides
    client.force_login(a.user)
    client.post(reverse("workspace:image-delete", args=[a.product.pk, a.image.pk]))
    assert not a.product.images.exists()


def test_the_profile_sets_the_story_and_pickup_shown_on_the_producer_page(two_sides, client):
    a, _b = two_sides
    client.force_login(a.user)
    client.post(
        reverse("workspace:profile"),
        {"story": "Ba đời làm gốm bên sông Hồng", "allows_pickup": "on"},
    )
    a.producer.refresh_from_db()
    assert a.producer.allows_pickup
    html = client.get(reverse("producers:shop", args=[a.producer.pk])).content.decode()
    assert "Ba đời làm gốm bên sông Hồng" in html


def test_a_member_opening_the_dashboard_lands_in_their_workspace(two_sides, client):
    a, _b = two_sides
    client.force_login(a.user)
    response = client.get(reverse("dashboard:index"))
    assert response.status_code == 302 and response["Location"] == reverse("workspace:summary")


def test_a_signed_in_user_without_a_producer_is_sent_to_claim_one(db, client):
    from tests.factories import producer_create

    user = member_create(producer_create("Chủ thể tạm"), "tam")
    user.producer_membership.delete()
    client.force_login(user)
    response = client.get(reverse("workspace:product-list"))
    assert response["Location"] == reverse("producers:claim-find")

"""Producer A, signed in, tries every producer-facing URL and form with
producer B's ids. Each answers 403 or 404 and nothing changes in the
database: products, stock, photos, parcels, profile, audit trail."""

import pytest
from django.contrib.auth.models import Permission
from django.urls import reverse
from oscar.core.loading import get_model

from marketplace.ocop.models import Producer
from marketplace.producers.models import WorkspaceChange
from tests.producers.workspace.conftest import png_upload

Product = get_model("catalogue", "Product")
ProductImage = get_model("catalogue", "ProductImage")
StockRecord = get_model("partner", "StockRecord")
Parcel = get_model("order", "Parcel")

pytestmark = pytest.mark.django_db


def snapshot():
    """Everything a producer-facing form could change."""
    return (
        list(
            Product.objects.order_by("pk").values_list(
                "pk", "title", "description", "story", "weight_grams", "certificate_id"
            )
        ),
        list(
            StockRecord.objects.order_by("pk").values_list(
                "pk", "price", "num_in_stock", "partner_id"
            )
        ),
        list(ProductImage.objects.order_by("pk").values_list("pk", "product_id", "original")),
        list(Parcel.objects.order_by("pk").values_list("pk", "status", "tracking_number")),
        list(Producer.objects.order_by("pk").values_list("pk", "story", "allows_pickup")),
        WorkspaceChange.objects.count(),
    )


def _product_form(**extra):
    return {
        "description": "Đổi",
        "story": "Đổi",
        "weight_grams": "900",
        "price": "99000",
        "num_in_stock": "3",
        **extra,
    }


# (method, url name, kwargs from (a, b), POST data from (a, b) or None)
MATRIX = {
    "workspace product page": (
        "get",
        "workspace:product-edit",
        lambda a, b: {"pk": b.product.pk},
        None,
    ),
    "workspace product edit": (
        "post",
        "workspace:product-edit",
        lambda a, b: {"pk": b.product.pk},
        lambda a, b: _product_form(),
    ),
    "workspace photo upload": (
        "post",
        "workspace:image-add",
        lambda a, b: {"pk": b.product.pk},
        lambda a, b: {"image": png_upload()},
    ),
    "workspace photo delete": (
        "post",
        "workspace:image-delete",
        lambda a, b: {"pk": b.product.pk, "image_pk": b.image.pk},
        lambda a, b: {},
    ),
    "workspace photo delete via own product": (
        "post",
        "workspace:image-delete",
        lambda a, b: {"pk": a.product.pk, "image_pk": b.image.pk},
        lambda a, b: {},
    ),
    "workspace parcel page": (
        "get",
        "workspace:parcel-detail",
        lambda a, b: {"pk": b.parcel.pk},
        None,
    ),
    "workspace parcel move": (
        "post",
        "workspace:parcel-move",
        lambda a, b: {"pk": b.parcel.pk},
        lambda a, b: {"status": "packed"},
    ),
    "oscar product list": ("get", "dashboard:catalogue-product-list", lambda a, b: {}, None),
    "oscar product page": (
        "get",
        "dashboard:catalogue-product",
        lambda a, b: {"pk": b.product.pk},
        None,
    ),
    "oscar product edit": (
        "post",
        "dashboard:catalogue-product",
        lambda a, b: {"pk": b.product.pk},
        lambda a, b: {"title": "Chiếm"},
    ),
    "oscar product delete": (
        "post",
        "dashboard:catalogue-product-delete",
        lambda a, b: {"pk": b.product.pk},
        lambda a, b: {},
    ),
    "oscar stock alerts": ("get", "dashboard:stock-alert-list", lambda a, b: {}, None),
    "oscar order list": ("get", "dashboard:order-list", lambda a, b: {}, None),
    "oscar order page": (
        "get",
        "dashboard:order-detail",
        lambda a, b: {"number": b.parcel.order.number},
        None,
    ),
    "oscar order line": (
        "get",
        "dashboard:order-line-detail",
        lambda a, b: {"number": b.parcel.order.number, "line_id": b.parcel.lines().get().pk},
        None,
    ),
    "oscar order status": (
        "post",
        "dashboard:order-detail",
        lambda a, b: {"number": b.parcel.order.number},
        lambda a, b: {"order_action": "change_order_status", "new_status": "cancelled"},
    ),
    "oscar shipping address": (
        "get",
        "dashboard:order-shipping-address",
        lambda a, b: {"number": b.parcel.order.number},
        None,
    ),
    "operator support start": (
        "post",
        "workspace:support-start",
        lambda a, b: {"producer_pk": b.producer.pk},
        lambda a, b: {},
    ),
    "operator producer list": ("get", "dashboard:producers-list", lambda a, b: {}, None),
}


@pytest.mark.parametrize("case", MATRIX, ids=list(MATRIX))
def test_producer_a_cannot_reach_producer_b(case, two_sides, client):
    method, url_name, kwargs, data = MATRIX[case]
    a, b = two_sides
    # A is also an Oscar partner user with dashboard access, as Oscar's own
    # partner screens would make them: Oscar's views must still refuse.
    a.producer.partner.users.add(a.user)
    a.user.user_permissions.add(Permission.objects.get(codename="dashboard_access"))
    client.force_login(a.user)
    before = snapshot()
    url = reverse(url_name, kwargs=kwargs(a, b))
    response = client.get(url) if method == "get" else client.post(url, data(a, b))
    if response.status_code == 302:
        # the staff-only operator screens send a non-operator to sign in
        assert "/accounts/login/" in response["Location"] or "/login/" in response["Location"]
    else:
        assert response.status_code in (403, 404)
    assert snapshot() == before
    assert b.product.title.encode() not in response.content


def test_the_matrix_covers_every_workspace_url():
    from marketplace.producers.workspace.urls import urlpatterns

    covered = {
        url_name.split(":")[1]
        for _m, url_name, _k, _d in MATRIX.values()
        if url_name.startswith("workspace:")
    }
    # pages with no object id cannot point at B's objects; they are scoped by
    # the workspace itself (tested in test_products / test_parcels)
    scoped = {"summary", "product-list", "parcel-list", "profile", "history", "support-end"}
    assert {p.name for p in urlpatterns} == covered | scoped

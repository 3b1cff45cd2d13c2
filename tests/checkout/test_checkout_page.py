"""The one-page checkout through Django's test client (real PostgreSQL)."""

from decimal import Decimal

import pytest
from django.urls import reverse
from oscar.core.loading import get_model

from tests.factories import certified_product_create, checkout_shown, producer_create

Order = get_model("order", "Order")
StockRecord = get_model("partner", "StockRecord")

pytestmark = pytest.mark.django_db

FORM = {
    "name": "Nguyễn Thị Lan",
    "phone": "0912 345 678",
    "email": "lan@example.vn",
    "province": "Hà Nội",
    "ward": "Phường Tây Hồ",
    "street": "12 Quảng An",
    "payment": "cod",
}


@pytest.fixture
def products():
    return {
        "gom": certified_product_create(
            title="Bình gốm Bát Tràng",
            producer=producer_create("HTX Gốm Bát Tràng", allows_pickup=True),
            price=Decimal("450000"),
        ),
        "lua": certified_product_create(
            title="Khăn lụa Vạn Phúc",
            producer=producer_create("HTX Lụa Vạn Phúc"),
            price=Decimal("320000"),
        ),
    }


def _add(client, product, quantity=1):
    response = client.post(reverse("basket:add", kwargs={"pk": product.pk}), {"quantity": quantity})
    assert response.status_code == 302


def test_guest_cod_checkout_places_the_order_and_mails_it(
    client, products, mailoutbox, django_capture_on_commit_callbacks
):
    # given a guest with two producers' products in the basket
    _add(client, products["gom"])
    _add(client, products["lua"], 2)
    page = client.get(reverse("checkout:index"))
    html = page.content.decode()
    assert page.status_code == 200
    assert html.count('data-testid="parcel"') == 2
    assert "HTX Gốm Bát Tràng" in html and "HTX Lụa Vạn Phúc" in html
    # when they fill in a Vietnamese address and choose COD
    with django_capture_on_commit_callbacks(execute=True):
        response = client.post(reverse("checkout:index"), checkout_shown(client, FORM))
    # then one order is placed and the confirmation page shows its number
    assert response.status_code == 302 and response["Location"] == reverse("checkout:thank-you")
    order = Order.objects.get()
    thanks = client.get(response["Location"]).content.decode()
    assert order.number in thanks
    assert order.total_incl_tax == Decimal(450000 + 2 * 320000 + 2 * 25000)
    assert order.guest_email == "lan@example.vn"
    # and the confirmation went out by mail, in Vietnamese
    assert [m.to for m in mailoutbox] == [["lan@example.vn"]]
    assert order.number in mailoutbox[0].subject
    assert "Kiện hàng của HTX Lụa Vạn Phúc" in mailoutbox[0].body


def test_an_invalid_phone_number_is_refused_with_a_clear_error(client, products):
    _add(client, products["lua"])
    response = client.post(
        reverse("checkout:index"), checkout_shown(client, {**FORM, "phone": "12345"})
    )
    assert response.status_code == 200
    assert "Hãy nhập số điện thoại Việt Nam" in response.content.decode()
    assert not Order.objects.exists()


def test_a_missing_province_is_refused(client, products):
    _add(client, products["lua"])
    response = client.post(
        reverse("checkout:index"), checkout_shown(client, {**FORM, "province": ""})
    )
    assert response.status_code == 200 and not Order.objects.exists()
    assert "form-field--error" in response.content.decode()


def test_pickup_is_offered_only_for_producers_that_allow_it(client, products):
    _add(client, products["gom"])
    _add(client, products["lua"])
    html = client.get(reverse("checkout:index")).content.decode()
    gom_id = products["gom"].stockrecords.get().partner.producer.pk
    lua_id = products["lua"].stockrecords.get().partner.producer.pk
    assert f'value="{gom_id}"' in html and f'value="{lua_id}"' not in html
    client.post(
        reverse("checkout:index"), checkout_shown(client, {**FORM, "pickup": [str(gom_id)]})
    )
    assert Order.objects.get().shipping_incl_tax == Decimal(25000)


def test_a_price_changed_since_the_basket_is_shown_before_ordering(client, products):
    _add(client, products["lua"])
    StockRecord.objects.filter(product=products["lua"]).update(price=Decimal("350000"))
    shown = client.post(reverse("checkout:index"), checkout_shown(client, FORM), follow=True)
    html = shown.content.decode()
    assert "đã đổi từ 320.000" in html and "350.000" in html
    assert not Order.objects.exists()
    # a second "Đặt hàng" after seeing the new price places the order at it
    client.post(reverse("checkout:index"), checkout_shown(client, FORM))
    assert Order.objects.get().total_incl_tax == Decimal(350000 + 25000)


def test_a_second_post_of_the_same_checkout_places_no_second_order(client, products):
    _add(client, products["lua"])
    first = client.post(reverse("checkout:index"), checkout_shown(client, FORM))
    second = client.post(reverse("checkout:index"), checkout_shown(client, FORM))
    assert first.status_code == second.status_code == 302
    assert Order.objects.count() == 1


def test_an_empty_basket_goes_back_to_the_basket(client):
    response = client.get(reverse("checkout:index"))
    assert response.status_code == 302 and response["Location"] == reverse("basket:summary")


def test_the_thank_you_page_needs_the_session_that_ordered(client):
    assert client.get(reverse("checkout:thank-you"))["Location"] == "/"


def test_a_guest_follows_each_parcel_from_the_confirmation_link(client, products):
    from marketplace.order.services import parcel_move

    # given a guest order across two producers
    _add(client, products["gom"])
    _add(client, products["lua"])
    client.post(reverse("checkout:index"), checkout_shown(client, FORM))
    order = Order.objects.get()
    thanks = client.get(reverse("checkout:thank-you")).content.decode()
    status_form = reverse(
        "customer:anon-order-form",
        kwargs={"order_number": order.number, "hash": order.verification_hash()},
    )
    assert status_form in thanks
    # and one producer ships theirs
    silk = order.parcels.get(producer__name="HTX Lụa Vạn Phúc")
    parcel_move(parcel=silk, status="packed")
    parcel_move(parcel=silk, status="shipped", tracking_number="GHN-778899")
    # when the guest confirms their email on the status page
    page = client.post(status_form, {"email": "lan@example.vn"}, follow=True)
    html = page.content.decode()
    # then each parcel shows its own status, with the tracking number
    assert page.status_code == 200
    assert "Đang giao" in html and "GHN-778899" in html and "Đã đặt" in html

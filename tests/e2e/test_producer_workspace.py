"""A producer runs their part of the shop in a real browser: price and
stock, then a parcel shipped, which the customer sees on their order."""

from decimal import Decimal

import pytest
from django.contrib.auth import get_user_model
from django.urls import reverse

from marketplace.order.services import order_place
from tests.factories import certified_product_create, producer_create
from tests.order.conftest import basket_with
from tests.producers.workspace.conftest import member_create

pytestmark = pytest.mark.e2e


def _sign_in(page, base_url: str, email: str, password: str) -> None:
    page.goto(base_url + reverse("customer:login"))
    page.locator("#id_login-username").fill(email)
    page.locator("#id_login-password").fill(password)
    page.locator("#login_form button[type=submit]").click()
    page.wait_for_load_state()


def test_a_producer_reprices_restocks_and_ships_and_the_customer_sees_it(
    browser, live_demo, hanoi_delivery
):
    # given a producer with a member, a listable product, and a customer's order
    producer = producer_create("HTX Mây tre Phú Vinh")
    product = certified_product_create(
        title="Giỏ mây Phú Vinh", producer=producer, price=Decimal("180000"), num_in_stock=12
    )
    member = member_create(producer, "phuvinh")
    customer = get_user_model().objects.create_user(
        username="khach", email="khach@example.vn", password="mat-khau-khach"
    )
    order = order_place(
        basket=basket_with((product, 1)),
        delivery=hanoi_delivery,
        email=customer.email,
        user=customer,
    )
    base = live_demo.url
    page = browser.new_page(viewport={"width": 390, "height": 844})

    # when the producer signs in and opens the dashboard, they land in their workspace
    _sign_in(page, base, member.email, "mat-khau-123")
    page.goto(base + "/dashboard/")
    page.wait_for_url("**/dashboard/workspace/")
    # and changes the price and stock
    page.locator(".nav-tabs").get_by_role("link", name="Sản phẩm").click()
    page.get_by_role("link", name="Sửa").first.click()
    page.get_by_label("Giá bán (₫)").fill("205000")
    page.get_by_label("Số lượng trong kho").fill("30")
    page.get_by_test_id("product-save").click()
    page.wait_for_load_state()
    assert "Đã lưu" in page.content()
    # then the public product page shows the new price
    page.goto(base + product.get_absolute_url())
    assert "205.000" in page.locator("body").inner_text()

    # when they pack the parcel and ship it with a tracking number
    page.goto(base + reverse("workspace:parcel-list"))
    page.get_by_role("link", name=str(order.number)).first.click()
    page.get_by_test_id("move-packed").locator("button").click()
    page.wait_for_load_state()
    page.get_by_label("Mã vận đơn").fill("VTP123456789")
    page.get_by_test_id("move-shipped").locator("button").click()
    page.wait_for_load_state()
    assert page.get_by_test_id("parcel-status").inner_text() == "Đang giao"
    page.close()

    # then the customer's order page shows the parcel shipped, with its tracking number
    customer_page = browser.new_page(viewport={"width": 390, "height": 844})
    _sign_in(customer_page, base, customer.email, "mat-khau-khach")
    customer_page.goto(base + reverse("customer:order", kwargs={"order_number": str(order.number)}))
    parcel = customer_page.get_by_test_id("parcel-status").inner_text()
    assert "Đang giao" in parcel and "VTP123456789" in parcel
    customer_page.close()

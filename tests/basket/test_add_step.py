"""Adding to the basket from shared pages, which carry no CSRF token.

Without JavaScript the card's or product page's GET opens the visitor's own
confirm page, whose POST form (with the token) adds through Oscar's
`basket:add`. With JavaScript, js/basket-add.js reads the token from the
csrftoken cookie or the token endpoint and posts the same fields to
`basket:add`. Each test posts with CSRF checks on, as a browser would.
"""

import re

import pytest
from django.conf import settings
from django.test import Client
from django.urls import reverse
from oscar.core.loading import get_model

from tests.factories import certified_product_create

Basket = get_model("basket", "Basket")
ProductAlert = get_model("customer", "ProductAlert")

pytestmark = pytest.mark.django_db


def _form(html: str, marker: str) -> str:
    start = html.index(marker)
    return html[html.rindex("<form", 0, start) : html.index("</form>", start)]


def _attr(tag: str, name: str) -> str:
    return re.search(rf'{name}="([^"]*)"', tag).group(1)


def _token(html: str) -> str:
    return re.search(r'name="csrfmiddlewaretoken" value="([^"]+)"', html).group(1)


def _basket_lines(client) -> list[tuple[int, int]]:
    response = client.get("/shop/basket/")
    basket = response.context["basket"]
    return [(line.product_id, line.quantity) for line in basket.all_lines()]


def test_without_javascript_the_product_page_adds_through_a_confirm_page():
    product = certified_product_create(title="Chè Shan tuyết", num_in_stock=20)
    browser = Client(enforce_csrf_checks=True)
    # given the shared product page: its add form is a GET with no token
    page = browser.get(product.get_absolute_url()).content.decode()
    form = _form(page, 'id="add_to_basket_form"')
    assert 'method="get"' in form and "csrfmiddlewaretoken" not in form
    assert _attr(form, "data-post-action") == reverse("basket:add", kwargs={"pk": product.pk})
    assert 'name="quantity"' in form
    # when the visitor asks for 2 (the browser sends the product page as Referer)
    confirm = browser.get(
        _attr(form, "action"),
        {"quantity": "2"},
        HTTP_REFERER="http://testserver" + product.get_absolute_url(),
    )
    # then their own page shows the product and a POST form with a token
    assert confirm.status_code == 200 and "no-store" in confirm["Cache-Control"]
    html = confirm.content.decode()
    assert product.title in html
    post = _form(html, 'data-testid="basket-add-confirm-submit"')
    assert 'method="post"' in post
    assert _attr(post, "action") == reverse("basket:add", kwargs={"pk": product.pk})
    assert 'name="quantity"' in post and 'value="2"' in post
    # and posting it adds to the basket and goes back to the product
    added = browser.post(
        _attr(post, "action"),
        {
            "csrfmiddlewaretoken": _token(html),
            "quantity": "2",
            "next": re.search(r'name="next" value="([^"]+)"', post).group(1),
        },
    )
    assert added.status_code == 302
    assert added["Location"].endswith(product.get_absolute_url())
    assert _basket_lines(browser) == [(product.pk, 2)]


def test_a_card_adds_one_through_the_confirm_page():
    product = certified_product_create(title="Mật ong bạc hà", num_in_stock=20)
    browser = Client(enforce_csrf_checks=True)
    listing = browser.get("/shop/").content.decode()
    form = _form(listing, f'data-post-action="/shop/basket/add/{product.pk}/"')
    assert 'method="get"' in form and "csrfmiddlewaretoken" not in form
    confirm = browser.get(_attr(form, "action"), {"quantity": "1"})
    html = confirm.content.decode()
    # without a Referer, the visitor goes back to the product after adding
    assert f'name="next" value="{product.get_absolute_url()}"' in html
    added = browser.post(
        reverse("basket:add", kwargs={"pk": product.pk}),
        {"csrfmiddlewaretoken": _token(html), "quantity": "1"},
    )
    assert added.status_code == 302
    assert _basket_lines(browser) == [(product.pk, 1)]


def test_the_confirm_page_shows_a_bad_quantity_before_anything_is_posted():
    product = certified_product_create(title="Nước mắm Vạn Phần", num_in_stock=20)
    response = Client().get(
        reverse("basket:add-confirm", kwargs={"pk": product.pk}), {"quantity": "0"}
    )
    assert response.status_code == 200
    assert response.context["basket_form"].errors["quantity"]
    assert Basket.objects.count() == 0


def test_the_confirm_page_never_sends_the_visitor_off_site():
    product = certified_product_create(title="Bánh cốm Vòng", num_in_stock=20)
    response = Client().get(
        reverse("basket:add-confirm", kwargs={"pk": product.pk}),
        {"quantity": "1", "next": "https://evil.example/"},
        HTTP_REFERER="https://evil.example/",
    )
    assert response.context["next_url"] == product.get_absolute_url()


def test_with_javascript_the_token_endpoint_gives_the_token_the_script_posts():
    # the script reads the cookie first: it must be readable from JavaScript
    assert settings.CSRF_COOKIE_HTTPONLY is False
    product = certified_product_create(title="Trà hoa vàng", num_in_stock=20)
    browser = Client(enforce_csrf_checks=True)
    # given a visitor with no csrftoken cookie (shared pages set none)
    assert not browser.get(product.get_absolute_url()).cookies
    # when the script asks the token endpoint
    response = browser.get(reverse("csrf-token"))
    # then it answers a private token and sets the cookie
    assert response.status_code == 200
    assert "private" in response["Cache-Control"] and "no-store" in response["Cache-Control"]
    token = response.json()["token"]
    assert token and settings.CSRF_COOKIE_NAME in response.cookies
    # and the same fields plus that token, posted as a form, add to the basket
    added = browser.post(
        reverse("basket:add", kwargs={"pk": product.pk}),
        {"quantity": "3", "csrfmiddlewaretoken": token},
        HTTP_REFERER="http://testserver" + product.get_absolute_url(),
    )
    assert added.status_code == 302 and added["Location"].endswith(product.get_absolute_url())
    assert _basket_lines(browser) == [(product.pk, 3)]


def test_the_stock_alert_is_a_get_step_too():
    product = certified_product_create(title="Gạo nếp cái hoa vàng", num_in_stock=0)
    browser = Client(enforce_csrf_checks=True)
    # given the shared product page of a product out of stock
    page = browser.get(product.get_absolute_url()).content.decode()
    form = _form(page, 'id="alert_form"')
    alert_url = reverse("customer:alert-create", kwargs={"pk": product.pk})
    assert 'method="get"' in form and "csrfmiddlewaretoken" not in form
    assert _attr(form, "action") == alert_url and _attr(form, "data-post-action") == alert_url
    # when the visitor sends their address without JavaScript
    confirm = browser.get(alert_url, {"email": "lan@example.vn"})
    html = confirm.content.decode()
    assert confirm.status_code == 200 and 'value="lan@example.vn"' in html
    # then their own page posts it, with a token, and the alert is made
    created = browser.post(
        alert_url, {"csrfmiddlewaretoken": _token(html), "email": "lan@example.vn"}
    )
    assert created.status_code == 302
    assert ProductAlert.objects.filter(product=product, email="lan@example.vn").exists()

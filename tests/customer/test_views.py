"""Sign-in address and sign-out (issue 13, findings 7 and 9a)."""

import pytest
from django.urls import reverse

pytestmark = pytest.mark.django_db


def test_an_anonymous_order_link_goes_to_the_shops_sign_in(client):
    # the link in a signed-in buyer's confirmation mail, opened signed out
    response = client.get("/shop/accounts/orders/100001/")

    assert response.status_code == 302
    assert response["Location"] == "/shop/accounts/login/?next=/shop/accounts/orders/100001/"
    assert client.get(response["Location"]).status_code == 200


def test_get_on_the_shops_sign_out_asks_instead_of_signing_out(client, shopper):
    client.force_login(shopper)

    response = client.get(reverse("customer:logout"))

    assert response.status_code == 200
    assert 'data-testid="logout-confirm"' in response.content.decode()
    assert client.session["_auth_user_id"] == str(shopper.pk)


def test_post_on_the_shops_sign_out_signs_out(client, shopper):
    client.force_login(shopper)

    response = client.post(reverse("customer:logout"))

    assert response.status_code == 302
    assert "_auth_user_id" not in client.session


@pytest.mark.parametrize("url", ["/dashboard/logout/", "/cms-admin/logout/"])
def test_get_on_the_dashboard_and_wagtail_sign_outs_is_refused(client, operator, url):
    client.force_login(operator)

    assert client.get(url).status_code == 405
    assert client.session["_auth_user_id"] == str(operator.pk)
    assert client.post(url).status_code == 302
    assert "_auth_user_id" not in client.session


def test_the_site_header_signs_out_with_a_post_form(client, shopper):
    client.force_login(shopper)

    html = client.get("/shop/").content.decode()

    assert f'method="post" action="{reverse("customer:logout")}"' in html

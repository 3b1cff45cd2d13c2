"""The header's language switcher is a GET (shared pages carry no CSRF
token): it sets Django's language cookie and goes back, never off-site."""

import pytest
from django.conf import settings

pytestmark = pytest.mark.django_db


def test_the_header_switches_language_by_get_without_a_token(client):
    # given the shop's header
    html = client.get("/shop/").content.decode()
    start = html.index('class="lang-switch"')
    form = html[html.rindex("<form", 0, start) : html.index("</form>", start)]
    assert 'method="get"' in form and 'action="/ngon-ngu/"' in form
    assert "csrfmiddlewaretoken" not in form
    assert 'name="language"' in form and "data-submit-on-change" in form
    # when the visitor picks English
    response = client.get("/ngon-ngu/", {"language": "en", "next": "/shop/?page=2"})
    # then the cookie is set and they go back where they were
    assert response.status_code == 302 and response["Location"] == "/shop/?page=2"
    cookie = response.cookies[settings.LANGUAGE_COOKIE_NAME]
    assert cookie.value == "en" and cookie["samesite"] == "Lax" and cookie["httponly"]
    assert "no-store" in response["Cache-Control"]
    # and the shop speaks English
    assert '<html lang="en"' in client.get("/shop/").content.decode()


@pytest.mark.parametrize(
    "next_url",
    ["https://evil.example/shop/", "//evil.example/", "javascript:alert(1)", "", "/\\evil.example"],
)
def test_the_switch_never_sends_the_visitor_off_site(client, next_url):
    response = client.get("/ngon-ngu/", {"language": "en", "next": next_url})
    assert response.status_code == 302 and response["Location"] == "/"
    assert response.cookies[settings.LANGUAGE_COOKIE_NAME].value == "en"


def test_an_unknown_language_sets_no_cookie(client):
    response = client.get("/ngon-ngu/", {"language": "xx", "next": "/shop/"})
    assert response.status_code == 302 and response["Location"] == "/shop/"
    assert settings.LANGUAGE_COOKIE_NAME not in response.cookies


def test_djangos_post_switch_still_works(client):
    response = client.post("/i18n/setlang/", {"language": "en", "next": "/shop/"})
    assert response.status_code == 302
    assert response.cookies[settings.LANGUAGE_COOKIE_NAME].value == "en"

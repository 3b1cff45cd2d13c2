"""Security headers and cookie attributes (issue 13, findings 9b and 9c).

What the policy lets a browser run is checked in Chromium by
tests/e2e/test_content_security_policy.py; these check the headers
themselves and the middleware's rules, quickly.
"""

import re

import pytest
from django.http import HttpResponse

from marketplace.core.middleware import (
    ContentSecurityPolicyMiddleware,
    CookieDefaultsMiddleware,
    PermissionsPolicyMiddleware,
)
from tests.factories import certified_product_create


def _directives(header: str) -> dict[str, list[str]]:
    directives = {}
    for part in header.split(";"):
        name, *values = part.split()
        directives[name] = values
    return directives


@pytest.mark.django_db
def test_a_shop_page_allows_only_its_own_nonced_inline_scripts(client, demo_site):
    # given the home page, as any visitor gets it
    response = client.get("/")
    # then its policy has no 'unsafe-inline' or 'unsafe-eval'
    policy = _directives(response.headers["Content-Security-Policy"])
    script_src = policy["script-src"]
    assert "'unsafe-inline'" not in script_src and "'unsafe-eval'" not in script_src
    assert "'unsafe-inline'" not in policy["style-src"]
    assert policy["default-src"] == ["'self'"] and policy["object-src"] == ["'none'"]
    assert policy["frame-ancestors"] == ["'none'"] and policy["form-action"] == ["'self'"]
    # and, since one copy of it serves every visitor (issue 14), it starts up
    # from static files: no inline script, so no nonce in the page or policy
    html = response.content.decode()
    assert not re.findall(r"<script(?![^>]*\bsrc=)([^>]*)>", html)
    assert not [value for value in script_src if value.startswith("'nonce-")]
    # and no page markup uses an inline event handler, which no nonce allows
    assert not re.search(r"<[^>]+\son[a-z]+=", html)
    # while a page that starts up inline (the basket, per visitor anyway)
    # carries one nonce, on every inline script
    response = client.get("/shop/basket/")
    script_src = _directives(response.headers["Content-Security-Policy"])["script-src"]
    nonces = [value for value in script_src if value.startswith("'nonce-")]
    assert len(nonces) == 1
    inline = re.findall(r"<script(?![^>]*\bsrc=)([^>]*)>", response.content.decode())
    assert inline
    nonce = nonces[0].removeprefix("'nonce-").removesuffix("'")
    assert all(f'nonce="{nonce}"' in attributes for attributes in inline), inline


@pytest.mark.django_db
def test_only_the_back_offices_relax_the_policy(client):
    # given the shop, the dashboard and Wagtail's admin (their sign-in pages)
    shop = _directives(client.get("/shop/accounts/login/").headers["Content-Security-Policy"])
    dashboard = _directives(client.get("/dashboard/login/").headers["Content-Security-Policy"])
    wagtail = _directives(client.get("/cms-admin/login/").headers["Content-Security-Policy"])
    # then inline styles are allowed in both back offices, inline scripts in
    # Wagtail's admin only, and never on the shop
    assert "'unsafe-inline'" in dashboard["style-src"]
    assert "'unsafe-inline'" not in dashboard["script-src"]
    assert "'unsafe-inline'" in wagtail["script-src"] and "'unsafe-inline'" in wagtail["style-src"]
    assert "'unsafe-inline'" not in shop["script-src"] + shop["style-src"]
    # and nobody may frame any of them
    assert shop["frame-ancestors"] == dashboard["frame-ancestors"] == wagtail["frame-ancestors"]


def test_a_response_wagtail_lets_its_admin_frame_gets_frame_ancestors_self(rf):
    # given a view marked the way Wagtail marks its preview views
    def preview(request):
        response = HttpResponse("preview")
        response["X-Frame-Options"] = "SAMEORIGIN"
        return response

    # when it passes the CSP middleware
    response = ContentSecurityPolicyMiddleware(preview)(rf.get("/cms-admin/pages/3/edit/preview/"))
    # then the policy agrees with X-Frame-Options instead of overriding it
    policy = _directives(response.headers["Content-Security-Policy"])
    assert policy["frame-ancestors"] == ["'self'"]


def test_a_wagtail_preview_of_a_shop_page_may_be_framed_by_the_admin(rf):
    # given the made-up request Wagtail renders a page preview with
    request = rf.get("/hoi-cho/")
    request.is_preview = True
    # when the page passes the CSP middleware
    response = ContentSecurityPolicyMiddleware(lambda request: HttpResponse("page"))(request)
    # then it may be framed by its own origin, under the shop's policy
    policy = _directives(response.headers["Content-Security-Policy"])
    assert policy["frame-ancestors"] == ["'self'"]
    assert "'unsafe-inline'" not in policy["script-src"]


@pytest.mark.django_db
def test_every_response_switches_off_features_the_shop_never_uses(client):
    # given any response
    response = client.get("/shop/accounts/login/")
    # then camera, microphone and location are off; payment only for Stripe
    header = response.headers["Permissions-Policy"]
    assert "camera=()" in header and "microphone=()" in header and "geolocation=()" in header
    assert 'payment=(self "https://js.stripe.com")' in header


def test_permissions_policy_does_not_replace_a_views_own(rf, settings):
    # given a view that sets its own Permissions-Policy
    def view(request):
        response = HttpResponse()
        response["Permissions-Policy"] = "camera=(self)"
        return response

    # then the middleware leaves it alone
    response = PermissionsPolicyMiddleware(view)(rf.get("/"))
    assert response.headers["Permissions-Policy"] == "camera=(self)"


def _cookie_setting_view(request):
    response = HttpResponse()
    response.set_cookie("library_cookie", "1")  # as a library would: no attributes
    response.set_cookie("strict_cookie", "1", samesite="Strict")
    return response


def test_a_cookie_without_samesite_gets_lax_and_a_stricter_one_is_kept(rf):
    response = CookieDefaultsMiddleware(_cookie_setting_view)(rf.get("/"))
    assert response.cookies["library_cookie"]["samesite"] == "Lax"
    assert response.cookies["strict_cookie"]["samesite"] == "Strict"
    # plain HTTP (a laptop): not Secure, or the browser would drop it
    assert not response.cookies["library_cookie"]["secure"]


def test_every_cookie_set_over_https_is_secure(rf):
    response = CookieDefaultsMiddleware(_cookie_setting_view)(rf.get("/", secure=True))
    assert response.cookies["library_cookie"]["secure"] is True
    assert response.cookies["strict_cookie"]["secure"] is True


@pytest.mark.django_db
def test_oscars_basket_cookie_is_samesite_lax_and_secure_over_https(client):
    # given an anonymous shopper on HTTPS and a listable product
    product = certified_product_create()
    # when they add it to their basket, which gives them Oscar's basket cookie
    response = client.post(f"/shop/basket/add/{product.pk}/", {"quantity": 1}, secure=True)
    # then the cookie is HttpOnly (Oscar), SameSite=Lax and Secure (ours)
    cookie = response.cookies["oscar_open_basket"]
    assert cookie["httponly"] is True
    assert cookie["samesite"] == "Lax"
    assert cookie["secure"] is True


@pytest.mark.django_db
def test_the_plain_policy_built_once_is_the_one_django_csp_builds(rf, settings):
    """The shop's plain policy is copied from the first response that built
    it (a page-cache hit built it each time: a tenth of the hit). The copy
    is django-csp's own text, a nonce still gets a policy of its own, and a
    changed setting is seen at once."""
    from csp.middleware import CSPMiddleware

    def policy(middleware, request):
        return middleware.process_response(request, HttpResponse())["Content-Security-Policy"]

    ours = ContentSecurityPolicyMiddleware(lambda request: HttpResponse())
    stock = CSPMiddleware(lambda request: HttpResponse())
    plain = [policy(ours, rf.get(path)) for path in ("/", "/shop/", "/")]
    assert plain == [policy(stock, rf.get("/"))] * 3
    # a page that used a nonce gets it in its own policy
    request = rf.get("/shop/basket/")
    ours.process_request(request)
    nonce = str(request.csp_nonce)
    assert f"'nonce-{nonce}'" in policy(ours, request)
    assert "'nonce-" not in policy(ours, rf.get("/"))
    # and a changed policy is not served from the old copy
    changed = {**settings.CONTENT_SECURITY_POLICY}
    changed["DIRECTIVES"] = {**changed["DIRECTIVES"], "img-src": ["'self'", "https://anh.example"]}
    settings.CONTENT_SECURITY_POLICY = changed
    assert "https://anh.example" in policy(ours, rf.get("/"))

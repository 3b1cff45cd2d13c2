"""Every shopper page is stored for visitors without cookies and served to
the next one (issue 14). A template that starts printing something
per-visitor (a CSRF token, a nonce, the visitor's name) makes its page
uncached; this test names the page and the reason."""

import pytest
from django.test import Client
from oscar.core.loading import get_model

from cms.models import CraftVillagePage, EventPage, FairPage

Product = get_model("catalogue", "Product")
Category = get_model("catalogue", "Category")

pytestmark = pytest.mark.django_db


def _shopper_pages() -> dict[str, str]:
    product = Product.objects.listable().order_by("pk").first()
    cert = product.certificate
    pages = {
        "home": "/",
        "shop": "/shop/",
        "category": Category.objects.get(name="Đồ uống").get_absolute_url(),
        "product": product.get_absolute_url(),
        "search": "/shop/search/?q=gom+su",
        "search with facets": "/shop/search/?q=tra&stars=4&group=drink",
        "suggest": "/shop/search/suggest/?q=gom",
        "certificate lookup": "/chung-nhan/?so=" + cert.number,
        "producer shop": f"/chu-the/{cert.producer_id}/",
    }
    for name, model in (("fair", FairPage), ("event", EventPage), ("village", CraftVillagePage)):
        page = model.objects.live().first()
        if page is not None:
            pages[name] = page.url
    return pages


def test_every_shopper_page_is_shared(demo_site):
    pages = _shopper_pages()
    assert {"fair", "event", "village"} <= set(pages), "the demo site has lost a page kind"
    for name, url in pages.items():
        first = Client().get(url)
        assert first.status_code == 200, (name, url, first.status_code)
        assert first["X-Page-Cache"] == "miss", (name, url, first["X-Page-Cache"])
        second = Client().get(url)
        assert second["X-Page-Cache"] == "hit", (name, url)
        assert second.content == first.content, name


@pytest.mark.parametrize("signed_in", [False, True], ids=["basket visitor", "signed-in customer"])
def test_a_visitor_with_a_basket_gets_every_shopper_page_shared_but_for_their_parts(
    demo_site, signed_in
):
    """Outside the visitor parts (marketplace.pagecache.parts), a visitor with
    a basket, signed in or not, reads the very bytes the shared copy holds;
    inside, their own."""
    import re

    from django.contrib.auth import get_user_model
    from django.urls import reverse

    part = re.compile(r"<!--visitor-part:\w+(?::\d+)?-->.*?<!--/visitor-part-->", re.DOTALL)
    visitor = Client()
    if signed_in:
        visitor.force_login(get_user_model().objects.create_user("lan", "lan@example.vn"))
    visitor.get(reverse("csrf-token"))
    product = Product.objects.listable().order_by("pk").first()
    added = visitor.post(
        reverse("basket:add", kwargs={"pk": product.pk}),
        {"quantity": 3, "csrfmiddlewaretoken": visitor.cookies["csrftoken"].value},
    )
    assert added.status_code == 302
    for name, url in _shopper_pages().items():
        shared = Client().get(url)
        assert shared["X-Page-Cache"] in ("miss", "hit"), name
        own = visitor.get(url)
        assert own["X-Page-Cache"] == "parts", (name, own.get("X-Page-Cache"))
        html = own.content.decode()
        if name != "suggest":  # a fragment, with no header
            assert '<span class="basket-link__count">3</span>' in html, name
        assert part.sub("", html) == part.sub("", shared.content.decode()), name

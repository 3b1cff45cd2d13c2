"""Vietnamese by default, English when the visitor chooses it."""


def test_vietnamese_is_the_default_even_for_an_english_browser(client, demo_site):
    html = client.get("/shop/", HTTP_ACCEPT_LANGUAGE="en-US,en;q=0.9").content.decode()
    assert '<html lang="vi"' in html
    assert "Tất cả sản phẩm" in html


def test_switching_to_english_translates_our_strings_and_oscars(client, demo_site):
    # given a visitor who picks English in the header switcher
    response = client.post("/i18n/setlang/", {"language": "en", "next": "/shop/"})
    assert response.status_code == 302
    # when they open the shop
    html = client.get("/shop/").content.decode()
    # then the layout, our listing and Oscar's own strings are English
    assert '<html lang="en"' in html
    assert "All products" in html
    assert "Add to basket" in html or "Add to cart" in html
    # and prices are still whole đồng, English-grouped
    assert "\xa0₫" in html and ",000\xa0₫" in html

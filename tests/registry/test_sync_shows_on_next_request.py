"""A withdrawal by the registry sync shows on the very next request, even
for a page a visitor without cookies was served from the page cache
(issue 14): the sync's writes bump the catalogue generation."""

from decimal import Decimal

import pytest
from django.test import Client
from oscar.core.loading import get_model

from marketplace.registry.services import certificate_sync
from tests.registry.records import registry_record

Product = get_model("catalogue", "Product")
StockRecord = get_model("partner", "StockRecord")

pytestmark = pytest.mark.django_db

WITHDRAWN = "Chứng nhận OCOP của sản phẩm đã bị thu hồi."


def test_a_withdrawal_by_the_sync_shows_on_the_next_request(standin, registry_client):
    standin.set_records([registry_record(i) for i in range(1, 11)])
    certificate_sync(client=registry_client)
    product = Product.objects.get(certificate__registry_id=10)
    partner = product.certificate.producer.partner
    StockRecord.objects.update_or_create(
        product=product,
        partner=partner,
        defaults={"price": Decimal("120000"), "price_currency": "VND", "num_in_stock": 50},
    )
    url = product.get_absolute_url()
    assert Client().get(url)["X-Page-Cache"] == "miss"
    second = Client().get(url)
    assert second["X-Page-Cache"] == "hit"
    assert WITHDRAWN not in second.content.decode()
    # when record 10 disappears from a complete crawl
    standin.set_records([registry_record(i) for i in range(1, 10)])
    certificate_sync(client=registry_client)
    # then the next visitor sees it withdrawn
    page = Client().get(url)
    assert page["X-Page-Cache"] == "miss"
    assert WITHDRAWN in page.content.decode()

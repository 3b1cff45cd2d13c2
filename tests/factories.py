"""Factories built on Oscar's: certified products ready to list."""

import re
from datetime import date, timedelta
from decimal import Decimal

from django.urls import reverse
from oscar.core.loading import get_model
from oscar.test import factories as oscar_factories

from catalogue.search_text import search_text_refresh
from marketplace.ocop.models import Certificate, Producer, expiry_from_issue
from marketplace.registry.addresses import province_2025

Partner = get_model("partner", "Partner")


def producer_create(name: str = "HTX Gốm sứ Bát Tràng", **fields) -> Producer:
    partner = Partner.objects.create(name=name)
    fields.setdefault("province", "Hà Nội")
    fields.setdefault("registry_province", province_2025(fields["province"]))
    return Producer.objects.create(
        registry_key=name.casefold(), name=name, partner=partner, **fields
    )


_next_id = iter(range(100_000, 10_000_000))


def certified_product_create(
    *,
    stars: int = 4,
    issued_on: date | None = None,
    expiry_date: date | None = None,
    status: str = "valid",
    price: Decimal | None = Decimal("150000"),
    num_in_stock: int = 10,
    producer: Producer | None = None,
    title: str = "Gốm sứ Bát Tràng",
    **certificate_fields,
):
    """A public product with a stock record from its producer's partner and
    a certificate (by default valid today: 4★, issued a year ago)."""
    producer = producer or producer_create(f"HTX {next(_next_id)}")
    issued_on = issued_on or date.today() - timedelta(days=365)
    registry_id = next(_next_id)
    cert = Certificate.objects.create(
        registry_id=registry_id,
        number=f"{registry_id}/QĐ-UBND",
        name=title,
        producer=producer,
        stars=stars,
        issued_on=issued_on,
        expiry_date=expiry_date or expiry_from_issue(issued_on),
        product_type=certificate_fields.pop("product_type", "keepsake"),
        status=status,
        raw={},
        **certificate_fields,
    )
    product = oscar_factories.ProductFactory(
        title=title, certificate=cert, stockrecords=None, categories=None, is_public=True
    )
    oscar_factories.StockRecordFactory(
        product=product,
        partner=producer.partner,
        price=price,
        price_currency="VND",
        num_in_stock=num_in_stock,
    )
    # what the registry sync does when it writes a product
    search_text_refresh(type(product).objects.filter(pk=product.pk))
    product.refresh_from_db()
    return product


SHOWN_TOTAL = re.compile(r'name="shown_total" value="(\d*)"')


def checkout_shown(client, data: dict) -> dict:
    """`data` with the total the checkout page shows for its province and
    pickup, as "Đặt hàng" posts it back (the page's script fetches the same
    summary whenever the shopper changes either)."""
    query = {"province": data.get("province", "")}
    if data.get("pickup"):
        query["pickup"] = data["pickup"]
    summary = client.get(reverse("checkout:summary"), query).content.decode()
    found = SHOWN_TOTAL.search(summary)
    return {**data, "shown_total": found.group(1) if found else ""}


def buyer_with_delivery_create(client, product, *, email: str = "mua@example.vn"):
    """A signed-in customer on `client` whose order of `product` was
    delivered: who may review it."""
    from django.contrib.auth import get_user_model

    from marketplace.order.services import parcel_move

    user = get_user_model().objects.create_user(
        username=email, email=email, password="mat-khau-mua-hang"
    )
    client.force_login(user)
    client.post(reverse("basket:add", kwargs={"pk": product.pk}), {"quantity": 1})
    form = {
        "name": "Người mua",
        "phone": "0912 345 678",
        "province": "Hà Nội",
        "ward": "Phường Tây Hồ",
        "street": "1 Quảng An",
        "payment": "cod",
    }
    client.post(reverse("checkout:index"), checkout_shown(client, form))
    parcel = user.orders.get().parcels.get()
    for status in ("packed", "shipped", "delivered"):
        parcel_move(parcel=parcel, status=status, tracking_number="GHN-1")
    return user

"""The demo's product photos (issue 15, finding 12): made at setup from each
product's sector by the stand-in registry and fetched through the sync, not
downloaded and not committed; a quarter show the sector illustration, and a
few get more views from their producer, so the product page's gallery shows."""

import pytest
from oscar.core.loading import get_model

from marketplace.demo.build_snapshot import REFERENCE_DATE, build_records
from marketplace.demo.services import demo_site_setup
from marketplace.registry.models import PhotoStatus, RegistryPhoto
from marketplace.registry.standin.photos import render_photo

Product = get_model("catalogue", "Product")

pytestmark = pytest.mark.django_db


def test_demo_setup_gives_products_photos_drawn_from_their_sector(settings, tmp_path):
    # given the demo snapshot's first 40 records (3 in 4 name a photo)
    settings.MEDIA_ROOT = str(tmp_path / "media")
    records = build_records(today=REFERENCE_DATE)[:40]
    # when the demo is set up
    demo_site_setup(operator_password="test-operator-pass", records=records)
    # then each product whose record names a photo has it, as the stand-in drew it
    galleries = 0
    for record in records:
        product = Product.objects.get(certificate__registry_id=record["id"])
        pictures = list(product.images.all())
        if not record["image"]:
            assert pictures == []  # its card shows the sector illustration
            continue
        with pictures[0].original.open("rb") as handle:
            assert handle.read() == render_photo(record["type"], record["id"], 0)
        galleries += len(pictures) == 3
    assert RegistryPhoto.objects.filter(status=PhotoStatus.IMPORTED).count() == sum(
        1 for r in records if r["image"]
    )
    # and a few products have a gallery of three views
    assert galleries >= 2

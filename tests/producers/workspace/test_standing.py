"""A certificate's standing, as the workspace tells the producer; and the
registry sync leaves what the producer wrote alone."""

from datetime import date, timedelta

import pytest
from oscar.core.loading import get_model

from marketplace.ocop.models import Certificate
from marketplace.producers.workspace.access import Workspace
from marketplace.producers.workspace.services import product_edit
from marketplace.producers.workspace.standing import certificate_standing
from marketplace.registry.client import RegistryClient
from marketplace.registry.services import certificate_sync
from marketplace.registry.standin.server import StandinServer
from tests.producers.workspace.conftest import member_create
from tests.registry.records import registry_record

Product = get_model("catalogue", "Product")
TODAY = date(2026, 11, 28)


@pytest.mark.parametrize(
    "expires_in, status, level",
    [
        (400, "valid", "valid"),
        (91, "valid", "valid"),
        (90, "valid", "expiring-90"),
        (31, "valid", "expiring-90"),
        (30, "valid", "expiring-30"),
        (8, "valid", "expiring-30"),
        (7, "valid", "expiring-7"),
        (0, "valid", "expiring-7"),
        (-1, "valid", "expired"),
        (200, "withdrawn", "withdrawn"),
        (200, "suspended", "suspended"),
    ],
)
def test_standing_follows_the_days_left_and_the_registry_status(expires_in, status, level):
    certificate = Certificate(
        stars=4,
        status=status,
        issued_on=TODAY - timedelta(days=700),
        expiry_date=TODAY + timedelta(days=expires_in),
    )
    standing = certificate_standing(certificate, TODAY)
    assert standing.level == level
    assert standing.next_step


@pytest.mark.django_db
def test_a_resync_keeps_the_producers_description_and_story():
    with StandinServer([registry_record(7, story="Câu chuyện của hệ thống")]) as server:
        client = RegistryClient(base_url=server.url, page_size=10)
        certificate_sync(client=client)
        product = Product.objects.get(certificate__registry_id=7)
        assert product.story == "Câu chuyện của hệ thống"  # seeded from the registry
        producer = product.certificate.producer
        workspace = Workspace(producer, by_support=False)
        product_edit(
            workspace=workspace,
            actor=member_create(producer, "thanhvien"),
            product=product,
            fields={"description": "Lời của chủ thể", "story": "Chuyện của chủ thể"},
            price=None,
            num_in_stock=0,
        )
        server.set_records([registry_record(7, description="Mô tả mới", story="Khác")])
        certificate_sync(client=client)
    product.refresh_from_db()
    assert (product.description, product.story) == ("Lời của chủ thể", "Chuyện của chủ thể")

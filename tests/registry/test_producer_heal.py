"""Healing a database in the merged state: one producer row that held
same-name producers of several provinces (identity was the name alone)."""

from decimal import Decimal

import pytest
from oscar.core.loading import get_model
from oscar.test import factories as oscar_factories

from marketplace.ocop.models import Certificate, Producer
from marketplace.producers.models import ProducerMembership
from marketplace.registry.models import ProducerSplit
from marketplace.registry.services import certificate_sync
from tests.registry.records import registry_record

Product = get_model("catalogue", "Product")
StockRecord = get_model("partner", "StockRecord")
Partner = get_model("partner", "Partner")
Parcel = get_model("order", "Parcel")

pytestmark = pytest.mark.django_db

NAME = "HTX Dịch vụ An Khánh"
HUE = "Phường An Khánh, Thành phố Huế"
HANOI = "Xã An Khánh, Thành phố Hà Nội"


def _record(registry_id: int, address: str) -> dict:
    record = registry_record(registry_id)
    record["manufacturer"] = {**record["manufacturer"], "name": NAME, "address": address}
    return record


@pytest.fixture
def merged(django_user_model):
    """The state the name-only identity left: one row, one partner, one
    account and one order for three Huế and two Hà Nội certificates; the
    row carries the Hà Nội address because that record came first."""
    partner = Partner.objects.create(name=NAME)
    producer = Producer.objects.create(
        registry_key=NAME.casefold(),
        registry_province=None,
        name=NAME,
        address_raw=HANOI,
        province="Hà Nội",
        partner=partner,
        story="Câu chuyện do chủ thể viết",
    )
    records = [_record(1, HANOI), _record(2, HANOI), _record(3, HUE), _record(4, HUE)]
    records.append(_record(5, HUE))
    for record in records:
        cert = Certificate.objects.create(
            registry_id=record["id"],
            number=record["ocop_certificate_number"],
            name=record["name"],
            producer=producer,
            stars=4,
            issued_on=record["issued_on"],
            expiry_date="2099-01-01",
            product_type="food",
            raw=record,
        )
        product = oscar_factories.ProductFactory(
            title=cert.name, certificate=cert, stockrecords=None, categories=None
        )
        StockRecord.objects.create(
            product=product,
            partner=partner,
            partner_sku=f"OCOP-{cert.registry_id}",
            price=Decimal(50000),
            num_in_stock=3,
        )
    user = django_user_model.objects.create_user("htx", "htx@example.vn", "pw")
    ProducerMembership.objects.create(user=user, producer=producer)
    order = oscar_factories.OrderFactory()
    Parcel.objects.create(order=order, producer=producer, shipping_charge=0)
    return producer, records


def test_the_next_sync_splits_a_merged_producer_by_province(standin, registry_client, merged):
    producer, records = merged
    # when the next sync runs on the same records
    standin.set_records(records)
    run = certificate_sync(client=registry_client)
    # then the row keeps the province most of its certificates carry (Huế, 3 of 5)
    producer.refresh_from_db()
    assert producer.registry_province == "Huế"
    assert set(producer.certificates.values_list("registry_id", flat=True)) == {3, 4, 5}
    # and the Hà Nội certificates, products and stock moved to their own producer and partner
    hanoi = Producer.objects.get(registry_key=NAME.casefold(), registry_province="Hà Nội")
    assert hanoi.partner_id != producer.partner_id
    assert set(hanoi.certificates.values_list("registry_id", flat=True)) == {1, 2}
    moved = StockRecord.objects.filter(product__certificate__registry_id__in=[1, 2])
    assert set(moved.values_list("partner", flat=True)) == {hanoi.partner_id}
    kept = StockRecord.objects.filter(product__certificate__registry_id__in=[3, 4, 5])
    assert set(kept.values_list("partner", flat=True)) == {producer.partner_id}
    # and the kept row now carries its own province's address
    assert (producer.province, producer.address_raw) == ("Huế", HUE)
    # and the account, the order's parcel and the producer's story stay with the row
    assert ProducerMembership.objects.get().producer_id == producer.pk
    assert Parcel.objects.get().producer_id == producer.pk
    assert producer.story == "Câu chuyện do chủ thể viết"
    # and the split is on the run for operators
    split = ProducerSplit.objects.get(sync_run=run)
    assert (split.producer, split.new_producer, split.province, split.certificates_moved) == (
        producer,
        hanoi,
        "Hà Nội",
        2,
    )
    assert "tách 1 chủ thể" in run.alert
    assert run.created == 0 and Product.objects.count() == 5


def test_healing_happens_once(standin, registry_client, merged):
    _producer, records = merged
    standin.set_records(records)
    certificate_sync(client=registry_client)
    run = certificate_sync(client=registry_client)
    assert not ProducerSplit.objects.filter(sync_run=run).exists()
    assert Producer.objects.count() == 2


def test_a_dry_run_heals_nothing(standin, registry_client, merged):
    producer, records = merged
    standin.set_records(records)
    certificate_sync(client=registry_client, dry_run=True)
    producer.refresh_from_db()
    assert producer.registry_province is None and Producer.objects.count() == 1


def test_a_certificate_whose_stored_record_no_longer_reads_stays_with_the_row(
    standin, registry_client, merged
):
    # given a merged producer one of whose stored records no longer reads
    producer, records = merged
    Certificate.objects.filter(registry_id=1).update(raw={"name": "x" * 300})
    # when the next sync heals it
    standin.set_records(records)
    run = certificate_sync(client=registry_client)
    # then that certificate was not moved by the heal, and the sync still succeeded
    assert run.status == "succeeded"
    split = ProducerSplit.objects.get(sync_run=run)
    assert split.certificates_moved == 1

"""A producer is (folded name, 2025 province): namesakes in two provinces
stay two, and one producer's legacy and 2025 addresses stay one, written
only when its preferred data changes."""

import random
from contextlib import contextmanager

import pytest
from django.db import connection
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st
from oscar.core.loading import get_model

from marketplace.ocop.models import Certificate, Producer
from marketplace.registry.client import RegistryClient
from marketplace.registry.services import certificate_sync
from marketplace.registry.standin.server import StandinServer
from tests.registry.records import registry_record

Product = get_model("catalogue", "Product")
StockRecord = get_model("partner", "StockRecord")

pytestmark = pytest.mark.django_db

AN_KHANH = "HTX Dịch vụ An Khánh"
LEGACY = "Xã Cẩm Lý, Huyện Lục Nam, Tỉnh Bắc Giang"
MODERN = "Xã Cẩm Lý, Tỉnh Bắc Ninh"


def _record(registry_id: int, name: str, address: str, **fields) -> dict:
    record = registry_record(registry_id, **fields)
    record["manufacturer"] = {**record["manufacturer"], "name": name, "address": address}
    return record


@contextmanager
def _producer_writes():
    """Count INSERT and UPDATE statements on the producer table."""
    writes: list[str] = []

    def spy(execute, sql, params, many, context):
        if sql.lstrip().upper().startswith(("INSERT", "UPDATE")) and "registry_producer" in sql:
            writes.append(sql)
        return execute(sql, params, many, context)

    with connection.execute_wrapper(spy):
        yield writes


def test_namesakes_in_two_provinces_stay_two_producers(standin, registry_client):
    # given the same producer name in Huế and in Hà Nội
    standin.set_records(
        [
            _record(1, AN_KHANH, "Phường An Khánh, Thành phố Huế"),
            _record(2, AN_KHANH, "Xã An Khánh, Thành phố Hà Nội"),
            _record(3, AN_KHANH, "Xã An Khánh, Thành phố Hà Nội"),
        ]
    )
    # when we sync
    certificate_sync(client=registry_client)
    # then there are two producers, each with its own partner and products
    hue, hanoi = (Producer.objects.get(registry_province=p) for p in ("Huế", "Hà Nội"))
    assert hue.partner_id != hanoi.partner_id
    assert (hue.province, hanoi.province) == ("Huế", "Hà Nội")
    assert set(hue.certificates.values_list("registry_id", flat=True)) == {1}
    assert set(hanoi.certificates.values_list("registry_id", flat=True)) == {2, 3}
    assert set(
        StockRecord.objects.filter(product__certificate__registry_id__in=[2, 3]).values_list(
            "partner", flat=True
        )
    ) == {hanoi.partner_id}


def test_legacy_and_2025_addresses_of_one_producer_are_one_producer(standin, registry_client):
    # given one producer's records in the legacy and the 2025 form, 2025 first
    records = [
        _record(1, "HTX Vải thiều Lục Nam", MODERN, issued_on="2024-01-10"),
        _record(2, "HTX Vải thiều Lục Nam", LEGACY, issued_on="2025-03-01"),
    ]
    standin.set_records(records)
    certificate_sync(client=registry_client)
    # then it is one producer, with the 2025 address although the legacy record is newer
    producer = Producer.objects.get()
    assert (producer.registry_province, producer.province, producer.address_raw) == (
        "Bắc Ninh",
        "Bắc Ninh",
        MODERN,
    )
    # and a re-sync in the other order writes no producer row
    standin.set_records(list(reversed(records)))
    with _producer_writes() as writes:
        run = certificate_sync(client=registry_client)
    assert writes == [] and run.unchanged == 2


def test_the_latest_decision_speaks_for_the_producer_among_2025_records(standin, registry_client):
    standin.set_records(
        [
            _record(
                1, "HTX Chè Tân Cương", "Xã Tân Cương, Tỉnh Thái Nguyên", issued_on="2025-08-01"
            ),
            _record(
                2, "HTX Chè Tân Cương", "Xã Tân Cương , Tỉnh Thái Nguyên", issued_on="2024-01-01"
            ),
        ]
    )
    certificate_sync(client=registry_client)
    assert Producer.objects.get().address_raw == "Xã Tân Cương, Tỉnh Thái Nguyên"


def test_a_producer_is_rewritten_when_its_preferred_data_changes(standin, registry_client):
    standin.set_records([_record(1, "HTX Vải thiều Lục Nam", MODERN, phone_number="1")])
    certificate_sync(client=registry_client)
    record = _record(1, "HTX Vải thiều Lục Nam", MODERN)
    record["manufacturer"]["phone_number"] = "0204 3888 999"
    standin.set_records([record])
    with _producer_writes() as writes:
        certificate_sync(client=registry_client)
    assert len(writes) == 1
    assert Producer.objects.get().phone == "0204 3888 999"


def _feed() -> list[dict]:
    """A small feed with every kind of disagreement: namesakes in two
    provinces, legacy and 2025 forms, different decision dates and phones."""
    records = []
    places = [
        ("HTX Dịch vụ An Khánh", "Phường An Khánh, Thành phố Huế"),
        ("HTX Dịch vụ An Khánh", "Xã An Khánh, Thành phố Hà Nội"),
        ("HTX Vải thiều Lục Nam", LEGACY),
        ("HTX Vải thiều Lục Nam", MODERN),
        ("Công ty TNHH Gốm Chu Đậu", "Xã Thái Tân, Huyện Nam Sách, Tỉnh Hải Dương"),
        ("Công ty TNHH Gốm Chu Đậu", "Xã Thái Tân, Thành phố Hải Phòng"),
        ("Hộ kinh doanh Nguyễn Văn Bình", "Xã Bát Tràng, Thành phố Hà Nội"),
    ]
    for i in range(1, 29):
        name, address = places[i % len(places)]
        record = _record(i, name, address, issued_on=f"202{3 + i % 3}-0{1 + i % 9}-1{i % 9}")
        record["manufacturer"]["phone_number"] = f"09{i:08d}"
        records.append(record)
    return records


def _state() -> tuple:
    """The database state a sync owns, free of ids that depend on insert order."""
    producers = sorted(
        Producer.objects.values_list(
            "registry_key", "registry_province", "name", "phone", "address_raw", "province", "ward"
        )
    )
    certificates = sorted(
        Certificate.objects.values_list(
            "registry_id", "producer__registry_key", "producer__registry_province", "status"
        )
    )
    sellers = sorted(
        StockRecord.objects.values_list(
            "product__certificate__registry_id", "partner__producer__registry_province"
        )
    )
    return producers, certificates, sellers


@settings(
    max_examples=8,
    deadline=None,
    suppress_health_check=[HealthCheck.function_scoped_fixture, HealthCheck.too_slow],
)
@given(seed=st.integers(min_value=0, max_value=2**32 - 1))
def test_the_crawl_order_never_changes_the_database_state(seed):
    feed = _feed()
    shuffled = feed[:]
    random.Random(seed).shuffle(shuffled)
    _registry_clear()
    with StandinServer(feed) as server:
        client = RegistryClient(base_url=server.url, page_size=7)
        # given the feed synced in its own order
        certificate_sync(client=client)
        synced = _state()
        # when it is synced again in a shuffled order
        server.set_records(shuffled)
        with _producer_writes() as writes:
            certificate_sync(client=client)
        # then nothing is written and the state is the same
        assert writes == [] and _state() == synced
    # and a fresh database synced in the shuffled order ends in the same state
    _registry_clear()
    with StandinServer(shuffled) as server:
        certificate_sync(client=RegistryClient(base_url=server.url, page_size=7))
    assert _state() == synced


def _registry_clear() -> None:
    from marketplace.registry.models import CertificateChange, SyncRun

    Partner = get_model("partner", "Partner")
    StockRecord.objects.all().delete()
    Product.objects.all().delete()
    CertificateChange.objects.all().delete()
    Certificate.objects.all().delete()
    Producer.objects.all().delete()
    Partner.objects.all().delete()
    SyncRun.objects.all().delete()


def test_old_and_new_tone_placement_name_one_producer(standin, registry_client):
    standin.set_records(
        [
            _record(1, "HTX Hoà Bình", "Xã Bát Tràng, Thành phố Hà Nội"),
            _record(2, "HTX Hòa Bình", "Xã Bát Tràng, Thành phố Hà Nội"),
            _record(3, "Công ty Thuỷ sản", "Xã Bát Tràng, Thành phố Hà Nội"),
            _record(4, "Công ty Thủy sản", "Xã Bát Tràng, Thành phố Hà Nội"),
        ]
    )
    certificate_sync(client=registry_client)
    assert Producer.objects.count() == 2


def test_a_producer_the_registry_moves_to_another_province_keeps_its_row(
    standin, registry_client, django_user_model
):
    # given a claimed producer in Hà Nội
    from marketplace.producers.models import ProducerMembership

    records = [_record(i, "HTX Gốm Kim Lan", "Xã Bát Tràng, Thành phố Hà Nội") for i in (1, 2)]
    standin.set_records(records)
    certificate_sync(client=registry_client)
    producer = Producer.objects.get()
    user = django_user_model.objects.create_user("kimlan", "kl@example.vn", "pw")
    ProducerMembership.objects.create(user=user, producer=producer)
    # when the registry corrects its province
    moved = [_record(i, "HTX Gốm Kim Lan", "Xã Phù Lãng, Tỉnh Bắc Ninh") for i in (1, 2)]
    standin.set_records(moved)
    certificate_sync(client=registry_client)
    # then it is the same row, account and partner, now in Bắc Ninh
    moved_producer = Producer.objects.get()
    assert moved_producer.pk == producer.pk and moved_producer.partner_id == producer.partner_id
    assert (moved_producer.registry_province, moved_producer.province) == ("Bắc Ninh", "Bắc Ninh")
    assert ProducerMembership.objects.get().producer_id == producer.pk

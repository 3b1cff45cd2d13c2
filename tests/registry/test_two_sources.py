"""Two sources, one truth: a province's decision list and the national API
never make one product twice, and neither's absences touch the other's."""

import csv
from pathlib import Path

import pytest
from oscar.core.loading import get_model

from marketplace.ocop.models import Certificate
from marketplace.registry.models import CertificateChange, SyncRun
from marketplace.registry.services import certificate_sync
from marketplace.registry.sources import registry_source
from tests.registry.records import registry_record

Product = get_model("catalogue", "Product")

pytestmark = pytest.mark.django_db

HEADER = [
    "Tên sản phẩm",
    "Chủ thể",
    "Địa chỉ",
    "Bộ sản phẩm",
    "Số sao",
    "Số quyết định",
    "Ngày quyết định",
]


def _row(record: dict, *, address: str | None = None) -> list[str]:
    """A list row for the product a national record describes, written the
    way a province writes it (day-first date, decision number without accents)."""
    issued = record["issued_on"]
    return [
        record["name"],
        record["manufacturer"]["name"],
        address or record["manufacturer"]["address"],
        "Thực phẩm",
        f"{record['ocop_star']} sao",
        record["ocop_certificate_number"].replace("Đ", "D"),
        f"{issued[8:10]}/{issued[5:7]}/{issued[:4]}",
    ]


def _list(tmp_path: Path, rows: list[list[str]], name: str = "quyet-dinh.csv") -> Path:
    path = tmp_path / name
    with path.open("w", newline="", encoding="utf-8") as handle:
        csv.writer(handle).writerows([HEADER, *rows])
    return path


def _import(path: Path) -> SyncRun:
    client, full = registry_source(str(path))
    return certificate_sync(client=client, reconcile_absences=full)


def test_a_list_repeating_national_products_creates_no_duplicate(
    standin, registry_client, tmp_path
):
    # given 11 products known from the national API
    national = [registry_record(i) for i in range(1, 12)]
    standin.set_records(national)
    certificate_sync(client=registry_client)
    # when a province's list repeats all 11 (one without the province in its address)
    rows = [_row(r) for r in national[:10]]
    rows.append(_row(national[10], address="Xã Bát Tràng, Huyện Gia Lâm"))
    run = _import(_list(tmp_path, rows))
    # then no certificate or product is added, and the list is kept as provenance
    assert (run.status, run.created, run.matched_national) == ("succeeded", 0, 11)
    assert Certificate.objects.count() == 11 and Product.objects.count() == 11
    cert = Certificate.objects.get(registry_id=4)
    assert (cert.source, cert.list_record["name"]) == ("national", "Sản phẩm thử 4")


def test_the_next_national_sync_withdraws_no_list_sourced_product(
    standin, registry_client, tmp_path
):
    # given 20 national products and 3 products only a province's list holds
    standin.set_records([registry_record(i) for i in range(1, 21)])
    certificate_sync(client=registry_client)
    only_listed = [registry_record(i, name=f"Sản phẩm tỉnh {i}") for i in range(100, 103)]
    run = _import(_list(tmp_path, [_row(r) for r in only_listed]))
    assert run.created == 3
    # when the national sync runs again, twice
    runs = [certificate_sync(client=registry_client) for _ in range(2)]
    # then it withdrew nothing, and a 3-row list did not trip its shrink guard
    assert [(r.status, r.withdrawn) for r in runs] == [("succeeded", 0), ("succeeded", 0)]
    listed = Certificate.objects.filter(source="decision_list")
    assert listed.count() == 3 and set(listed.values_list("status", flat=True)) == {"valid"}


def test_a_national_record_adopts_the_list_sourced_product(standin, registry_client, tmp_path):
    # given a product first known from a province's list
    record = registry_record(77, name="Mật ong bạc hà Mèo Vạc")
    _import(_list(tmp_path, [_row(record)]))
    listed = Certificate.objects.get()
    product = Product.objects.get()
    # when the national API starts to carry it
    standin.set_records([record])
    run = certificate_sync(client=registry_client)
    # then the same certificate and product become the national ones, with the list kept
    cert = Certificate.objects.get()
    assert (run.created, cert.pk, cert.registry_id, cert.source) == (0, listed.pk, 77, "national")
    assert Product.objects.get().pk == product.pk
    assert cert.list_record["id"] == listed.registry_id
    assert CertificateChange.objects.filter(certificate=cert, field="source").exists()
    # and re-importing the list changes nothing
    again = _import(_list(tmp_path, [_row(record)], name="lan-2.csv"))
    assert (again.created, again.matched_national, Certificate.objects.count()) == (0, 1, 1)


def test_namesakes_in_another_province_do_not_match(standin, registry_client, tmp_path):
    record = registry_record(5)
    standin.set_records([record])
    certificate_sync(client=registry_client)
    run = _import(_list(tmp_path, [_row(record, address="Xã An Khánh, Thành phố Huế")]))
    assert (run.created, run.matched_national) == (1, 0)


def test_a_list_row_matches_by_decision_date_when_the_numbers_differ(
    standin, registry_client, tmp_path
):
    # given a national record whose number is the certificate's own, not the decision's
    record = registry_record(8, ocop_certificate_number="GCN-0008/2025")
    standin.set_records([record])
    certificate_sync(client=registry_client)
    # when the province's list prints the decision number, with the same decision date
    row = _row(record)
    row[5] = "1520/QĐ-UBND"
    run = _import(_list(tmp_path, [row]))
    # then it is the same certification
    assert (run.created, run.matched_national, Certificate.objects.count()) == (0, 1, 1)


def test_a_list_row_without_a_province_is_adopted_by_the_national_record(
    standin, registry_client, tmp_path
):
    # given a product first known from a list whose address names no province
    record = registry_record(21, name="Mơ Hương Sơn")
    _import(_list(tmp_path, [_row(record, address="Xã Hương Sơn, Huyện Mỹ Đức")]))
    listed = Certificate.objects.get()
    # when the national API carries it with the full address
    standin.set_records([record])
    run = certificate_sync(client=registry_client)
    # then it is the same certificate, now national, with the national producer
    cert = Certificate.objects.select_related("producer").get()
    assert (run.created, cert.pk, cert.source) == (0, listed.pk, "national")
    assert cert.producer.registry_province == "Hà Nội"


@pytest.mark.parametrize(
    "written",
    ["Số 8/QĐ-UBND", "08/QĐ-UBND", "8/QĐ\u2013UBND", "8 / QD - UBND"],
    ids=["prefix", "leading zero", "en dash", "spaces"],
)
def test_decision_number_variants_match_across_sources(standin, registry_client, tmp_path, written):
    # given a national record, and a list row with another decision date
    record = registry_record(8, ocop_certificate_number="8/QĐ-UBND")
    standin.set_records([record])
    certificate_sync(client=registry_client)
    row = _row(record)
    row[5], row[6] = written, "01/01/2020"
    # when the list is imported, its number written another way
    run = _import(_list(tmp_path, [row]))
    # then it matches by number
    assert (run.created, run.matched_national) == (0, 1)

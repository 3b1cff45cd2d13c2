"""The public certificate lookup (`/chung-nhan/?so=…`) costs a fixed handful
of queries however many certificates a number matches (a provincial
decision covers dozens of products), and reads the certificate table
through its index on the number key, never whole (issue 14); and finds a
number however a phone types it (issue 15)."""

from datetime import date, timedelta

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext

from marketplace.ocop.models import Certificate
from tests.bulk_catalogue import (
    catalogue_bulk_create,
    indexes_used,
    query_plan,
    whole_table_reads,
)
from tests.factories import certified_product_create

pytestmark = pytest.mark.django_db

DECISION = "1234/QĐ-UBND"
# Measured 7: the generation, a savepoint pair, the site menu's three, and
# the lookup itself (one query; it was two plus one per certificate).
LOOKUP_QUERIES = 8


def _decision_products():
    """Twelve products certified by one decision: eight listable, two
    expired, one withdrawn, one not sold (no price)."""
    yesterday = date.today() - timedelta(days=1)
    listable = [certified_product_create(title=f"Sản phẩm quyết định {n}") for n in range(8)]
    expired = [
        certified_product_create(
            title=f"Sản phẩm hết hạn {n}",
            issued_on=yesterday - timedelta(days=1100),
            expiry_date=yesterday,
        )
        for n in range(2)
    ]
    withdrawn = certified_product_create(title="Sản phẩm thu hồi", status="withdrawn")
    unpriced = certified_product_create(title="Sản phẩm chưa bán", price=None)
    hidden = [*expired, withdrawn, unpriced]
    Certificate.objects.filter(product__in=[*listable, *hidden]).update(number=DECISION)
    return listable, hidden


def test_a_decision_number_is_looked_up_in_a_fixed_handful_of_queries(
    client, django_assert_max_num_queries
):
    # given twelve certificates of one decision, and an unrelated one
    listable, hidden = _decision_products()
    other = certified_product_create(title="Sản phẩm khác")
    # when a shopper looks the decision up, in another case
    with django_assert_max_num_queries(LOOKUP_QUERIES):
        response = client.get("/chung-nhan/", {"so": DECISION.replace("UBND", "ubnd")})
    html = response.content.decode()
    # then every certificate of the decision shows, with a link to each
    # product the shop sells today and to no other
    assert response.status_code == 200
    assert html.count('data-testid="lookup-result"') == 12
    assert other.title not in html
    for product in listable:
        assert f'href="{product.get_absolute_url()}"' in html
    for product in hidden:
        assert product.title in html
        assert f'href="{product.get_absolute_url()}"' not in html
    assert html.count("Đã hết hạn") == 2 and "Đã thu hồi" in html
    # and a partial number costs the same handful, newest decision first
    with django_assert_max_num_queries(LOOKUP_QUERIES + 1):
        html = client.get("/chung-nhan/", {"so": "1234/qĐ"}).content.decode()
    assert html.count('data-testid="lookup-result"') == 12


def _lookup_selects(client, so: str, name: str) -> list[str]:
    """The SELECTs on certificates the lookup for `so` runs (it must find `name`)."""
    with CaptureQueriesContext(connection) as queries:
        html = client.get("/chung-nhan/", {"so": so}).content.decode()
    assert name in html
    selects = [
        q["sql"]
        for q in queries.captured_queries
        if q["sql"].startswith("SELECT") and "registry_certificate" in q["sql"]
    ]
    assert selects
    return selects


def test_a_certificate_lookup_reads_the_certificate_table_through_its_indexes(client):
    # given 20,000 certified products, analysed (the national registry holds ~17,000)
    catalogue_bulk_create(products=20_000, provinces=30, producers_per_province=10)
    wanted = Certificate.objects.get(registry_id=9_012_345)
    lookups = {
        # a whole number, in another case (the QR code's link)
        wanted.number.replace("UBND", "ubnd"): "registry_certificate_number_key",
        # part of a number, typed without Đ
        "9012345/qd": "registry_certificate_number_key_trgm",
    }
    for so, index in lookups.items():
        # when a shopper looks it up
        selects = _lookup_selects(client, so, wanted.name)
        # then PostgreSQL answers from an index on the number key, reading no
        # whole table of products or certificates
        for sql in selects:
            plan = query_plan(sql)
            assert not whole_table_reads(plan), plan
        assert index in indexes_used(query_plan(selects[-1])), so


@pytest.mark.parametrize(
    "typed",
    [
        "4315/QĐ-BNN-KTHT",  # as printed
        "4315/qd-bnn-ktht",  # a phone keyboard: no Đ, lower case
        "4315/QD-BNN-KTHT",
        " 4315 / qđ-BNN-KTHT ",  # stray spaces
        "4315/Qđ-bnn-ktht",
    ],
)
def test_a_decision_number_is_found_however_a_phone_types_it(client, typed):
    product = certified_product_create(title="Trà hoa sen Tây Hồ")
    Certificate.objects.filter(product=product).update(number="4315/QĐ-BNN-KTHT")
    html = client.get("/chung-nhan/", {"so": typed}).content.decode()
    assert html.count('data-testid="lookup-result"') == 1 and product.title in html


def test_part_of_a_number_typed_without_accents_finds_it(client):
    product = certified_product_create(title="Gạo tám xoan Hải Hậu")
    Certificate.objects.filter(product=product).update(number="88/QĐ-UBND Nam Định")
    html = client.get("/chung-nhan/", {"so": "qd-ubnd nam dinh"}).content.decode()
    assert html.count('data-testid="lookup-result"') == 1 and product.title in html
    assert 'data-testid="lookup-result"' not in (
        client.get("/chung-nhan/", {"so": "qd-ubnd ha noi"}).content.decode()
    )


def test_the_database_folds_numbers_exactly_as_python_does(db):
    # the SQL behind the index and the Python behind what was typed agree,
    # letter by letter, and the migration's frozen copy is the same table
    import importlib

    from django.db.models import Value

    from marketplace.registry.certificate_numbers import (
        MARKED_LETTERS,
        PLAIN_LETTERS,
        NumberKey,
        number_key,
    )

    frozen = importlib.import_module(
        "marketplace.registry.migrations.0009_certificate_number_key_indexes"
    )
    assert (frozen.MARKED, frozen.PLAIN) == (MARKED_LETTERS, PLAIN_LETTERS)
    sample = "Số 12/QĐ-UBND tỉnh Thừa Thiên Huế " + MARKED_LETTERS
    in_sql = Certificate.objects.annotate(key=NumberKey(Value(sample))).values_list(
        "key", flat=True
    )
    certified_product_create(title="Một sản phẩm")
    assert list(in_sql) == [number_key(sample)]

"""The database backend's typo and title-first ranking on SQLite, the
embedded default (issue 15, finding 7). There the typo test is Python's `re`
behind the REGEXP function Django registers on each SQLite connection; these
run the backend's expressions on an in-memory SQLite database holding the
product and analytics tables alone (the suite's database is PostgreSQL).
"""

import pytest
from django.db import DEFAULT_DB_ALIAS, connections
from django.test.utils import CaptureQueriesContext
from oscar.core.loading import get_model

from marketplace.ocop.text import fold
from search.backends.database import TEXT_RELEVANCE, _text_matching
from search.popularity import popularity_expression

Product = get_model("catalogue", "Product")
ProductRecord = get_model("analytics", "ProductRecord")

SQLITE = "typos_sqlite"


@pytest.fixture
def rows(django_db_blocker):
    """`Product.objects` on a fresh in-memory SQLite database, reached as
    `SQLITE`. No `django_db` mark: these tests never touch PostgreSQL."""
    connections.settings[SQLITE] = connections.configure_settings(
        {DEFAULT_DB_ALIAS: {"ENGINE": "django.db.backends.sqlite3", "NAME": ":memory:"}}
    )[DEFAULT_DB_ALIAS]
    with django_db_blocker.unblock():
        connection = connections[SQLITE]
        try:
            with connection.schema_editor() as editor:
                editor.create_model(Product)
                editor.create_model(ProductRecord)
            # the tables a product points to are not there
            connection.disable_constraint_checking()
            yield Product.objects.using(SQLITE)
        finally:
            connection.close()
            del connections[SQLITE]
            del connections.settings[SQLITE]


def product_create(rows, title: str, description: str = "", views: int = 0) -> int:
    search_text = " ".join(part for part in (fold(title), fold(description)) if part)
    (product,) = rows.bulk_create(
        [Product(title=title, slug=search_text.replace(" ", "-")[:50], search_text=search_text)]
    )
    if views:
        ProductRecord.objects.using(SQLITE).create(product=product, num_views=views)
    return product.pk


def search(rows, text: str) -> list[int]:
    """What `DatabaseBackend.search` does for text sorted by relevance, on
    `rows` rather than the listable products."""
    matching = _text_matching(rows, fold(text).split())
    ordered = matching.alias(popularity=popularity_expression()).order_by(*TEXT_RELEVANCE)
    return list(ordered.values_list("pk", flat=True))


def test_sqlite_forgives_one_typo_per_word(rows):
    gom = product_create(rows, "Gốm sứ Bát Tràng men lam")
    che = product_create(rows, "Chè búp Trung du")
    with CaptureQueriesContext(connections[SQLITE]) as queries:
        assert search(rows, "gom su bat trag") == [gom]
    assert any("REGEXP" in query["sql"] for query in queries.captured_queries)
    assert search(rows, "gom su bat trqnq") == []
    # found as typed, no typo is guessed; found nowhere, both neighbours are
    assert search(rows, "trung") == [che]
    assert set(search(rows, "trxng")) == {gom, che}


def test_sqlite_ranks_title_matches_first(rows):
    tea = product_create(rows, "Trà sen Tây Hồ")
    vase = product_create(
        rows,
        "Bình sơn mài Hạ Thái",
        "Bình cắm hoa sen, hợp bày cạnh ấm trà sen ngày Tết.",
        views=500,
    )
    assert search(rows, "tra sen") == [tea, vase]
    assert search(rows, "tra senn") == [tea, vase]

"""The database bumps the catalogue generation with every write a shopper
page can show, whichever code path writes: the rule that lets cached pages
need no invalidation code (issue 14)."""

import importlib

import pytest
from django.apps import apps
from django.db import connection, transaction
from oscar.core.loading import get_model

from marketplace.pagecache.generation import LOW_STOCK_SHOWN, generation_current
from tests.factories import certified_product_create

StockRecord = get_model("partner", "StockRecord")
Product = get_model("catalogue", "Product")

MIGRATION = importlib.import_module("marketplace.pagecache.migrations.0001_initial")

# Apps whose every table a page may read; a new model there must be added to
# the triggers (a new migration) or listed here with the reason it cannot
# change a page.
WHOLLY_PAGE_FACING = ("catalogue", "cms")
NOT_PAGE_FACING = {
    "catalogue_attributeoptiongroup": "options are shown through attribute values",
    "catalogue_attributeoption": "options are shown through attribute values",
    "catalogue_option": "basket options; no shopper page lists them",
    "catalogue_productattribute": "shown through attribute values",
    "catalogue_productclass_options": "basket options; no shopper page lists them",
    "catalogue_product_product_options": "basket options; no shopper page lists them",
    "catalogue_productattributevalue_value_multi_option": "shown through attribute values",
}
ALSO_PAGE_FACING = {
    ("partner", "Partner"),
    ("partner", "StockRecord"),
    ("ocop", "Certificate"),
    ("ocop", "Producer"),
    ("reviews", "ProductReview"),
    ("offer", "ConditionalOffer"),
    ("wagtailcore", "Page"),
    ("wagtailcore", "Site"),
    ("wagtailimages", "Image"),
}


def _tables_with_triggers() -> set[str]:
    with connection.cursor() as cursor:
        cursor.execute(
            "SELECT DISTINCT c.relname FROM pg_trigger t JOIN pg_class c ON c.oid = t.tgrelid "
            "WHERE t.tgname LIKE 'ocop\\_gen\\_%'"
        )
        return {row[0] for row in cursor.fetchall()}


def _committed_generation() -> int:
    """The generation as another connection sees it (committed only)."""
    import psycopg

    settings_dict = connection.settings_dict
    with psycopg.connect(
        dbname=settings_dict["NAME"],
        user=settings_dict["USER"],
        password=settings_dict["PASSWORD"],
        host=settings_dict["HOST"],
        port=settings_dict["PORT"] or 5432,
        autocommit=True,
    ) as other:
        row = other.execute(
            "SELECT value FROM pagecache_cataloguegeneration WHERE id = 1"
        ).fetchone()
    return row[0] if row else 0


@pytest.mark.django_db
def test_every_page_facing_table_bumps_the_generation():
    expected = set()
    for label in WHOLLY_PAGE_FACING:
        for model in apps.get_app_config(label).get_models(include_auto_created=True):
            if not model._meta.proxy and model._meta.managed:
                expected.add(model._meta.db_table)
    expected |= {apps.get_model(app, name)._meta.db_table for app, name in ALSO_PAGE_FACING}
    expected -= set(NOT_PAGE_FACING)
    missing = expected - _tables_with_triggers()
    assert not missing, f"tables a page shows without a generation trigger: {sorted(missing)}"


def test_the_stock_trigger_and_the_page_agree_on_the_threshold():
    assert MIGRATION.LOW_STOCK_SHOWN == LOW_STOCK_SHOWN


@pytest.mark.django_db(transaction=True)
def test_the_bump_commits_with_the_change_once_per_transaction():
    products = [certified_product_create(title=f"Trà {i}") for i in range(3)]
    before = _committed_generation()
    with transaction.atomic():
        for product in products:
            product.title = product.title + " (mới)"
            product.save()
        Product.objects.filter(pk__in=[p.pk for p in products]).update(is_public=True)
        # not visible to anyone else before the commit
        assert _committed_generation() == before
    assert _committed_generation() == before + 1
    assert generation_current() == before + 1


@pytest.mark.django_db(transaction=True)
def test_a_rolled_back_change_bumps_nothing():
    product = certified_product_create()
    before = _committed_generation()
    with pytest.raises(RuntimeError), transaction.atomic():
        Product.objects.filter(pk=product.pk).update(title="Đổi rồi bỏ")
        raise RuntimeError("rolled back")
    assert _committed_generation() == before


@pytest.mark.django_db(transaction=True)
def test_stock_moves_bump_only_when_what_a_page_shows_changes():
    product = certified_product_create(num_in_stock=60)
    record = StockRecord.objects.get(product=product)

    def allocate(units_left: int) -> int:
        before = _committed_generation()
        StockRecord.objects.filter(pk=record.pk).update(num_allocated=60 - units_left)
        return _committed_generation() - before

    # an order well above the threshold changes nothing a page shows
    assert allocate(50) == 0
    assert allocate(LOW_STOCK_SHOWN + 1) == 0
    # crossing into the shown range, each unit within it, and selling out do
    assert allocate(LOW_STOCK_SHOWN) == 1
    assert allocate(3) == 1
    assert allocate(0) == 1
    # a price change always does
    before = _committed_generation()
    StockRecord.objects.filter(pk=record.pk).update(price=99000)
    assert _committed_generation() == before + 1

"""The catalogue generation row and the triggers that bump it.

Why deferred constraint triggers: the bump must commit atomically with the
change (a reader then sees either old data and the old generation, or new
data and the new one), but taking the generation row's lock at the first
write would make a long registry sync block every checkout that crosses the
stock threshold, and could deadlock with it. Deferred to COMMIT, the lock is
the last one a transaction takes and is held only while it commits. The
bump runs once per statement time, so a transaction's many deferred rows
cost one UPDATE, while tests that make the triggers IMMEDIATE (a test
transaction never commits) still see one bump per statement.

PostgreSQL only: the embedded SQLite default runs without the page cache.
"""

from django.db import migrations, models


# Frozen copy of marketplace.pagecache.generation.LOW_STOCK_SHOWN (a
# migration must not import live code); tests/pagecache checks they agree.
LOW_STOCK_SHOWN = 10

FUNCTION = """
CREATE OR REPLACE FUNCTION ocop_catalogue_generation_bump() RETURNS trigger AS $$
DECLARE
  stamp text := txid_current()::text || ':' || statement_timestamp()::text;
BEGIN
  IF current_setting('ocop.generation_bumped', true) IS DISTINCT FROM stamp THEN
    INSERT INTO pagecache_cataloguegeneration (id, value) VALUES (1, 1)
      ON CONFLICT (id) DO UPDATE SET value = pagecache_cataloguegeneration.value + 1;
    PERFORM set_config('ocop.generation_bumped', stamp, true);
  END IF;
  RETURN NULL;
END
$$ LANGUAGE plpgsql;
"""

# Every table a shopper page (or a card, a CMS block, the header's menu)
# reads. A new one is added here and in a new migration.
PAGE_TABLES = [
    "catalogue_product",
    "catalogue_productcategory",
    "catalogue_category",
    "catalogue_productclass",
    "catalogue_productimage",
    "catalogue_productattributevalue",
    "catalogue_productrecommendation",
    "partner_partner",
    "registry_certificate",
    "registry_producer",
    "reviews_productreview",
    "offer_conditionaloffer",
    "wagtailcore_page",
    "wagtailcore_site",
    "wagtailcore_pageviewrestriction",
    "wagtailimages_image",
    "cms_homepage",
    "cms_craftvillageindexpage",
    "cms_craftvillagepage",
    "cms_craftvillagepage_producers",
    "cms_eventindexpage",
    "cms_eventpage",
    "cms_fairindexpage",
    "cms_fairpage",
]

_SHOWN_STOCK = (
    "CASE WHEN {r}.num_in_stock IS NULL THEN -1 "
    "ELSE LEAST(GREATEST({r}.num_in_stock - COALESCE({r}.num_allocated, 0), 0), "
    f"{LOW_STOCK_SHOWN + 1}) END"
)

# Stock records change with every order; only the price, the partner, the
# product and the stock a page can show (see LOW_STOCK_SHOWN) matter.
STOCK_UPDATE_WHEN = (
    "(OLD.price, OLD.price_currency, OLD.partner_id, OLD.product_id) IS DISTINCT FROM "
    "(NEW.price, NEW.price_currency, NEW.partner_id, NEW.product_id) OR "
    f"({_SHOWN_STOCK.format(r='OLD')}) IS DISTINCT FROM ({_SHOWN_STOCK.format(r='NEW')})"
)


def trigger_name(table: str, suffix: str = "") -> str:
    return f"ocop_gen_{table}{suffix}"


def create_sql() -> list[str]:
    statements = [FUNCTION]
    for table in PAGE_TABLES:
        statements.append(
            f"CREATE CONSTRAINT TRIGGER {trigger_name(table)} "
            f"AFTER INSERT OR UPDATE OR DELETE ON {table} "
            "DEFERRABLE INITIALLY DEFERRED FOR EACH ROW "
            "EXECUTE FUNCTION ocop_catalogue_generation_bump()"
        )
    statements.append(
        f"CREATE CONSTRAINT TRIGGER {trigger_name('partner_stockrecord', '_rows')} "
        "AFTER INSERT OR DELETE ON partner_stockrecord "
        "DEFERRABLE INITIALLY DEFERRED FOR EACH ROW "
        "EXECUTE FUNCTION ocop_catalogue_generation_bump()"
    )
    statements.append(
        f"CREATE CONSTRAINT TRIGGER {trigger_name('partner_stockrecord', '_shown')} "
        "AFTER UPDATE ON partner_stockrecord "
        "DEFERRABLE INITIALLY DEFERRED FOR EACH ROW "
        f"WHEN ({STOCK_UPDATE_WHEN}) "
        "EXECUTE FUNCTION ocop_catalogue_generation_bump()"
    )
    return statements


def drop_sql() -> list[str]:
    statements = [
        f"DROP TRIGGER IF EXISTS {trigger_name(table)} ON {table}" for table in PAGE_TABLES
    ]
    statements += [
        f"DROP TRIGGER IF EXISTS {trigger_name('partner_stockrecord', s)} ON partner_stockrecord"
        for s in ("_rows", "_shown")
    ]
    statements.append("DROP FUNCTION IF EXISTS ocop_catalogue_generation_bump()")
    return statements


def all_trigger_names() -> list[str]:
    return [trigger_name(t) for t in PAGE_TABLES] + [
        trigger_name("partner_stockrecord", s) for s in ("_rows", "_shown")
    ]


def forwards(apps, schema_editor):
    if schema_editor.connection.vendor != "postgresql":
        return
    for statement in create_sql():
        schema_editor.execute(statement)


def backwards(apps, schema_editor):
    if schema_editor.connection.vendor != "postgresql":
        return
    for statement in drop_sql():
        schema_editor.execute(statement)


class Migration(migrations.Migration):
    initial = True

    dependencies = [
        ("catalogue", "0035_workspace"),
        ("partner", "0007_partneraddress_code"),
        ("registry", "0007_identity_constraints"),
        ("reviews", "__latest__"),
        ("offer", "__latest__"),
        ("wagtailcore", "__latest__"),
        ("wagtailimages", "__latest__"),
        ("cms", "0002_fairs_events_villages"),
    ]

    operations = [
        migrations.CreateModel(
            name="CatalogueGeneration",
            fields=[
                ("id", models.AutoField(auto_created=True, primary_key=True, serialize=False, verbose_name="ID")),
                ("value", models.BigIntegerField(default=0)),
            ],
            options={"verbose_name": "catalogue generation"},
        ),
        migrations.RunPython(forwards, backwards),
    ]

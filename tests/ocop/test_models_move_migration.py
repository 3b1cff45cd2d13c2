"""An existing database upgrades through the move of Producer and
Certificate into the OCOP app with every row, id and foreign key intact:
the move is state only (ocop 0001, registry 0011 and the apps whose foreign
keys follow), so nothing is copied, dropped or renumbered.

The database is taken back to the state before the move (every migration
that depends on ocop 0001 unapplied, so whatever else main has stays
applied), filled through the historical models, and migrated forward.
"""

import datetime as dt

import pytest
from django.db import connection
from django.db.migrations.executor import MigrationExecutor
from django.utils import timezone

pytestmark = [
    pytest.mark.django_db(transaction=True),
    pytest.mark.usefixtures("schema_back_to_latest"),
]

MOVE = {
    ("ocop", "0001_initial"),
    ("registry", "0011_producer_certificate_to_ocop"),
    ("catalogue", "0037_product_certificate_to_ocop"),
    ("cms", "0003_village_producers_to_ocop"),
    ("order", "0026_parcel_producer_to_ocop"),
    ("producers", "0003_producer_to_ocop"),
}
# Every table that holds a moved row or a foreign key to one, and its columns
# that matter here; read back with plain SQL before and after.
TABLES = {
    "registry_producer": "id, registry_key, registry_province, name, partner_id, story",
    "registry_certificate": "id, registry_id, number, producer_id, stars, issued_on, raw",
    "catalogue_product": "id, title, certificate_id",
    "registry_syncrun": "id, source",
    "registry_certificatechange": "id, certificate_id, sync_run_id, new_value",
    "registry_rejectedrecord": "id, certificate_id, sync_run_id, digest",
    "registry_producersplit": "id, producer_id, new_producer_id, sync_run_id",
    "registry_expirywarning": "id, certificate_id, days_before",
    "producers_producermembership": "id, producer_id, user_id",
    "producers_producerclaim": "id, producer_id, email",
    "producers_workspacechange": "id, producer_id, subject",
    "order_parcel": "id, order_id, producer_id",
}


def _executor() -> MigrationExecutor:
    executor = MigrationExecutor(connection)
    executor.loader.build_graph()
    return executor


def _migrate(targets):
    """Migrate to `targets`; the historical models of the state reached."""
    return _executor().migrate(targets).apps


def _rows() -> dict[str, list[tuple]]:
    with connection.cursor() as cursor:
        found = {}
        for table, columns in TABLES.items():
            cursor.execute(f"SELECT {columns} FROM {table} ORDER BY id")  # noqa: S608 (constants)
            found[table] = cursor.fetchall()
        return found


def _fill(apps) -> dict:
    """Two producers with certificates, a product on one, the sync's rows
    about them, a producer's account, claim and history, and a parcel."""
    Partner = apps.get_model("partner", "Partner")
    Producer = apps.get_model("registry", "Producer")
    Certificate = apps.get_model("registry", "Certificate")
    Product = apps.get_model("catalogue", "Product")
    SyncRun = apps.get_model("registry", "SyncRun")
    User = apps.get_model("auth", "User")
    Order = apps.get_model("order", "Order")
    # ids that a re-created table would not reproduce by itself, far above
    # what the sequences have handed out so far
    first = Producer.objects.create(
        pk=900041,
        registry_key="htx gom bat trang",
        registry_province="Hà Nội",
        name="HTX Gốm Bát Tràng",
        story="Làm gốm từ thế kỷ 14.",
        partner=Partner.objects.create(name="HTX Gốm Bát Tràng"),
    )
    second = Producer.objects.create(
        pk=900057,
        registry_key="htx gom bat trang",
        registry_province="Huế",
        name="HTX Gốm Bát Tràng",
        partner=Partner.objects.create(name="HTX Gốm Bát Tràng (Huế)"),
    )
    # and one numbered by the table's own sequence
    numbered = Producer.objects.create(
        registry_key="ho banh cuon", name="Hộ bánh cuốn", partner=Partner.objects.create(name="Hộ")
    )
    common = {"issued_on": dt.date(2025, 3, 1), "expiry_date": dt.date(2028, 3, 1)}
    common |= {"product_type": "keepsake", "sector": "handicraft"}
    vase = Certificate.objects.create(
        pk=900301,
        registry_id=9001,
        number="4315/QĐ-UBND",
        name="Bình gốm men lam",
        producer=first,
        stars=4,
        raw={"id": 9001, "name": "Bình gốm men lam"},
        **common,
    )
    bowl = Certificate.objects.create(
        pk=900302,
        registry_id=9002,
        number="4316/QĐ-UBND",
        name="Bát men rạn",
        producer=second,
        stars=3,
        raw={"id": 9002},
        **common,
    )
    Product.objects.create(pk=900501, title="Bình gốm men lam", certificate=vase, slug="binh")
    Product.objects.create(pk=900502, title="Không chứng nhận", slug="khong")
    run = SyncRun.objects.create(source="https://registry.example/v1/public/product-info/")
    apps.get_model("registry", "CertificateChange").objects.create(
        certificate=vase, field="stars", old_value="3", new_value="4", sync_run=run
    )
    apps.get_model("registry", "RejectedRecord").objects.create(
        sync_run=run, first_run=run, certificate=bowl, digest="d" * 32, raw={}, reason="sao"
    )
    apps.get_model("registry", "ProducerSplit").objects.create(
        sync_run=run, producer=first, new_producer=second, province="Huế", certificates_moved=1
    )
    apps.get_model("registry", "ExpiryWarning").objects.create(
        certificate=vase, days_before=30, expiry_date=vase.expiry_date
    )
    user = User.objects.create(username="htx-bat-trang", email="htx@example.vn")
    apps.get_model("producers", "ProducerMembership").objects.create(user=user, producer=first)
    apps.get_model("producers", "ProducerClaim").objects.create(
        producer=second, email="hue@example.vn", code_hash="x", expires_at=timezone.now()
    )
    apps.get_model("producers", "WorkspaceChange").objects.create(
        producer=first, actor=user, actor_name="HTX", subject="Bình gốm men lam"
    )
    order = Order.objects.create(
        number="100041", total_incl_tax=350000, total_excl_tax=350000, date_placed=timezone.now()
    )
    apps.get_model("order", "Parcel").objects.create(
        order=order, producer=first, shipping_charge=30000
    )
    # A group allowed to change producers: the permission hangs on the
    # producer's content type, which must survive the move.
    ContentType = apps.get_model("contenttypes", "ContentType")
    Permission = apps.get_model("auth", "Permission")
    producer_type, _ = ContentType.objects.get_or_create(app_label="registry", model="producer")
    permission, _ = Permission.objects.get_or_create(
        content_type=producer_type, codename="change_producer", defaults={"name": "Can change"}
    )
    group = apps.get_model("auth", "Group").objects.create(name="Ban quản lý")
    group.permissions.add(permission)
    return {
        "numbered": numbered.pk,
        "content_type": producer_type.pk,
        "permission": permission.pk,
        "group": group.pk,
    }


def _triggers_and_indexes() -> set[str]:
    """The page cache's generation triggers and the certificate lookup's
    indexes on the moved tables (PostgreSQL only: they exist nowhere else)."""
    if connection.vendor != "postgresql":
        return set()
    with connection.cursor() as cursor:
        cursor.execute(
            "SELECT t.tgname || ' on ' || c.relname FROM pg_trigger t "
            "JOIN pg_class c ON c.oid = t.tgrelid "
            "WHERE c.relname IN ('registry_producer', 'registry_certificate') "
            "AND NOT t.tgisinternal"
        )
        found = {row[0] for row in cursor.fetchall()}
        cursor.execute(
            "SELECT indexname FROM pg_indexes "
            "WHERE tablename IN ('registry_producer', 'registry_certificate')"
        )
        return found | {row[0] for row in cursor.fetchall()}


def test_the_move_keeps_every_row_id_and_foreign_key():
    # given a database as it was before the move, with data in it
    executor = _executor()
    undone = {(m.app_label, m.name) for m, _ in executor.migration_plan([("ocop", None)])}
    assert MOVE <= undone
    before_apps = _migrate([("ocop", None)])
    with pytest.raises(LookupError):
        before_apps.get_model("ocop", "Producer")
    kept = _fill(before_apps)
    rows_before = _rows()
    attached_before = _triggers_and_indexes()
    assert all(rows_before.values()), rows_before
    # when it migrates to the latest state
    latest = _executor().loader.graph.leaf_nodes()
    apps = _migrate(latest)
    # then every row is where it was, with the same ids and foreign keys
    assert _rows() == rows_before
    # and the OCOP app reads them through its own models
    Producer = apps.get_model("ocop", "Producer")
    Certificate = apps.get_model("ocop", "Certificate")
    Product = apps.get_model("catalogue", "Product")
    assert sorted(
        Producer.objects.filter(pk__gte=900000).values_list("pk", "registry_province")
    ) == [
        (900041, "Hà Nội"),
        (900057, "Huế"),
    ]
    vase = Certificate.objects.select_related("producer").get(registry_id=9001)
    assert (vase.pk, vase.producer.pk, vase.raw["name"]) == (900301, 900041, "Bình gốm men lam")
    assert (
        Product.objects.select_related("certificate__producer").get(pk=900501).certificate == vase
    )
    assert list(Certificate.objects.get(pk=900302).unreadable_records.values_list("reason")) == [
        ("sao",)
    ]
    assert apps.get_model("order", "Parcel").objects.get().producer == Producer.objects.get(
        pk=900041
    )
    # and new rows continue the old numbering instead of colliding with it
    partner = apps.get_model("partner", "Partner").objects.create(name="HTX mới")
    newcomer = Producer.objects.create(registry_key="htx moi", name="HTX mới", partner=partner)
    assert newcomer.pk > kept["numbered"]
    # and the content type was renamed, not replaced: the group keeps its permission
    ContentType = apps.get_model("contenttypes", "ContentType")
    assert ContentType.objects.get(pk=kept["content_type"]).app_label == "ocop"
    assert not ContentType.objects.filter(app_label="registry", model="producer").exists()
    group = apps.get_model("auth", "Group").objects.get(pk=kept["group"])
    assert list(group.permissions.values_list("pk", flat=True)) == [kept["permission"]]
    # and the page cache's triggers and the lookup's indexes are still attached
    assert _triggers_and_indexes() == attached_before
    if connection.vendor == "postgresql":
        assert any(name.startswith("ocop_gen_") for name in attached_before), attached_before

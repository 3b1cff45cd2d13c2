"""Label decision-list certificates and runs, and fold repeated rejections;
its own migration, because PostgreSQL refuses to alter a table in the
transaction that changed its rows (pending trigger events)."""

from django.db import migrations


def _digest(raw) -> str:
    """Same canonical form as `records.raw_digest` at the time of writing;
    copied, because a migration must not import live code."""
    import hashlib
    import json

    canonical = json.dumps(raw, sort_keys=True, ensure_ascii=False, separators=(",", ":"))
    return hashlib.blake2b(canonical.encode(), digest_size=16).hexdigest()


def sources_label_and_rejections_dedupe(apps, schema_editor):
    """Label decision-list certificates and runs (negative hashed ids, file
    sources), then fold repeated rejections into one row per distinct record
    with its first/last sighting and count."""
    Certificate = apps.get_model("registry", "Certificate")
    SyncRun = apps.get_model("registry", "SyncRun")
    RejectedRecord = apps.get_model("registry", "RejectedRecord")
    Certificate.objects.filter(registry_id__lt=0).update(source="decision_list")
    for suffix in (".csv", ".xlsx", ".CSV", ".XLSX"):
        SyncRun.objects.filter(source__endswith=suffix).update(source_kind="decision_list")
    # Before, a run ended "alert" only when its crawl shrank suspiciously.
    SyncRun.objects.filter(status="alert").update(shrink_guarded=True)
    kept = {}
    for rejection in RejectedRecord.objects.order_by("pk").iterator():
        kind = "decision_list" if "_rejected_reason" in (rejection.raw or {}) else "national"
        key = (kind, _digest(rejection.raw))
        first = kept.get(key)
        if first is None:
            rejection.source_kind, rejection.digest = key
            rejection.first_run_id = rejection.sync_run_id
            rejection.last_seen_at = rejection.created_at
            rejection.seen_count = 1
            kept[key] = rejection
            continue
        first.seen_count += 1
        first.sync_run_id = rejection.sync_run_id
        first.last_seen_at = rejection.created_at
        first.reason = rejection.reason
        rejection.delete()
    for rejection in kept.values():
        rejection.save()


class Migration(migrations.Migration):
    dependencies = [("registry", "0005_national_scale")]

    operations = [
        migrations.RunPython(sources_label_and_rejections_dedupe, migrations.RunPython.noop),
    ]

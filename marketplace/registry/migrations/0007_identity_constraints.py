"""The identity and distinct-rejection constraints, once 0006 has made the
data satisfy them."""

from django.db import migrations, models


class Migration(migrations.Migration):
    dependencies = [("registry", "0006_sources_label_and_rejections_dedupe")]

    operations = [
        migrations.AddConstraint(
            model_name="producer",
            constraint=models.UniqueConstraint(
                fields=("registry_key", "registry_province"), name="one_producer_per_identity"
            ),
        ),
        migrations.AddConstraint(
            model_name="rejectedrecord",
            constraint=models.UniqueConstraint(
                fields=("source_kind", "digest"), name="one_rejection_per_distinct_record"
            ),
        ),
    ]

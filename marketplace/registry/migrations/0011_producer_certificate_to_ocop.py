"""Producer and Certificate leave the registry app for `marketplace.ocop`,
state only: their tables (`registry_producer`, `registry_certificate`), rows,
ids, indexes, constraints and the page cache's `ocop_gen_*` triggers stay
as they are. The sync's own models point their foreign keys at the new
home first; every other app's did so in its own migration (listed below),
so nothing points at the registry's copy when it is deleted from the state.
"""

import django.db.models.deletion
from django.db import migrations, models


class Migration(migrations.Migration):

    dependencies = [
        ('catalogue', '0037_product_certificate_to_ocop'),
        ('cms', '0003_village_producers_to_ocop'),
        ('ocop', '0001_initial'),
        ('order', '0026_parcel_producer_to_ocop'),
        ('producers', '0003_producer_to_ocop'),
        ('registry', '0010_registry_photos'),
    ]

    operations = [
        migrations.SeparateDatabaseAndState(
            state_operations=[
                migrations.AlterField(
                    model_name='rejectedrecord',
                    name='certificate',
                    field=models.ForeignKey(blank=True, null=True, on_delete=django.db.models.deletion.SET_NULL, related_name='unreadable_records', to='ocop.certificate'),
                ),
                migrations.AlterField(
                    model_name='expirywarning',
                    name='certificate',
                    field=models.ForeignKey(on_delete=django.db.models.deletion.CASCADE, related_name='warnings', to='ocop.certificate'),
                ),
                migrations.AlterField(
                    model_name='certificatechange',
                    name='certificate',
                    field=models.ForeignKey(on_delete=django.db.models.deletion.CASCADE, related_name='changes', to='ocop.certificate'),
                ),
                migrations.AlterField(
                    model_name='registryphoto',
                    name='certificate',
                    field=models.ForeignKey(on_delete=django.db.models.deletion.CASCADE, related_name='photos', to='ocop.certificate'),
                ),
                migrations.RemoveField(
                    model_name='producer',
                    name='partner',
                ),
                migrations.AlterField(
                    model_name='producersplit',
                    name='new_producer',
                    field=models.ForeignKey(on_delete=django.db.models.deletion.CASCADE, related_name='+', to='ocop.producer', verbose_name='chủ thể tách ra'),
                ),
                migrations.AlterField(
                    model_name='producersplit',
                    name='producer',
                    field=models.ForeignKey(on_delete=django.db.models.deletion.CASCADE, related_name='+', to='ocop.producer', verbose_name='chủ thể giữ lại'),
                ),
                migrations.DeleteModel(
                    name='Certificate',
                ),
                migrations.DeleteModel(
                    name='Producer',
                ),
            ],
        ),
    ]

"""`Parcel.producer` now points at `ocop.Producer`: state only.

The Producer model moved from the registry app to the OCOP domain app with
its table kept (`registry_producer`), so the column and its foreign key
constraint in the database stay exactly as they are.
"""

import django.db.models.deletion
from django.db import migrations, models


class Migration(migrations.Migration):

    dependencies = [
        ('ocop', '0001_initial'),
        ('order', '0025_payment_method_vietqr'),
    ]

    operations = [
        migrations.SeparateDatabaseAndState(
            state_operations=[
                migrations.AlterField(
                    model_name='parcel',
                    name='producer',
                    field=models.ForeignKey(on_delete=django.db.models.deletion.PROTECT, related_name='parcels', to='ocop.producer'),
                ),
            ],
        ),
    ]

"""`CraftVillagePage.producers` now points at `ocop.Producer`: state only.

The Producer model moved from the registry app to the OCOP domain app with
its table kept (`registry_producer`), so the link table
(`cms_craftvillagepage_producers`, column `producer_id`) and its foreign key
constraint stay exactly as they are.
"""

import modelcluster.fields
from django.db import migrations


class Migration(migrations.Migration):

    dependencies = [
        ('cms', '0002_fairs_events_villages'),
        ('ocop', '0001_initial'),
    ]

    operations = [
        migrations.SeparateDatabaseAndState(
            state_operations=[
                migrations.AlterField(
                    model_name='craftvillagepage',
                    name='producers',
                    field=modelcluster.fields.ParentalManyToManyField(blank=True, related_name='villages', to='ocop.producer', verbose_name='chủ thể trong làng'),
                ),
            ],
        ),
    ]

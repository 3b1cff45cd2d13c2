"""`Product.certificate` now points at `ocop.Certificate`: state only.

The Certificate model moved from the registry app to the OCOP domain app with
its table kept (`registry_certificate`), so the column and its foreign key
constraint in the database stay exactly as they are.
"""

import django.db.models.deletion
from django.db import migrations, models


class Migration(migrations.Migration):

    dependencies = [
        ('catalogue', '0036_product_search_text_trgm'),
        ('ocop', '0001_initial'),
    ]

    operations = [
        migrations.SeparateDatabaseAndState(
            state_operations=[
                migrations.AlterField(
                    model_name='product',
                    name='certificate',
                    field=models.OneToOneField(blank=True, null=True, on_delete=django.db.models.deletion.PROTECT, related_name='product', to='ocop.certificate', verbose_name='chứng nhận OCOP'),
                ),
            ],
        ),
    ]

"""Who carries a shipped parcel, beside its tracking number, for the buyer."""

from django.db import migrations, models


class Migration(migrations.Migration):

    dependencies = [
        ('order', '0023_order_status_choices'),
    ]

    operations = [
        migrations.AddField(
            model_name='parcel',
            name='carrier',
            field=models.CharField(blank=True, max_length=64, verbose_name='đơn vị vận chuyển'),
        ),
    ]

"""Labels for Oscar's order status codes; choices only, so no SQL runs."""

from django.db import migrations, models


class Migration(migrations.Migration):

    dependencies = [
        ('order', '0022_payment_and_parcels'),
    ]

    operations = [
        migrations.AlterField(
            model_name='order',
            name='status',
            field=models.CharField(blank=True, choices=[('placed', 'Đã đặt'), ('packed', 'Đã đóng gói'), ('shipped', 'Đang giao'), ('delivered', 'Đã giao'), ('cancelled', 'Đã huỷ'), ('refunded', 'Đã hoàn tiền')], max_length=100, verbose_name='trạng thái'),
        ),
    ]

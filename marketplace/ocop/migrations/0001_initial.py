"""Producer and Certificate move here from the registry app, with no data copied.

State only: the models take over the tables the registry's migrations made
(`registry_producer`, `registry_certificate`, named in their `db_table`),
so every row, id, index, constraint and foreign key in the database stays as
it is, and so do the page cache's `ocop_gen_*` triggers on those tables.
registry 0011 then deletes the registry's copies from the state, after the
other apps' foreign keys point here (catalogue 0037, cms 0003, order 0026,
producers 0003).

The two content types are renamed (registry → ocop) rather than created
anew, so permissions granted on producers or certificates, and Wagtail's
reference index and log entries that name them, keep pointing at them.
"""

import django.db.models.deletion
import django.utils.timezone
from django.db import migrations, models


MOVED = ("producer", "certificate")


def _content_types_relabel(apps, old: str, new: str) -> None:
    """Rename the moved models' content types from `old` to `new`. A
    content type already made under the new label (only possible if
    post_migrate ran between the two states) is left alone, and so is the
    old one."""
    ContentType = apps.get_model("contenttypes", "ContentType")
    for model in MOVED:
        if ContentType.objects.filter(app_label=new, model=model).exists():
            continue
        ContentType.objects.filter(app_label=old, model=model).update(app_label=new)
    ContentType.objects.clear_cache()


def content_types_to_ocop(apps, schema_editor):
    _content_types_relabel(apps, "registry", "ocop")


def content_types_to_registry(apps, schema_editor):
    _content_types_relabel(apps, "ocop", "registry")


class Migration(migrations.Migration):

    initial = True

    dependencies = [
        ('contenttypes', '0002_remove_content_type_name'),
        ('partner', '0007_partneraddress_code'),
        # The tables these models take over are created (and last altered)
        # by the registry's migrations up to here.
        ('registry', '0010_registry_photos'),
    ]

    operations = [
        migrations.SeparateDatabaseAndState(
            state_operations=[
                migrations.CreateModel(
                    name='Producer',
                    fields=[
                        ('id', models.BigAutoField(auto_created=True, primary_key=True, serialize=False, verbose_name='ID')),
                        ('registry_key', models.CharField(max_length=255)),
                        ('registry_province', models.CharField(blank=True, max_length=100, null=True)),
                        ('name', models.CharField(max_length=255, verbose_name='tên chủ thể')),
                        ('kind', models.CharField(choices=[('cooperative', 'Hợp tác xã'), ('company', 'Doanh nghiệp'), ('household', 'Hộ kinh doanh'), ('cooperative_group', 'Tổ hợp tác'), ('other', 'Khác')], default='other', max_length=20, verbose_name='loại hình')),
                        ('representative', models.CharField(blank=True, max_length=255, verbose_name='người đại diện')),
                        ('phone', models.CharField(blank=True, max_length=40, verbose_name='điện thoại')),
                        ('email', models.EmailField(blank=True, max_length=254, verbose_name='email')),
                        ('address_raw', models.CharField(blank=True, max_length=500, verbose_name='địa chỉ')),
                        ('province', models.CharField(blank=True, db_index=True, max_length=100, verbose_name='tỉnh/thành phố')),
                        ('district', models.CharField(blank=True, max_length=100, verbose_name='quận/huyện (địa chỉ cũ)')),
                        ('ward', models.CharField(blank=True, max_length=100, verbose_name='xã/phường')),
                        ('is_active', models.BooleanField(default=True, verbose_name='đang hoạt động')),
                        ('allows_pickup', models.BooleanField(default=False, verbose_name='cho nhận hàng tại cơ sở')),
                        ('story', models.TextField(blank=True, verbose_name='câu chuyện của chủ thể')),
                        ('created_at', models.DateTimeField(auto_now_add=True)),
                        ('updated_at', models.DateTimeField(auto_now=True)),
                        ('partner', models.OneToOneField(on_delete=django.db.models.deletion.PROTECT, related_name='producer', to='partner.partner')),
                    ],
                    options={
                        'verbose_name': 'chủ thể OCOP',
                        'verbose_name_plural': 'chủ thể OCOP',
                        'db_table': 'registry_producer',
                        'ordering': ['name'],
                    },
                ),
                migrations.CreateModel(
                    name='Certificate',
                    fields=[
                        ('id', models.BigAutoField(auto_created=True, primary_key=True, serialize=False, verbose_name='ID')),
                        ('registry_id', models.BigIntegerField(unique=True, verbose_name='mã sản phẩm trên hệ thống')),
                        ('number', models.CharField(max_length=100, verbose_name='số chứng nhận / quyết định')),
                        ('name', models.CharField(max_length=255, verbose_name='tên sản phẩm được chứng nhận')),
                        ('stars', models.PositiveSmallIntegerField(verbose_name='số sao')),
                        ('is_potential_five_star', models.BooleanField(default=False, verbose_name='tiềm năng 5 sao')),
                        ('is_national', models.BooleanField(default=False, verbose_name='cấp trung ương')),
                        ('issued_on', models.DateField(verbose_name='ngày ký quyết định')),
                        ('expiry_date', models.DateField(db_index=True, verbose_name='ngày hết hạn')),
                        ('product_type', models.CharField(choices=[('food', 'Thực phẩm'), ('drink', 'Đồ uống'), ('herbs', 'Thảo dược'), ('cloth', 'Vải và may mặc'), ('keepsake', 'Lưu niệm, nội thất, trang trí'), ('travel', 'Dịch vụ du lịch cộng đồng')], max_length=20, verbose_name='nhóm (mã cũ)')),
                        ('sector', models.CharField(blank=True, choices=[('food', 'Thực phẩm'), ('beverage', 'Đồ uống'), ('herbal', 'Thảo dược'), ('handicraft', 'Thủ công mỹ nghệ'), ('ornamental', 'Sinh vật cảnh'), ('tourism', 'Dịch vụ du lịch cộng đồng và điểm du lịch')], max_length=20, verbose_name='ngành')),
                        ('status', models.CharField(choices=[('valid', 'Còn hiệu lực'), ('withdrawn', 'Đã thu hồi'), ('suspended', 'Tạm đình chỉ')], db_index=True, default='valid', max_length=20, verbose_name='trạng thái')),
                        ('source', models.CharField(choices=[('national', 'Hệ thống OCOP quốc gia'), ('decision_list', 'Danh sách quyết định của tỉnh')], default='national', max_length=20, verbose_name='nguồn')),
                        ('raw', models.JSONField(verbose_name='bản ghi gốc')),
                        ('raw_digest', models.CharField(blank=True, max_length=32)),
                        ('list_record', models.JSONField(blank=True, null=True, verbose_name='dòng trong danh sách quyết định')),
                        ('unreadable_crawls', models.PositiveIntegerField(default=0)),
                        ('unreadable_since', models.DateTimeField(blank=True, null=True)),
                        ('first_seen_at', models.DateTimeField(default=django.utils.timezone.now)),
                        ('last_seen_at', models.DateTimeField(default=django.utils.timezone.now)),
                        ('status_changed_at', models.DateTimeField(blank=True, null=True)),
                        ('producer', models.ForeignKey(on_delete=django.db.models.deletion.PROTECT, related_name='certificates', to='ocop.producer')),
                    ],
                    options={
                        'verbose_name': 'chứng nhận OCOP',
                        'verbose_name_plural': 'chứng nhận OCOP',
                        'db_table': 'registry_certificate',
                    },
                ),
                migrations.AddConstraint(
                    model_name='producer',
                    constraint=models.UniqueConstraint(fields=('registry_key', 'registry_province'), name='one_producer_per_identity'),
                ),
                migrations.AddIndex(
                    model_name='certificate',
                    index=models.Index(fields=['status', 'stars', 'issued_on', 'expiry_date'], name='registry_ce_status_510c56_idx'),
                ),
            ],
        ),
        migrations.RunPython(content_types_to_ocop, content_types_to_registry),
    ]

"""The producer of memberships, claims and workspace changes now points at `ocop.Producer`: state only.

The Producer model moved from the registry app to the OCOP domain app with
its table kept (`registry_producer`), so the column and its foreign key
constraint in the database stay exactly as they are.
"""

import django.db.models.deletion
from django.db import migrations, models


class Migration(migrations.Migration):

    dependencies = [
        ('ocop', '0001_initial'),
        ('producers', '0002_workspace'),
    ]

    operations = [
        migrations.SeparateDatabaseAndState(
            state_operations=[
                migrations.AlterField(
                    model_name='producerclaim',
                    name='producer',
                    field=models.ForeignKey(on_delete=django.db.models.deletion.CASCADE, related_name='claims', to='ocop.producer'),
                ),
                migrations.AlterField(
                    model_name='producermembership',
                    name='producer',
                    field=models.ForeignKey(on_delete=django.db.models.deletion.CASCADE, related_name='memberships', to='ocop.producer'),
                ),
                migrations.AlterField(
                    model_name='workspacechange',
                    name='producer',
                    field=models.ForeignKey(on_delete=django.db.models.deletion.CASCADE, related_name='workspace_changes', to='ocop.producer'),
                ),
            ],
        ),
    ]

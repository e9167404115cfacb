"""Every job says whose it is; existing ones join the default workspace."""

import django.db.models.deletion
from django.db import migrations, models


def from_brand(apps, schema_editor):
    Model = apps.get_model("agents", "job")
    Workspace = apps.get_model("accounts", "Workspace")
    # A job has no brand of its own: every existing one is the default workspace's.
    if Model.objects.filter(workspace__isnull=True).exists():
        default = Workspace.objects.filter(slug="default").first()
        if default is not None:
            Model.objects.filter(workspace__isnull=True).update(workspace=default)


class Migration(migrations.Migration):
    dependencies = [
        ("brands", "0006_brand_workspace"),
        ("agents", "0006_request_windows"),
    ]

    operations = [
        migrations.AddField(
            model_name="job",
            name="workspace",
            field=models.ForeignKey(
                blank=True,
                help_text="Whose work it is (empty: the installation's own, such as a retention run).",
                null=True,
                on_delete=django.db.models.deletion.CASCADE,
                related_name="+",
                to="accounts.workspace",
            ),
        ),
        migrations.RunPython(from_brand, migrations.RunPython.noop),
    ]

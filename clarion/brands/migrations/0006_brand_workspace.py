"""Brands belong to a workspace: existing ones join the default workspace."""

import django.db.models.deletion
from django.db import migrations, models


def into_default_workspace(apps, schema_editor):
    Workspace = apps.get_model("accounts", "Workspace")
    Brand = apps.get_model("brands", "Brand")
    if not Brand.objects.exists():
        return
    workspace, _ = Workspace.objects.get_or_create(slug="default", defaults={"name": "Default"})
    Brand.objects.filter(workspace__isnull=True).update(workspace=workspace)


class Migration(migrations.Migration):
    dependencies = [
        ("accounts", "0002_workspaces"),
        ("brands", "0005_brand_approval_required"),
    ]

    operations = [
        migrations.AddField(
            model_name="brand",
            name="workspace",
            field=models.ForeignKey(
                null=True,
                on_delete=django.db.models.deletion.CASCADE,
                related_name="brands",
                to="accounts.workspace",
            ),
        ),
        migrations.RunPython(into_default_workspace, migrations.RunPython.noop),
        migrations.AlterField(
            model_name="brand",
            name="workspace",
            field=models.ForeignKey(
                on_delete=django.db.models.deletion.CASCADE,
                related_name="brands",
                to="accounts.workspace",
            ),
        ),
        migrations.AlterField(
            model_name="brand",
            name="slug",
            field=models.SlugField(help_text="Unique in its workspace.", max_length=80),
        ),
        migrations.AlterModelOptions(
            name="brand",
            options={"ordering": ["brand_name", "pk"]},
        ),
        migrations.AddConstraint(
            model_name="brand",
            constraint=models.UniqueConstraint(
                fields=("workspace", "slug"), name="unique_brand_slug"
            ),
        ),
    ]

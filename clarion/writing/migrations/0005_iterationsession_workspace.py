"""Every iterationsession says whose it is; existing ones take their brand's workspace."""

import django.db.models.deletion
from django.db import migrations, models


def from_brand(apps, schema_editor):
    Model = apps.get_model("writing", "iterationsession")
    Workspace = apps.get_model("accounts", "Workspace")
    Brand = apps.get_model("brands", "Brand")
    brand_workspace = Brand.objects.filter(pk=models.OuterRef("brand_id")).values("workspace_id")
    Model.objects.filter(brand__isnull=False).update(workspace=models.Subquery(brand_workspace[:1]))
    if Model.objects.filter(workspace__isnull=True).exists():
        default = Workspace.objects.filter(slug="default").first()
        if default is not None:
            Model.objects.filter(workspace__isnull=True).update(workspace=default)


class Migration(migrations.Migration):
    dependencies = [
        ("brands", "0006_brand_workspace"),
        ("writing", "0004_turn_quality"),
    ]

    operations = [
        migrations.AddField(
            model_name="iterationsession",
            name="workspace",
            field=models.ForeignKey(
                blank=True,
                help_text="Whose session it is: its brand's workspace, or the requester's.",
                null=True,
                on_delete=django.db.models.deletion.CASCADE,
                related_name="+",
                to="accounts.workspace",
            ),
        ),
        migrations.RunPython(from_brand, migrations.RunPython.noop),
    ]

"""Every dailyrun says whose it is; existing ones take their brand's workspace."""

import django.db.models.deletion
from django.db import migrations, models


def from_brand(apps, schema_editor):
    Model = apps.get_model("publishing", "dailyrun")
    Workspace = apps.get_model("accounts", "Workspace")
    Brand = apps.get_model("brands", "Brand")
    brand_workspace = Brand.objects.filter(pk=models.OuterRef("brand_id")).values("workspace_id")
    Model.objects.filter(brand__isnull=False).update(workspace=models.Subquery(brand_workspace[:1]))
    if Model.objects.filter(workspace__isnull=True).exists():
        default = Workspace.objects.filter(slug="default").first()
        if default is not None:
            Model.objects.filter(workspace__isnull=True).exclude(trigger="retention").update(
                workspace=default
            )


class Migration(migrations.Migration):
    dependencies = [
        ("brands", "0006_brand_workspace"),
        ("publishing", "0003_ledger_fencing"),
    ]

    operations = [
        migrations.AddField(
            model_name="dailyrun",
            name="workspace",
            field=models.ForeignKey(
                blank=True,
                help_text="Whose run it is (empty: every workspace's brands, or the retention run).",
                null=True,
                on_delete=django.db.models.deletion.CASCADE,
                related_name="+",
                to="accounts.workspace",
            ),
        ),
        migrations.RunPython(from_brand, migrations.RunPython.noop),
    ]

"""Workspaces: every existing member and token joins the default workspace."""

import django.db.models.deletion
import django.utils.timezone
from django.db import migrations, models


def into_default_workspace(apps, schema_editor):
    Workspace = apps.get_model("accounts", "Workspace")
    Membership = apps.get_model("accounts", "Membership")
    ApiToken = apps.get_model("accounts", "ApiToken")
    if not (Membership.objects.exists() or ApiToken.objects.exists()):
        return
    workspace, _ = Workspace.objects.get_or_create(slug="default", defaults={"name": "Default"})
    Membership.objects.filter(workspace__isnull=True).update(workspace=workspace)
    ApiToken.objects.filter(workspace__isnull=True).update(workspace=workspace)


class Migration(migrations.Migration):
    dependencies = [
        ("accounts", "0001_initial"),
    ]

    operations = [
        migrations.CreateModel(
            name="Workspace",
            fields=[
                (
                    "id",
                    models.BigAutoField(
                        auto_created=True, primary_key=True, serialize=False, verbose_name="ID"
                    ),
                ),
                ("name", models.CharField(max_length=100)),
                ("slug", models.SlugField(max_length=80, unique=True)),
                ("created_at", models.DateTimeField(default=django.utils.timezone.now)),
            ],
            options={"ordering": ["name", "pk"]},
        ),
        migrations.RemoveConstraint(model_name="membership", name="one_membership_per_user"),
        migrations.AddField(
            model_name="membership",
            name="workspace",
            field=models.ForeignKey(
                null=True,
                on_delete=django.db.models.deletion.CASCADE,
                related_name="memberships",
                to="accounts.workspace",
            ),
        ),
        migrations.AddField(
            model_name="apitoken",
            name="workspace",
            field=models.ForeignKey(
                null=True,
                help_text="The workspace the token acts in, with its user's role there.",
                on_delete=django.db.models.deletion.CASCADE,
                related_name="api_tokens",
                to="accounts.workspace",
            ),
        ),
        migrations.RunPython(into_default_workspace, migrations.RunPython.noop),
        migrations.AlterField(
            model_name="membership",
            name="workspace",
            field=models.ForeignKey(
                on_delete=django.db.models.deletion.CASCADE,
                related_name="memberships",
                to="accounts.workspace",
            ),
        ),
        migrations.AlterField(
            model_name="apitoken",
            name="workspace",
            field=models.ForeignKey(
                help_text="The workspace the token acts in, with its user's role there.",
                on_delete=django.db.models.deletion.CASCADE,
                related_name="api_tokens",
                to="accounts.workspace",
            ),
        ),
        migrations.AlterModelOptions(
            name="membership",
            options={"ordering": ["workspace__name", "created_at", "pk"]},
        ),
        migrations.AddConstraint(
            model_name="membership",
            constraint=models.UniqueConstraint(
                fields=("workspace", "user"), name="one_membership_per_workspace"
            ),
        ),
    ]

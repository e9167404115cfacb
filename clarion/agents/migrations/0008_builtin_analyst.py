from django.db import migrations


def seed(apps, schema_editor):
    from clarion.agents.roster import seed_builtin_team

    seed_builtin_team(apps.get_model("agents", "Agent"))  # adds Sage, the analyst


class Migration(migrations.Migration):
    dependencies = [("agents", "0007_job_workspace")]

    operations = [migrations.RunPython(seed, migrations.RunPython.noop)]

from django.db import migrations


def seed(apps, schema_editor):
    from clarion.agents.roster import seed_builtin_team

    seed_builtin_team(apps.get_model("agents", "Agent"))  # adds Mira, the planner


class Migration(migrations.Migration):
    dependencies = [("agents", "0003_agentmemory")]

    operations = [migrations.RunPython(seed, migrations.RunPython.noop)]

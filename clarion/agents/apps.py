from __future__ import annotations

from typing import Any

from django.apps import AppConfig
from django.db.models.signals import post_save


def _give_new_workspace_a_team(sender: Any, instance: Any, created: bool, **kwargs: Any) -> None:
    if not created or kwargs.get("raw"):
        return
    from clarion.agents.models import Agent, Team
    from clarion.agents.roster import give_team

    give_team(Agent, Team, instance.pk)


class AgentsConfig(AppConfig):
    name = "clarion.agents"
    label = "agents"
    default_auto_field = "django.db.models.BigAutoField"

    def ready(self) -> None:
        post_save.connect(
            _give_new_workspace_a_team,
            sender="accounts.Workspace",
            dispatch_uid="clarion.agents.give_team",
        )

from __future__ import annotations

from django.apps import AppConfig


class AgentsConfig(AppConfig):
    name = "clarion.agents"
    label = "agents"
    default_auto_field = "django.db.models.BigAutoField"

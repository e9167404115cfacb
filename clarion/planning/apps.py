from __future__ import annotations

from django.apps import AppConfig


class PlanningConfig(AppConfig):
    name = "clarion.planning"
    label = "planning"
    default_auto_field = "django.db.models.BigAutoField"

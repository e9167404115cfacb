from __future__ import annotations

from django.apps import AppConfig


class AutomationConfig(AppConfig):
    name = "clarion.automation"
    label = "automation"
    default_auto_field = "django.db.models.BigAutoField"

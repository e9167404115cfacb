from __future__ import annotations

from django.apps import AppConfig


class WritingConfig(AppConfig):
    name = "clarion.writing"
    label = "writing"
    default_auto_field = "django.db.models.BigAutoField"

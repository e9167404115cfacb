from __future__ import annotations

from django.apps import AppConfig


class BrandsConfig(AppConfig):
    name = "clarion.brands"
    label = "brands"
    default_auto_field = "django.db.models.BigAutoField"

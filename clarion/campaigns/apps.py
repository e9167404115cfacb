from __future__ import annotations

from django.apps import AppConfig


class CampaignsConfig(AppConfig):
    name = "clarion.campaigns"
    label = "campaigns"
    default_auto_field = "django.db.models.BigAutoField"

from __future__ import annotations

from django.apps import AppConfig


class CrmConfig(AppConfig):
    name = "clarion.crm"
    label = "crm"
    default_auto_field = "django.db.models.BigAutoField"
    verbose_name = "Leads"

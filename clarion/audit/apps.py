from __future__ import annotations

from django.apps import AppConfig


class AuditConfig(AppConfig):
    name = "clarion.audit"
    label = "audit"
    default_auto_field = "django.db.models.BigAutoField"

    def ready(self) -> None:
        # Sign-ins happen inside Django's auth views: its signals are how we hear of them.
        from clarion.audit import signins

        signins.connect()

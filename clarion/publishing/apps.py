from __future__ import annotations

from django.apps import AppConfig


class PublishingConfig(AppConfig):
    name = "clarion.publishing"
    label = "publishing"
    default_auto_field = "django.db.models.BigAutoField"

    def ready(self) -> None:
        from clarion.publishing import checks  # noqa: F401  (registers the system checks)

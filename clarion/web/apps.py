from __future__ import annotations

from django.apps import AppConfig


class WebConfig(AppConfig):
    name = "clarion.web"
    label = "web"
    verbose_name = "Clarion web app"

"""System checks for publishing settings (ids clarion.W101 …)."""

from __future__ import annotations

from typing import Any

from django.conf import settings
from django.core.checks import CheckMessage, Warning, register


@register()
def check_package_secret(app_configs: Any = None, **kwargs: Any) -> list[CheckMessage]:
    secret: str = settings.CLARION_PACKAGE_SECRET
    if secret and len(secret) < 32:
        return [
            Warning(
                "CLARION_PACKAGE_SECRET is shorter than 32 characters: content packages are "
                "signed with it.",
                hint="Use a long random value, or leave it unset to derive one from the secret key.",
                id="clarion.W101",
            )
        ]
    return []

"""System checks for Clarion's configuration, with stable ids (clarion.E001 …)."""

from __future__ import annotations

from typing import Any

from django.conf import settings
from django.core.checks import CheckMessage, Error, Warning, register


@register()
def check_llm_setting(app_configs: Any = None, **kwargs: Any) -> list[CheckMessage]:
    from clarion.agents.llm import LLMConfigError, parse_spec

    try:
        parse_spec(settings.CLARION_LLM)
    except LLMConfigError as exc:
        error_id = "clarion.E002" if "CLARION_LLM_BASE_URL" in str(exc) else "clarion.E001"
        return [Error(str(exc), hint="See the README's 'Choosing a model' section.", id=error_id)]
    return []


@register()
def check_secret_key(app_configs: Any = None, **kwargs: Any) -> list[CheckMessage]:
    if len(settings.SECRET_KEY) < 32:
        return [
            Warning(
                "CLARION_SECRET_KEY is shorter than 32 characters.",
                hint="Use a long random value, e.g. python3 -c 'import secrets; print(secrets.token_urlsafe(50))'.",
                id="clarion.W001",
            )
        ]
    return []


@register()
def check_encryption_keys(app_configs: Any = None, **kwargs: Any) -> list[CheckMessage]:
    from clarion.core.secrets import HOW_TO_MAKE_A_KEY, key_problems

    return [
        Error(problem, hint=f"Make a key with: {HOW_TO_MAKE_A_KEY}", id="clarion.E003")
        for problem in key_problems(list(settings.CLARION_ENCRYPTION_KEYS))
    ]

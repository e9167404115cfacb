"""Errors every interface turns into a clear message (CLI exit 2, API 422/404)."""

from __future__ import annotations


class InvalidInput(ValueError):
    """Input that breaks a rule; ``field`` names the offending field."""

    def __init__(self, field: str, message: str) -> None:
        super().__init__(f"{field}: {message}")
        self.field = field
        self.message = message


class NotFound(LookupError):
    """The named object does not exist (in this workspace)."""


class Conflict(ValueError):
    """The request clashes with what exists (a taken slug, say)."""


class Unavailable(RuntimeError):
    """A model or service Clarion depends on failed; nothing was changed."""


class LLMConfigError(ValueError):
    """The configured model cannot be used; the message says how to fix it."""


class Forbidden(PermissionError):
    """The person may see this workspace but not do this in it (a viewer writing, say)."""


def as_sentence(exc: BaseException) -> str:
    """An error's message as a page shows it: a capital first letter and a full stop."""
    text = str(exc)
    return text[:1].upper() + text[1:] + "."

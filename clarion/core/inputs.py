"""Input rules shared by every service: text without control characters, numbers within bounds."""

from __future__ import annotations

from clarion.core.errors import InvalidInput
from clarion.core.text import refused_in_text


def clean_text(field: str, value: str) -> str:
    """``value`` as it is, or an InvalidInput naming ``field`` when it holds a control character.

    Tab, line feed and carriage return are text; every other C0 control
    character (NUL first of all: PostgreSQL cannot store it) is refused.
    """
    found = refused_in_text(value)
    if found is not None:
        raise InvalidInput(field, found.message)
    return value


def required_text(field: str, value: str | None, limit: int, *, one_line: bool = False) -> str:
    """``value`` stripped (``one_line``: white space collapsed to single spaces).

    Control characters, nothing but white space, or over ``limit`` characters
    is an InvalidInput naming ``field``.
    """
    text = clean_text(field, value or "").strip()
    if one_line:
        text = " ".join(text.split())
    if not text:
        raise InvalidInput(field, "must not be empty")
    if len(text) > limit:
        raise InvalidInput(field, f"must be at most {limit} characters (got {len(text)})")
    return text


def within(field: str, value: int, low: int, high: int) -> int:
    """``value`` when ``low <= value <= high``; an InvalidInput naming ``field`` otherwise."""
    if not low <= value <= high:
        raise InvalidInput(field, f"must be between {low} and {high} (got {value})")
    return value

"""Input rules shared by every service: required text and numbers within bounds."""

from __future__ import annotations

from clarion.core.errors import InvalidInput


def required_text(field: str, value: str | None, limit: int, *, one_line: bool = False) -> str:
    """``value`` stripped (``one_line``: NULs dropped, white space collapsed to single spaces).

    Empty or over ``limit`` characters is an InvalidInput naming ``field``.
    """
    text = (value or "").strip()
    if one_line:
        text = " ".join(text.replace("\x00", " ").split())
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

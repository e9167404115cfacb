"""Error shapes every endpoint documents."""

from __future__ import annotations

from typing import Any

from ninja import Schema


class ErrorOut(Schema):
    detail: str


class ValidationErrorOut(Schema):
    detail: list[dict[str, Any]]


NOT_FOUND = {404: ErrorOut}
FORBIDDEN = {403: ErrorOut}
INVALID = {400: ErrorOut, 422: ValidationErrorOut}
CONFLICT = {409: ErrorOut}
UNAVAILABLE = {503: ErrorOut}

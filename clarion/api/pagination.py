"""Limit/offset pagination with a bounded offset (a huge offset is a 422, not a database error)."""

from __future__ import annotations

from django.conf import settings
from ninja import Field, Schema
from ninja.pagination import LimitOffsetPagination


class Pages(LimitOffsetPagination):
    class Input(Schema):
        limit: int = Field(
            settings.NINJA_PAGINATION_PER_PAGE, ge=1, le=settings.NINJA_PAGINATION_MAX_LIMIT
        )
        offset: int = Field(0, ge=0, le=settings.NINJA_PAGINATION_MAX_OFFSET)

from __future__ import annotations

from datetime import datetime

from ninja import Schema
from pydantic import Field


class TokenIn(Schema):
    name: str = Field(min_length=1, max_length=100, description="what the token is for")
    expires_in_days: int | None = Field(
        90, ge=1, le=3650, description="days until it expires; null: never"
    )


class TokenOut(Schema):
    id: int
    name: str
    prefix: str = Field(description="the start of the token, to recognise it")
    created_at: datetime
    last_used_at: datetime | None
    expires_at: datetime | None
    revoked_at: datetime | None
    state: str = Field(description="active, expired or revoked")


class NewTokenOut(TokenOut):
    token: str = Field(description="the token itself: shown only in this answer")


class MeOut(Schema):
    email: str
    role: str | None
    api_token: TokenOut | None = Field(description="the API token this request came with, if any")

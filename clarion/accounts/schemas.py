from __future__ import annotations

from datetime import datetime
from typing import Literal

from ninja import Schema
from pydantic import Field, field_validator


class TokenIn(Schema):
    name: str = Field(min_length=1, max_length=100, description="what the token is for")
    expires_in_days: int | None = Field(
        90, ge=1, le=3650, description="days until it expires; null: never"
    )

    @field_validator("expires_in_days", mode="before")
    @classmethod
    def _not_a_boolean(cls, value: object) -> object:
        if isinstance(value, bool):
            raise ValueError("must be a number of days, not true or false")
        return value


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
    workspace: str = Field(description="the slug of the workspace this request acts in")
    role: str = Field(description="your role in it")
    api_token: TokenOut | None = Field(description="the API token this request came with, if any")


class WorkspaceOut(Schema):
    id: int
    slug: str
    name: str
    role: str = Field(description="your role in it: owner, editor or viewer")
    current: bool = Field(description="whether this request acts in it")


class WorkspaceIn(Schema):
    name: str = Field(min_length=1, max_length=100)


class SwitchIn(Schema):
    workspace: str = Field(min_length=1, max_length=80, description="the workspace's slug or id")


class MemberOut(Schema):
    id: int
    email: str
    role: str
    created_at: datetime


class MemberIn(Schema):
    email: str = Field(min_length=3, max_length=254, description="a person who can sign in")
    role: Literal["owner", "editor", "viewer"] = "editor"


class RoleIn(Schema):
    role: Literal["owner", "editor", "viewer"]

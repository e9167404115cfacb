"""API and CLI shapes of writer ↔ reviewer sessions."""

from __future__ import annotations

from datetime import datetime
from typing import Any, Literal

from ninja import Schema
from pydantic import Field, StrictBool, field_validator

from clarion.agents.schemas import PlatformName
from clarion.core.text import NONBLANK_PATTERN
from clarion.writing.models import IterationSession


class SloganIn(Schema):
    brief: str = Field(
        min_length=1,
        max_length=1000,
        pattern=NONBLANK_PATTERN,
        description="What the slogan is for (1–1000 characters, not only white space).",
    )
    brand: str | None = Field(
        default=None, description="Brand id or slug whose brief guides the writer."
    )
    platform: PlatformName | None = Field(
        default=None, description="Write for this network's limits."
    )
    kind: Literal["slogan", "post"] = "slogan"
    max_turns: int | None = Field(default=None, ge=1, le=10)
    require_cta: StrictBool | None = None
    angle: str = Field(default="", max_length=200)
    hook_style: str = Field(default="", max_length=200)
    background: StrictBool = Field(
        default=False, description="Queue the session for the worker and return at once."
    )

    @field_validator("brief", mode="before")
    @classmethod
    def _strip(cls, value: Any) -> Any:
        return value.strip() if isinstance(value, str) else value


class PollOut(Schema):
    question: str
    options: list[str]


class TurnOut(Schema):
    turn_number: int
    text: str
    angle: str
    hook_style: str
    writer_notes: str
    decision: str
    feedback: str
    scores: dict[str, int]
    score: float | None
    fixes: list[str]
    check_failures: list[dict[str, str]]
    rejection_codes: list[str] = Field(
        description="Why the turn was not approved: check, quality and reviewer fix codes."
    )
    poll: PollOut | None = None
    approved: bool
    created_at: datetime
    reviewed_at: datetime | None


class UsageOut(Schema):
    requests: int
    input_tokens: int
    output_tokens: int


class SessionOut(Schema):
    id: int
    user_input: str
    brand: str | None
    kind: str
    platform: str
    origin: str
    model_name: str
    max_turns: int
    status: str
    completed: bool
    completion_reason: str
    final_text: str
    final_turn_number: int | None
    final_poll: PollOut | None = Field(
        default=None, description="The final draft's poll, when the post is a poll."
    )
    needs_human_review: bool
    error: str
    started_at: datetime
    completed_at: datetime | None
    job_id: int | None
    usage: UsageOut
    turns: list[TurnOut]

    @staticmethod
    def resolve_brand(obj: IterationSession) -> str | None:
        return obj.brand.slug if obj.brand else None

    @staticmethod
    def resolve_usage(obj: IterationSession) -> dict[str, int]:
        job = obj.job
        if job is None:
            return {"requests": 0, "input_tokens": 0, "output_tokens": 0}
        return {
            "requests": job.requests,
            "input_tokens": job.input_tokens,
            "output_tokens": job.output_tokens,
        }

    @staticmethod
    def resolve_final_poll(obj: IterationSession) -> dict[str, Any] | None:
        return obj.final_poll

    @staticmethod
    def resolve_turns(obj: IterationSession) -> list[Any]:
        return list(obj.turns.all())


def session_json(session: IterationSession) -> dict[str, Any]:
    return SessionOut.from_orm(session).model_dump(mode="json")

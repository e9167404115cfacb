"""What the orchestrator and analytics endpoints accept and return."""

from __future__ import annotations

import re
from datetime import date, datetime
from typing import Annotated, Any, Literal

from ninja import Schema
from pydantic import BaseModel, BeforeValidator, ConfigDict, Field, StrictBool

from clarion.agents.schemas import Signal
from clarion.core.text import NONBLANK_PATTERN, REF_PATTERN
from clarion.publishing.models import Publication


def _iso_date_text(value: object) -> object:
    """Dates only as YYYY-MM-DD (no timestamps), as the schema's ``format: date`` says."""
    if isinstance(value, str) and not re.fullmatch(r"\d{4}-\d{2}-\d{2}", value):
        raise ValueError("must be a date as YYYY-MM-DD")
    if not isinstance(value, str | date):
        raise ValueError("must be a date as YYYY-MM-DD")
    return value


IsoDate = Annotated[date, BeforeValidator(_iso_date_text)]
BrandRef = Annotated[str, Field(min_length=1, max_length=80, pattern=REF_PATTERN)]
# The names a network may be given by ("twitter" is X), spelled out so the schema says it.
PlatformName = Literal[
    "X", "LinkedIn", "Facebook", "Mastodon", "Bluesky",
    "x", "linkedin", "facebook", "mastodon", "bluesky", "twitter", "Twitter",
]  # fmt: skip


class SignalIn(BaseModel):
    """A news item, a trend or a result: quoted to the writer as data, never as instructions."""

    model_config = ConfigDict(extra="forbid")

    kind: Literal["news", "trend", "performance"] = "news"
    title: str = Field(min_length=1, max_length=300, pattern=NONBLANK_PATTERN)
    summary: str = Field(default="", max_length=2000)
    url: str = Field(default="", max_length=2000)

    def to_signal(self) -> Signal:
        return Signal(kind=self.kind, title=self.title, summary=self.summary, url=self.url)


class DailyIn(BaseModel):
    model_config = ConfigDict(extra="forbid")

    execute_date: IsoDate | None = Field(default=None, description="Default: today.")
    dry_run: StrictBool = False
    platforms: list[PlatformName] | None = Field(
        default=None, max_length=5, description="Default: every network with slots that day."
    )
    brands: list[BrandRef] | None = Field(
        default=None, max_length=200, description="Brand ids or slugs; default: every brand."
    )
    signals: list[SignalIn] = Field(default_factory=list, max_length=50)


class RunOut(Schema):
    id: int
    date: date
    brand: str | None = None
    trigger: str
    dry_run: bool
    platforms: list[str]
    status: str
    counts: dict[str, Any]
    ledger: dict[str, Any] = Field(
        default_factory=dict,
        description="The states of the run's rows when it ended; held_until / next_retry_at.",
    )
    summary: str = Field(default="", description="What the run did and what is not done yet.")
    error: str
    started_at: datetime
    finished_at: datetime | None

    @staticmethod
    def resolve_brand(obj: Any) -> str | None:
        return obj.brand.slug if obj.brand_id else None

    @staticmethod
    def resolve_summary(obj: Any) -> str:
        from clarion.publishing.reports import run_summary

        return run_summary(obj) if obj.status != "running" else "running"


class PublicationOut(Schema):
    id: int
    brand: str
    network: str
    date: date
    slot: int
    state: str
    attempts: int
    content: str
    remote_id: str
    remote_url: str
    error: str
    error_kind: str
    scheduled_at: datetime
    published_at: datetime | None
    not_before: datetime | None = Field(description="Deferred: not tried again before this.")
    claimed_by: str
    lease_expires_at: datetime | None
    approved_by: str

    @staticmethod
    def resolve_brand(obj: Publication) -> str:
        return obj.brand.slug


class AttentionOut(Schema):
    held: list[PublicationOut]
    deferred: list[PublicationOut]
    awaiting_approval: list[PublicationOut]
    failed: list[PublicationOut]
    unknown: list[PublicationOut]


class StatusOut(Schema):
    date: date
    counts: dict[str, int]
    total: int
    publications: list[PublicationOut]
    runs: list[RunOut]
    attention: AttentionOut


class ApproveIn(BaseModel):
    model_config = ConfigDict(extra="forbid")

    text: str | None = Field(
        default=None,
        max_length=10_000,
        pattern=NONBLANK_PATTERN,
        description="The text to publish instead (edited); default: the text as written.",
    )


class ApproveManyIn(BaseModel):
    model_config = ConfigDict(extra="forbid")

    ids: list[int] = Field(min_length=1, max_length=500, description="Waiting publications.")


class RejectIn(BaseModel):
    model_config = ConfigDict(extra="forbid")

    reason: str = Field(default="", max_length=2000)


class BucketOut(BaseModel):
    published: int
    failed: int
    pending: int
    metrics: dict[str, int]


class PerformanceOut(BaseModel):
    brand: str | None
    start: date
    end: date
    total: BucketOut
    by_network: dict[str, BucketOut]
    by_pillar: dict[str, BucketOut]
    by_time: dict[str, BucketOut] = Field(
        default_factory=dict,
        description='By posting time: "HH:00", the hour of the slot\'s time of day in the '
        'brand\'s time zone ("unknown" when the slot is gone).',
    )


class PostSummaryOut(BaseModel):
    network: str
    slot: int
    state: str
    content: str
    url: str
    published_at: datetime | None
    metrics: dict[str, Any]
    error: str


class YesterdayOut(BucketOut):
    brand: str
    date: date
    posts: list[PostSummaryOut]

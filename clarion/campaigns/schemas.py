"""API shapes of campaigns, posts, variants, versions and chat."""

from __future__ import annotations

from datetime import datetime
from typing import Any

from ninja import Schema
from pydantic import BaseModel, Field, StrictBool

from clarion.agents.schemas import PlatformName
from clarion.campaigns.models import Campaign, Post
from clarion.core.text import NONBLANK_PATTERN

_GOAL = Field(min_length=1, max_length=2000, pattern=NONBLANK_PATTERN)


class CampaignIn(Schema):
    brand: str = Field(min_length=1, max_length=120, description="Brand id or slug.")
    goal: str = _GOAL
    name: str | None = Field(default=None, min_length=1, max_length=200, pattern=NONBLANK_PATTERN)
    phase_count: int = Field(default=4, ge=2, le=6)
    platforms: list[PlatformName] | None = Field(default=None, min_length=1, max_length=5)
    campaign_id: str | None = Field(default=None, pattern=r"^[A-Za-z0-9][A-Za-z0-9_-]{0,119}$")
    generate_content: StrictBool = Field(
        default=True, description="Queue A/B variants and media cards for the worker."
    )


class VariantOut(Schema):
    variant_id: str
    platform: str
    content: str
    metadata: dict[str, Any]
    is_approved: bool


class PostOut(Schema):
    """A post with its variants' full texts."""

    pk: int
    post_id: str
    phase: int
    phase_name: str
    position: int
    title: str
    objective: str
    hook: str
    status: str
    selected_variant: str
    metrics: dict[str, Any]
    version: int
    is_active: bool
    scheduled_for: datetime | None
    parents: list[str]
    children: list[str]
    variants: list[VariantOut]

    @staticmethod
    def resolve_parents(obj: Post) -> list[str]:
        return [p.post_id for p in obj.parents.all() if p.is_active]

    @staticmethod
    def resolve_children(obj: Post) -> list[str]:
        return [p.post_id for p in obj.children.all() if p.is_active]

    @staticmethod
    def resolve_variants(obj: Post) -> list[Any]:
        return list(obj.variants.all())


# The shapes below are filled from dicts the services build: plain pydantic models,
# validated without Ninja's per-object attribute lookup (ten to thirty times faster on
# a 500-post campaign).


class VariantSummary(BaseModel):
    count: int
    ids: list[str]
    platforms: list[str]
    approved: int


class PostBriefOut(BaseModel):
    """A post with a summary of its variants (their texts: ``GET /api/posts/{pk}``)."""

    pk: int
    post_id: str
    phase: int
    phase_name: str
    position: int
    title: str
    objective: str
    hook: str
    status: str
    selected_variant: str
    metrics: dict[str, Any]
    version: int
    is_active: bool
    scheduled_for: datetime | None
    parents: list[str]
    children: list[str]
    variant_summary: VariantSummary


class CampaignOut(Schema):
    campaign_id: str
    brand: str
    name: str
    description: str
    phase: str
    strategy: str
    metadata: dict[str, Any]
    insights: dict[str, Any]
    content_failures: list[str] = Field(
        description="Why content is missing (stage content_missing): one line per variant."
    )
    current_version: int
    created_at: datetime
    updated_at: datetime

    @staticmethod
    def resolve_brand(obj: Campaign) -> str:
        return obj.brand.slug


class CampaignDetailOut(CampaignOut):
    posts: list[PostBriefOut] = Field(
        description="The active posts, each with a summary of its variants; "
        "a post's variant texts are at GET /api/posts/{pk}."
    )

    @staticmethod
    def resolve_posts(obj: Campaign) -> list[dict[str, Any]]:
        from clarion.campaigns.services import campaign_posts

        return campaign_posts(obj)


class RegenerateIn(Schema):
    campaign_id: str = Field(min_length=1, max_length=120)
    phase_num: int = Field(description="First phase to regenerate (1 … last phase + 1).")
    new_direction: str = Field(min_length=1, max_length=2000, pattern=NONBLANK_PATTERN)
    phase_count: int | None = Field(default=None, ge=1, le=6)


class RegenerationOut(Schema):
    campaign_id: str
    from_phase: int
    version: int
    archived: int
    posts: list[PostOut]
    strategy: str


class ChatIn(Schema):
    message: str = Field(min_length=1, max_length=4000, pattern=NONBLANK_PATTERN)


class MessageOut(Schema):
    id: int
    role: str
    content: str
    metadata: dict[str, Any]
    created_at: datetime


class ChatOut(Schema):
    message: MessageOut
    reply: MessageOut
    regeneration: RegenerationOut | None


class VersionOut(Schema):
    number: int
    kind: str
    from_phase: int | None
    direction: str
    restored_from: int | None
    posts: int
    mermaid: str
    created_at: datetime

    @staticmethod
    def resolve_posts(obj: Any) -> int:
        return len(obj.post_ids)


class PostChangeOut(Schema):
    key: str
    before: dict[str, Any]
    after: dict[str, Any]
    fields: list[str]


class VersionDiffOut(Schema):
    campaign_id: str
    from_version: int
    to_version: int
    added: list[dict[str, Any]]
    removed: list[dict[str, Any]]
    changed: list[PostChangeOut]
    unchanged: int
    links_added: list[tuple[str, str]]
    links_removed: list[tuple[str, str]]


class SelectVariantIn(Schema):
    variant_id: str = Field(min_length=1, max_length=8, pattern=r"^[A-Za-z]{1,8}$")


class VariantEditIn(Schema):
    content: str = Field(min_length=1, max_length=63206, pattern=NONBLANK_PATTERN)


class FailedCheckOut(Schema):
    post_id: str
    platform: str
    variant_id: str
    problems: list[str]


class ApprovalOut(Schema):
    approved: list[str]
    skipped: list[str] = Field(description="Posts not approved: no content, or a failed check.")
    failed_checks: list[FailedCheckOut] = Field(
        description="Selected variants that fail the hard checks, with the reasons."
    )


class GraphNode(BaseModel):
    id: str
    pk: int
    phase: int
    phase_name: str
    position: int
    title: str
    objective: str
    hook: str
    status: str
    version: int
    selected_variant: str
    media_url: str | None
    variants: VariantSummary


class GraphEdge(BaseModel):
    source: str
    target: str


class GraphPhase(BaseModel):
    number: int
    name: str


class GraphOut(BaseModel):
    campaign_id: str
    version: int
    phases: list[GraphPhase]
    nodes: list[GraphNode]
    edges: list[GraphEdge]


class PhaseTotals(BaseModel):
    phase: int
    totals: dict[str, float]


class MetricsOut(BaseModel):
    campaign_id: str
    version: int
    posts: int
    by_status: dict[str, int]
    totals: dict[str, float]
    by_phase: list[PhaseTotals]


class TriggerOut(Schema):
    campaign_id: str
    checked_at: datetime
    waiting_for_content: list[str]
    ready: list[str]
    due: list[str]
    scheduled: list[str]
    triggered: bool


class ContentQueuedOut(Schema):
    campaign_id: str
    queued_posts: int

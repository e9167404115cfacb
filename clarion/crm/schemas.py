"""What the lead and data endpoints (and `clarion leads … --json`) return."""

from __future__ import annotations

from datetime import date, datetime
from typing import Any, Literal

from ninja import Schema

from clarion.campaigns.models import Campaign, ContentVariant
from clarion.crm.data import campaign_status
from clarion.crm.models import Lead
from clarion.publishing.models import Publication


class LeadOut(Schema):
    id: int
    email: str
    name: str
    company: str
    phone: str
    source: str
    status: Literal["new", "contacted", "qualified", "converted"]
    score: int
    assigned_to: str | None
    notes: str
    created_at: datetime
    updated_at: datetime

    @staticmethod
    def resolve_assigned_to(obj: Lead) -> str | None:
        return obj.assigned_to.name if obj.assigned_to is not None else None


class RejectedOut(Schema):
    line: int
    reason: str


class ImportReportOut(Schema):
    """What an import did. ``rejected`` names each refused row by its line in the file."""

    created: int
    updated: int
    unchanged: int
    merged_in_file: int
    rejected: list[RejectedOut]
    encoding: str
    delimiter: Literal["comma", "semicolon", "tab"]
    warnings: list[str]


class CampaignDataOut(Schema):
    id: str
    name: str
    brand: str
    type: Literal["social"]
    status: Literal["planning", "active", "completed"]
    stage: str
    owner: str | None
    metrics: dict[str, Any]
    created_at: datetime

    @staticmethod
    def resolve_id(obj: Campaign) -> str:
        return obj.campaign_id

    @staticmethod
    def resolve_brand(obj: Campaign) -> str:
        return obj.brand.slug

    @staticmethod
    def resolve_type(obj: Campaign) -> str:
        return "social"

    @staticmethod
    def resolve_stage(obj: Campaign) -> str:
        return obj.phase

    @staticmethod
    def resolve_status(obj: Campaign) -> str:
        return campaign_status(obj.phase, obj.post_count, obj.published_count)  # type: ignore[attr-defined]

    @staticmethod
    def resolve_owner(obj: Campaign) -> str | None:
        return obj.owner_name  # type: ignore[attr-defined]

    @staticmethod
    def resolve_metrics(obj: Campaign) -> dict[str, Any]:
        return {
            "posts": obj.post_count,  # type: ignore[attr-defined]
            "published": obj.published_count,  # type: ignore[attr-defined]
            "failed": obj.failed_count,  # type: ignore[attr-defined]
            "variants": obj.variant_count,  # type: ignore[attr-defined]
            "platforms": obj.platforms,
        }


class ContentOut(Schema):
    id: int
    campaign: str
    post: str
    title: str
    variant: str
    platform: str
    text: str
    status: str
    selected: bool
    approved: bool
    created_at: datetime

    @staticmethod
    def resolve_campaign(obj: ContentVariant) -> str:
        return obj.post.campaign.campaign_id

    @staticmethod
    def resolve_post(obj: ContentVariant) -> str:
        return obj.post.post_id

    @staticmethod
    def resolve_title(obj: ContentVariant) -> str:
        return obj.post.title

    @staticmethod
    def resolve_variant(obj: ContentVariant) -> str:
        return obj.variant_id

    @staticmethod
    def resolve_text(obj: ContentVariant) -> str:
        return obj.content

    @staticmethod
    def resolve_status(obj: ContentVariant) -> str:
        return obj.post.status

    @staticmethod
    def resolve_selected(obj: ContentVariant) -> bool:
        return obj.post.selected_variant == obj.variant_id

    @staticmethod
    def resolve_approved(obj: ContentVariant) -> bool:
        return obj.is_approved


class SocialPostOut(Schema):
    id: int
    brand: str
    network: str
    state: str
    text: str
    url: str
    date: date
    scheduled_at: datetime
    published_at: datetime | None

    @staticmethod
    def resolve_brand(obj: Publication) -> str:
        return obj.brand.slug

    @staticmethod
    def resolve_text(obj: Publication) -> str:
        return obj.content

    @staticmethod
    def resolve_url(obj: Publication) -> str:
        return obj.remote_url

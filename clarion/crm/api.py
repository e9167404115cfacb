"""``/api/data/…``: leads (listed, and imported from a CSV file) and the marketing data views."""

# No `from __future__ import annotations`: Ninja's pagination rebuilds the signatures of the
# list operations and must see their query schemas as classes, not as strings.

from typing import Literal

from django.db.models import QuerySet
from django.http import HttpRequest
from ninja import Field, File, Query, Router, Schema, Status
from ninja.files import UploadedFile
from ninja.pagination import paginate

from clarion.accounts.auth import workspace_of
from clarion.api.pagination import Pages
from clarion.api.schemas import CONFLICT, INVALID, ErrorOut
from clarion.campaigns.models import Campaign, ContentVariant
from clarion.core.platforms import Platform
from clarion.crm import data, services
from clarion.crm.models import Lead
from clarion.crm.reading import MAX_FILE_BYTES, FileTooLarge
from clarion.crm.schemas import (
    CampaignDataOut,
    ContentOut,
    ImportReportOut,
    LeadOut,
    SocialPostOut,
)
from clarion.publishing.models import Publication, PublicationState

router = Router(tags=["data"])

LeadStatusName = Literal["new", "contacted", "qualified", "converted"]
PlatformName = Literal["X", "LinkedIn", "Facebook", "Mastodon", "Bluesky"]
StateName = Literal[
    "pending", "claimed", "published", "failed", "needs_attention", "awaiting_approval"
]
assert set(PlatformName.__args__) == set(Platform.values)  # type: ignore[attr-defined]
assert set(StateName.__args__) == set(PublicationState.values)  # type: ignore[attr-defined]


class LeadFilters(Schema):
    status: LeadStatusName | None = None
    min_score: int | None = Field(None, ge=0, le=100)
    q: str | None = Field(None, max_length=200)


@router.get("/data/leads", response={200: list[LeadOut], **INVALID})
@paginate(Pages)
def list_leads(request: HttpRequest, filters: Query[LeadFilters]) -> QuerySet[Lead]:
    """This workspace's leads, best score first (``status``, ``min_score``, ``q`` narrow them)."""
    return services.leads_of(
        workspace_of(request), status=filters.status, min_score=filters.min_score, q=filters.q
    )


@router.post(
    "/data/leads/import",
    response={200: ImportReportOut, 413: ErrorOut, **INVALID, **CONFLICT},
)
def import_leads(request: HttpRequest, file: File[UploadedFile]) -> Status:
    """Import a CSV file of leads (multipart field ``file``, at most 5 MB, 10,000 rows).

    A header row names the columns (Email, Name, Company, Phone, Source, Status, Score, Notes,
    in common spellings); comma, semicolon and tab are recognised; a file that is not UTF-8 is
    read as Windows-1252 and the report says so. Bad rows are reported by their line and left
    out, good ones kept; rows of an address already known are merged: gaps filled, the higher
    score and the more advanced status kept.
    """
    if file.size is not None and file.size > MAX_FILE_BYTES:
        detail = f"the file is {file.size:,} bytes; an import reads at most {MAX_FILE_BYTES:,}"
        return Status(413, {"detail": detail})
    name = (file.name or "upload.csv")[:80]
    try:
        report = services.import_leads(
            workspace=workspace_of(request), data=file.read(), source=f"import {name}"
        )
    except FileTooLarge as exc:
        return Status(413, {"detail": exc.message})
    return Status(200, report)


@router.get("/data/campaigns", response={200: list[CampaignDataOut], **INVALID})
@paginate(Pages)
def list_campaigns(request: HttpRequest) -> QuerySet[Campaign]:
    """Campaigns as the dashboard shows them: status, owner (the strategist) and counts."""
    return data.campaigns_of(workspace_of(request))


class ContentFilters(Schema):
    platform: PlatformName | None = None


@router.get("/data/content", response={200: list[ContentOut], **INVALID})
@paginate(Pages)
def list_content(request: HttpRequest, filters: Query[ContentFilters]) -> QuerySet[ContentVariant]:
    """Content pieces: every variant of the current posts, with its text, network and status."""
    return data.content_of(workspace_of(request), platform=filters.platform)


class SocialFilters(Schema):
    network: PlatformName | None = None
    state: StateName | None = None


@router.get("/data/social", response={200: list[SocialPostOut], **INVALID})
@paginate(Pages)
def list_social(request: HttpRequest, filters: Query[SocialFilters]) -> QuerySet[Publication]:
    """Social posts: the publication ledger, with each post's state, link and time."""
    return data.social_of(workspace_of(request), network=filters.network, state=filters.state)

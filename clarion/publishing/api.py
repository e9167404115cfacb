"""The daily orchestrator and analytics under seed 002's paths."""

from __future__ import annotations

from typing import Annotated

from django.http import HttpRequest
from django.utils import timezone
from ninja import Path, Query, Router, Schema, Status
from pydantic import Field

from clarion.accounts.auth import workspace_of
from clarion.api.schemas import CONFLICT, INVALID, NOT_FOUND
from clarion.brands.services import get_brand
from clarion.core.platforms import parse_platforms
from clarion.core.text import REF_PATTERN
from clarion.publishing import approvals, orchestrator, reports, slots
from clarion.publishing.models import DailyRun, Publication
from clarion.publishing.schemas import (
    ApproveIn,
    ApproveManyIn,
    BrandRef,
    DailyIn,
    IsoDate,
    PerformanceOut,
    PlatformName,
    PublicationOut,
    RejectIn,
    RunOut,
    StatusOut,
    YesterdayOut,
)

router = Router(tags=["orchestrator"])


@router.post("/orchestrator/daily", response={200: RunOut, **NOT_FOUND, **INVALID})
def run_daily(request: HttpRequest, payload: DailyIn) -> DailyRun:
    """Run a day's orchestration now: write, check and publish every slot not yet published.

    Running the same day again publishes nothing new; a dry run writes and checks
    everything and publishes nothing.
    """
    workspace = workspace_of(request)
    brands = None
    if payload.brands is not None:
        brands = [get_brand(ref, workspace=workspace) for ref in payload.brands]
    return orchestrator.run_daily(
        workspace=workspace,
        date=payload.execute_date or timezone.localdate(),
        platforms=payload.platforms,
        dry_run=payload.dry_run,
        signals=[s.to_signal() for s in payload.signals],
        brands=brands,
    )


class StatusQuery(Schema):
    date: IsoDate | None = Field(default=None, description="Default: today.")
    brand: BrandRef | None = None
    platform: PlatformName | None = None
    limit: int = Field(default=200, ge=1, le=1000)
    offset: int = Field(default=0, ge=0, le=1_000_000)


@router.get("/orchestrator/status", response={200: StatusOut, **NOT_FOUND, **INVALID})
def status(request: HttpRequest, query: Query[StatusQuery]) -> reports.DayStatus:
    """A day's publications: counts by state, each publication with its error, and what
    needs attention (held by a process, deferred, waiting for approval, failed)."""
    workspace = workspace_of(request)
    return reports.day_status(
        day=query.date or timezone.localdate(),
        workspace=workspace,
        brand=get_brand(query.brand, workspace=workspace) if query.brand else None,
        platforms=parse_platforms([query.platform]) if query.platform else None,
        limit=query.limit,
        offset=query.offset,
    )


@router.post(
    "/orchestrator/retry/{date}/{platform}", response={200: RunOut, **NOT_FOUND, **INVALID}
)
def retry(request: HttpRequest, date: IsoDate, platform: PlatformName) -> Status:
    """Retry the day's failed publications on one network; nothing else is touched."""
    run = orchestrator.retry_failed(date=date, platform=platform, workspace=workspace_of(request))
    return Status(200, run)


class ApprovalsQuery(Schema):
    brand: BrandRef | None = None
    limit: int = Field(default=100, ge=1, le=500)
    offset: int = Field(default=0, ge=0, le=1_000_000)


@router.get("/approvals", response={200: list[PublicationOut], **NOT_FOUND, **INVALID})
def list_approvals(request: HttpRequest, query: Query[ApprovalsQuery]) -> list[Publication]:
    """Posts waiting for a person (the reviewer did not approve them, or their brand
    requires a person's approval), oldest slot first."""
    workspace = workspace_of(request)
    brand = get_brand(query.brand, workspace=workspace) if query.brand else None
    rows = approvals.awaiting(brand=brand, workspace=workspace)
    return list(rows[query.offset : query.offset + query.limit])


@router.post(
    "/approvals/approve",
    response={200: list[PublicationOut], **NOT_FOUND, **INVALID, **CONFLICT},
)
def approve_many(request: HttpRequest, payload: ApproveManyIn) -> list[Publication]:
    """Approve several waiting posts as written, all or none; each goes out at its time."""
    return approvals.approve_publications(
        publication_ids=payload.ids, by=_who(request), workspace=workspace_of(request)
    )


@router.post(
    "/approvals/{publication_id}/approve",
    response={200: PublicationOut, **NOT_FOUND, **INVALID, **CONFLICT},
)
def approve(request: HttpRequest, publication_id: int, payload: ApproveIn) -> Publication:
    """Approve a waiting post, optionally with an edited text (the hard checks run on it);
    it goes out at its time."""
    return approvals.approve_publication(
        publication_id=publication_id,
        by=_who(request),
        text=payload.text,
        workspace=workspace_of(request),
    )


@router.post(
    "/approvals/{publication_id}/reject",
    response={200: PublicationOut, **NOT_FOUND, **INVALID, **CONFLICT},
)
def reject(request: HttpRequest, publication_id: int, payload: RejectIn) -> Publication:
    """Reject a waiting post: it is never sent."""
    return approvals.reject_publication(
        publication_id=publication_id,
        by=_who(request),
        reason=payload.reason,
        workspace=workspace_of(request),
    )


def _who(request: HttpRequest) -> str:
    user = getattr(request, "user", None)
    if user is not None and user.is_authenticated:
        return str(user.get_username())
    return "api"


class PeriodQuery(Schema):
    brand: BrandRef | None = None
    start: IsoDate | None = Field(default=None, description="Default: 30 days before end.")
    end: IsoDate | None = Field(
        default=None, description="Default: today. Before start: an empty period."
    )


@router.get(
    "/analytics/performance",
    response={200: PerformanceOut, **NOT_FOUND, **INVALID},
    tags=["analytics"],
)
def performance(request: HttpRequest, query: Query[PeriodQuery]) -> dict[str, object]:
    """Publications and their metrics over a period, by network and by content pillar."""
    end = query.end or timezone.localdate()
    start = query.start or slots.days_before(end, 30)
    workspace = workspace_of(request)
    brand = get_brand(query.brand, workspace=workspace) if query.brand else None
    return reports.performance(brand=brand, workspace=workspace, start=start, end=end)


@router.get(
    "/analytics/yesterday/{brand}",
    response={200: YesterdayOut, **NOT_FOUND, **INVALID},
    tags=["analytics"],
)
def yesterday(
    request: HttpRequest,
    brand: Annotated[str, Path(max_length=80, pattern=REF_PATTERN)],
    date: IsoDate | None = None,
) -> dict[str, object]:
    """The day before ``date`` (default today) for one brand: counts, posts and metrics."""
    found = get_brand(brand, workspace=workspace_of(request))
    return reports.yesterday(brand=found, today=date or timezone.localdate())

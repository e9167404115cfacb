"""``/api/rl/automation-candidates``: what people keep asking for, and approving it."""

from __future__ import annotations

from datetime import datetime
from typing import Any

from django.db.models import QuerySet
from django.http import HttpRequest
from ninja import Field, Router, Schema

from clarion.accounts.auth import workspace_of
from clarion.api.schemas import CONFLICT, FORBIDDEN, INVALID, NOT_FOUND
from clarion.automation import services
from clarion.automation.models import AutomationCandidate

router = Router(tags=["learning"])


class ScheduleOut(Schema):
    id: int
    name: str
    job_type: str
    params: dict[str, Any]
    cadence: str
    weekday: int | None
    hour: int
    is_active: bool


class CandidateOut(Schema):
    id: int
    pattern_description: str
    normalized_intent: str
    occurrence_count: int
    confidence_score: float = Field(description="0 to 1.")
    job_type: str
    params: dict[str, Any] = Field(description="What the schedule would run (the latest ask).")
    cadence: str = Field(description="daily or weekly.")
    weekday: int | None = Field(description="Monday is 0 (weekly).")
    hour: int
    proposed_agent_name: str
    is_automated: bool
    approved_at: datetime | None
    schedule: ScheduleOut | None

    @staticmethod
    def resolve_schedule(obj: AutomationCandidate) -> Any:
        return getattr(obj, "schedule", None)


@router.get("/rl/automation-candidates", response=list[CandidateOut])
def list_candidates(request: HttpRequest) -> QuerySet[AutomationCandidate]:
    """Commands repeated three times or more, each proposed as a scheduled job."""
    return services.candidates_of(workspace_of(request))


@router.post(
    "/rl/automation-candidates/{candidate_id}/approve",
    response={200: CandidateOut, **FORBIDDEN, **NOT_FOUND, **INVALID, **CONFLICT},
)
def approve_candidate(request: HttpRequest, candidate_id: int) -> AutomationCandidate:
    """Approve a candidate: the worker runs its job once per period from now on."""
    return services.approve(workspace_of(request), candidate_id)

"""Jobs a person starts and stops (seed 003's sessions): ``/api/jobs/start``, ``/stop``,
``/status``, ``/logs``, the list (``/api/jobs``, also ``/api/sessions``).

Any member reads them; editors and owners start and stop them.
"""

# No `from __future__ import annotations`: Ninja's pagination rebuilds the signatures of the
# list operations and must see their query schemas as classes, not as strings.

from datetime import date as Date
from datetime import datetime
from typing import Annotated, Any, Literal

from django.db.models import QuerySet
from django.http import HttpRequest
from ninja import Body, Field, Query, Router, Schema, Status
from ninja.pagination import paginate
from pydantic import BaseModel, ConfigDict, StrictBool

from clarion.accounts.auth import workspace_of
from clarion.agents import control
from clarion.agents.api import JobBriefOut
from clarion.agents.models import Job
from clarion.api.pagination import Pages
from clarion.api.schemas import CONFLICT, FORBIDDEN, INVALID, NOT_FOUND
from clarion.core.text import NONBLANK_PATTERN, REF_PATTERN, TEXT_PATTERN

router = Router(tags=["jobs"])

Text = Annotated[str, Field(min_length=1, max_length=1000, pattern=NONBLANK_PATTERN)]
Ref = Annotated[str, Field(min_length=1, max_length=120, pattern=NONBLANK_PATTERN)]


class _Params(BaseModel):
    model_config = ConfigDict(extra="forbid", str_strip_whitespace=True)


class SlogansParams(_Params):
    brief: Text
    count: int = Field(3, ge=1, le=20)
    brand: Ref | None = None


class DailyRunParams(_Params):
    date: Date | None = Field(None, description="Default: today.")
    dry_run: StrictBool = False


class MonthlyPlanParams(_Params):
    brand: Ref
    start_date: Date | None = Field(None, description="Default: today.")
    days: int | None = Field(None, ge=1, le=31)


class CampaignParams(_Params):
    brand: Ref
    goal: Annotated[str, Field(min_length=1, max_length=2000, pattern=NONBLANK_PATTERN)]
    phase_count: int = Field(3, ge=1, le=10)
    name: Annotated[str, Field(max_length=200, pattern=TEXT_PATTERN)] = ""


class RegenerationParams(_Params):
    campaign: Ref
    phase_num: int = Field(ge=1, le=10)
    new_direction: Annotated[str, Field(min_length=1, max_length=2000, pattern=NONBLANK_PATTERN)]


class EvaluationParams(_Params):
    experiment_ids: list[Annotated[int, Field(ge=1)]] | None = Field(None, max_length=100)


class _Start(BaseModel):
    model_config = ConfigDict(extra="forbid")


class StartSlogans(_Start):
    job_type: Literal["slogans"]
    params: SlogansParams


class StartDailyRun(_Start):
    job_type: Literal["daily_run"]
    params: DailyRunParams = DailyRunParams()


class StartMonthlyPlan(_Start):
    job_type: Literal["monthly_plan"]
    params: MonthlyPlanParams


class StartCampaign(_Start):
    job_type: Literal["campaign"]
    params: CampaignParams


class StartRegeneration(_Start):
    job_type: Literal["regeneration"]
    params: RegenerationParams


class StartEvaluation(_Start):
    job_type: Literal["evaluation"]
    params: EvaluationParams = EvaluationParams()


JobStartIn = Annotated[
    StartSlogans
    | StartDailyRun
    | StartMonthlyPlan
    | StartCampaign
    | StartRegeneration
    | StartEvaluation,
    Field(discriminator="job_type"),
]


class JobStatusOut(Schema):
    id: int
    kind: str
    title: str
    status: str = Field(
        description="pending (queued), running, succeeded, failed, cancelled or stopped."
    )
    stop_requested: bool
    steps_total: int
    steps: dict[str, int] = Field(description="Steps by status (pending, running, skipped…).")
    current_step: str | None
    error: str
    created_at: datetime
    started_at: datetime | None
    finished_at: datetime | None


class JobLogOut(Schema):
    seq: int = Field(description="Its place in the log: pass the last one as ?after=.")
    at: datetime
    level: str
    message: str

    @staticmethod
    def resolve_seq(obj: Any) -> int:
        return int(obj.pk)

    @staticmethod
    def resolve_at(obj: Any) -> datetime:
        return obj.created_at


StatusName = Literal["pending", "running", "succeeded", "failed", "cancelled", "stopped"]


class JobFilters(Schema):
    status: StatusName | None = None
    kind: str | None = Field(None, max_length=40, pattern=REF_PATTERN)


class LogFilters(Schema):
    after: int = Field(0, ge=0, description="Only the lines after this seq.")


@router.post("/jobs/start", response={202: JobStatusOut, **FORBIDDEN, **NOT_FOUND, **INVALID})
def start_job(request: HttpRequest, payload: Body[JobStartIn]) -> Status:
    """Start a job on the worker: ``job_type`` and its ``params``; follow it with /status and
    /logs, stop it with /stop."""
    params = payload.params.model_dump(mode="json", exclude_none=True)
    job = control.start(workspace_of(request), payload.job_type, params)
    return Status(202, control.status_of(job))


@router.get("/jobs", response={200: list[JobBriefOut], **INVALID})
@paginate(Pages)
def list_jobs(request: HttpRequest, filters: Query[JobFilters]) -> QuerySet[Job]:
    """This workspace's jobs, newest first (``status`` and ``kind`` narrow them)."""
    return control.jobs_of(workspace_of(request), status=filters.status, kind=filters.kind)


@router.get("/sessions", response={200: list[JobBriefOut], **INVALID})
@paginate(Pages)
def list_sessions(request: HttpRequest, filters: Query[JobFilters]) -> QuerySet[Job]:
    """Seed 003's name for ``GET /api/jobs``: the same list."""
    return control.jobs_of(workspace_of(request), status=filters.status, kind=filters.kind)


@router.post(
    "/jobs/{job_id}/stop",
    response={200: JobStatusOut, **FORBIDDEN, **NOT_FOUND, **INVALID, **CONFLICT},
)
def stop_job(request: HttpRequest, job_id: int) -> dict[str, Any]:
    """Stop a job: a queued one at once; a running one once its current step is done (the
    rest is skipped). 409 for a job that has ended."""
    return control.status_of(control.stop(workspace_of(request), job_id))


@router.get("/jobs/{job_id}/status", response={200: JobStatusOut, **NOT_FOUND, **INVALID})
def job_status(request: HttpRequest, job_id: int) -> dict[str, Any]:
    return control.status_of(control.job_of(workspace_of(request), job_id))


@router.get("/jobs/{job_id}/logs", response={200: list[JobLogOut], **NOT_FOUND, **INVALID})
def job_logs(request: HttpRequest, job_id: int, filters: Query[LogFilters]) -> list[Any]:
    """The job's log lines in order (at most 500; ``?after=`` the last seq to follow it)."""
    return control.logs_of(control.job_of(workspace_of(request), job_id), after=filters.after)

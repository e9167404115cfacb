from __future__ import annotations

from datetime import datetime

from django.http import HttpRequest
from ninja import Router, Schema

from clarion.accounts.auth import workspace_of
from clarion.accounts.scope import get_scoped
from clarion.agents.models import Agent, Job
from clarion.api.schemas import INVALID, NOT_FOUND

router = Router(tags=["agents"])


class AgentOut(Schema):
    id: int
    name: str
    role: str
    model: str
    temperature: float
    is_active: bool
    is_builtin: bool


class TaskOut(Schema):
    id: int
    name: str
    role: str
    status: str
    model_name: str
    attempts: int
    requests: int
    input_tokens: int
    output_tokens: int
    duration_ms: int
    error: str


class JobOut(Schema):
    id: int
    kind: str
    title: str
    status: str
    model_name: str
    requests: int
    input_tokens: int
    output_tokens: int
    error: str
    created_at: datetime
    started_at: datetime | None
    finished_at: datetime | None
    tasks: list[TaskOut]

    @staticmethod
    def resolve_tasks(obj: Job) -> list[object]:
        return list(obj.tasks.all())


@router.get("/agents", response=list[AgentOut])
def list_agents(request: HttpRequest) -> object:
    return Agent.objects.all()


@router.get("/jobs/{job_id}", response={200: JobOut, **NOT_FOUND, **INVALID})
def get_job(request: HttpRequest, job_id: int) -> Job:
    jobs = Job.objects.prefetch_related("tasks")
    return get_scoped(jobs, workspace_of(request), missing=f"no job {job_id}", pk=job_id)

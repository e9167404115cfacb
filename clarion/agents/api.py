"""The roster (seed 003's agent management) and the jobs' records.

Any member reads them; editors and owners hire, fire, rehire and change agents.
"""

from __future__ import annotations

from datetime import datetime
from decimal import Decimal
from typing import Annotated, Any, Literal

from django.db.models import QuerySet
from django.http import HttpRequest
from ninja import Field, Query, Router, Schema, Status
from pydantic import AfterValidator, BaseModel, ConfigDict, StrictFloat

from clarion.accounts.auth import workspace_of
from clarion.accounts.scope import get_scoped
from clarion.agents import team
from clarion.agents.llm import PROVIDERS
from clarion.agents.models import Agent, AgentRole, Job
from clarion.api.schemas import CONFLICT, FORBIDDEN, INVALID, NOT_FOUND
from clarion.core.text import NONBLANK_PATTERN, TEXT_PATTERN

router = Router(tags=["agents"])

RoleName = Literal["writer", "reviewer", "strategist", "planner", "analyst"]
assert set(RoleName.__args__) == set(AgentRole.values)  # type: ignore[attr-defined]
TeamName = Literal["marketing", "engineering"]  # the built-in teams
# A model spec such as openai:gpt-4o (or auto, offline; empty: CLARION_LLM).
MODEL_SPEC_PATTERN = r"^(|auto|offline|(" + "|".join(PROVIDERS) + r"):[^\s\x00-\x1f\x7f-\x9f]+)$"


def _model_spec(value: str) -> str:
    return team.checked_model(value)  # the same words as the CLI's


ModelSpec = Annotated[str, AfterValidator(_model_spec)]


class AgentOut(Schema):
    id: int
    name: str
    role: str
    team: str = Field(description="The team's slug: marketing or engineering.")
    emoji: str
    llm_preference: str = Field(description="The model spec it uses; empty: CLARION_LLM.")
    model: str = Field(description="The same as llm_preference.")
    temperature: float
    is_active: bool
    is_builtin: bool
    fired_at: datetime | None
    success_rate: float | None = Field(description="Completed over ended tasks, 0 to 1.")
    total_tasks_completed: int
    total_tasks_failed: int
    avg_duration_seconds: float
    total_reward: int = Field(description="Points: +10 per completed task, -5 per failed one.")
    total_cost_usd: Decimal

    @staticmethod
    def resolve_team(obj: Agent) -> str:
        return obj.team.slug if obj.team is not None else ""


class AgentEvaluationOut(Schema):
    recommendation: Literal["monitor", "continue", "double_down", "investigate", "fire"]
    reason: str
    tasks: int
    success_rate_low: float | None = Field(description="One-sided 95 % credible lower bound.")
    success_rate_high: float | None = Field(description="One-sided 95 % credible upper bound.")


class AgentDetailOut(AgentOut):
    prompt: str
    evaluation: AgentEvaluationOut

    @staticmethod
    def resolve_evaluation(obj: Agent) -> dict[str, Any]:
        return _evaluation(team.evaluate(obj))


def _evaluation(found: team.Evaluation) -> dict[str, Any]:
    return {
        "recommendation": found.recommendation,
        "reason": found.reason,
        "tasks": found.tasks,
        "success_rate_low": found.low,
        "success_rate_high": found.high,
    }


class HireIn(BaseModel):
    model_config = ConfigDict(extra="forbid", str_strip_whitespace=True)

    name: str = Field(min_length=1, max_length=80, pattern=NONBLANK_PATTERN)
    role: RoleName
    team: TeamName | None = None
    emoji: str = Field("", max_length=16, pattern=TEXT_PATTERN)
    llm_preference: ModelSpec = Field(
        "",
        max_length=200,
        json_schema_extra={"pattern": MODEL_SPEC_PATTERN},
        description="A model spec such as openai:gpt-4o; empty: CLARION_LLM.",
    )
    prompt: str = Field(
        "", max_length=20_000, pattern=TEXT_PATTERN, description="Empty: the role's own prompt."
    )
    temperature: StrictFloat = Field(0.7, ge=0, le=2)


class AgentPatch(BaseModel):
    """A partial change; fields left out stay as they are."""

    model_config = ConfigDict(extra="forbid", str_strip_whitespace=True)

    name: str | None = Field(None, min_length=1, max_length=80, pattern=NONBLANK_PATTERN)
    team: TeamName | None = None
    emoji: str | None = Field(None, max_length=16, pattern=TEXT_PATTERN)
    llm_preference: ModelSpec | None = Field(
        None, max_length=200, json_schema_extra={"pattern": MODEL_SPEC_PATTERN}
    )
    prompt: str | None = Field(None, min_length=1, max_length=20_000, pattern=NONBLANK_PATTERN)
    temperature: StrictFloat | None = Field(None, ge=0, le=2)


class RosterFilters(Schema):
    active: bool | None = None


class AgentPerformanceOut(Schema):
    agent_id: int
    name: str
    emoji: str
    role: str
    team_name: str
    success_rate_pct: float | None
    total_tasks_completed: int
    total_tasks_failed: int
    avg_duration_minutes: float
    total_reward: int
    total_cost_usd: Decimal
    recommendation: str
    reason: str
    evaluation: AgentEvaluationOut


class LlmUsageOut(Schema):
    key: str = Field(description="The model spec, or the agent's name.")
    calls: int = Field(description="Model runs (every attempt counts).")
    failed: int
    requests: int
    input_tokens: int
    output_tokens: int
    cost_usd: Decimal
    p50_ms: int | None
    p95_ms: int | None
    priced: bool = Field(description="False: the price table does not know this model.")


class LlmStatsOut(Schema):
    since: datetime
    until: datetime
    total: LlmUsageOut
    models: list[LlmUsageOut]
    agents: list[LlmUsageOut]


class StatsFilters(Schema):
    days: int = Field(30, ge=1, le=3660, description="The period: the last this many days.")


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


class JobBriefOut(Schema):
    id: int
    kind: str
    title: str
    status: str
    model_name: str
    requests: int
    input_tokens: int
    output_tokens: int
    cost_usd: Decimal
    error: str
    created_at: datetime
    started_at: datetime | None
    finished_at: datetime | None


class JobOut(JobBriefOut):
    tasks: list[TaskOut]

    @staticmethod
    def resolve_tasks(obj: Job) -> list[object]:
        return list(obj.tasks.all())


@router.get("/agents", response={200: list[AgentOut], **INVALID})
def list_agents(request: HttpRequest, filters: Query[RosterFilters]) -> QuerySet[Agent]:
    """This workspace's roster, by role (``active`` narrows it to those on duty, or fired)."""
    return team.roster_of(workspace_of(request), active=filters.active)


@router.post(
    "/agents/create",
    response={201: AgentDetailOut, **FORBIDDEN, **INVALID, **CONFLICT},
)
def hire_agent(request: HttpRequest, payload: HireIn) -> Status:
    """Hire an agent: on duty at once; the role's agent with the lowest id serves it."""
    agent = team.hire(workspace_of(request), **payload.model_dump())
    return Status(201, agent)


@router.get("/agents/{agent_id}", response={200: AgentDetailOut, **NOT_FOUND, **INVALID})
def get_agent(request: HttpRequest, agent_id: int) -> Agent:
    return team.agent_of(workspace_of(request), agent_id)


@router.get(
    "/agents/{agent_id}/evaluation", response={200: AgentEvaluationOut, **NOT_FOUND, **INVALID}
)
def get_agent_evaluation(request: HttpRequest, agent_id: int) -> dict[str, Any]:
    """The agent's recommendation with its evidence (see /rl/agent-performance)."""
    return _evaluation(team.evaluate(team.agent_of(workspace_of(request), agent_id)))


@router.patch(
    "/agents/{agent_id}",
    response={200: AgentDetailOut, **FORBIDDEN, **NOT_FOUND, **INVALID, **CONFLICT},
)
def update_agent(request: HttpRequest, agent_id: int, payload: AgentPatch) -> Agent:
    changes = payload.model_dump(exclude_unset=True)
    changes = {k: v for k, v in changes.items() if v is not None}
    return team.update(workspace_of(request), agent_id, changes)


@router.post(
    "/agents/{agent_id}/fire",
    response={200: AgentDetailOut, **FORBIDDEN, **NOT_FOUND, **INVALID, **CONFLICT},
)
def fire_agent(request: HttpRequest, agent_id: int) -> Agent:
    """Fire an agent: its role falls to another active agent of the role (409 for the last)."""
    return team.fire(workspace_of(request), agent_id)


@router.post(
    "/agents/{agent_id}/rehire",
    response={200: AgentDetailOut, **FORBIDDEN, **NOT_FOUND, **INVALID, **CONFLICT},
)
def rehire_agent(request: HttpRequest, agent_id: int) -> Agent:
    return team.rehire(workspace_of(request), agent_id)


@router.get("/rl/agent-performance", response=list[AgentPerformanceOut])
def agent_performance(request: HttpRequest) -> list[dict[str, Any]]:
    """Seed 003's ``v_agent_performance``: each active agent's figures and recommendation."""
    return [
        {
            "agent_id": agent.pk,
            "name": agent.name,
            "emoji": agent.emoji,
            "role": agent.role,
            "team_name": agent.team.name if agent.team is not None else "",
            "success_rate_pct": (
                round(agent.success_rate * 100, 1) if agent.success_rate is not None else None
            ),
            "total_tasks_completed": agent.total_tasks_completed,
            "total_tasks_failed": agent.total_tasks_failed,
            "avg_duration_minutes": round(agent.avg_duration_seconds / 60, 1),
            "total_reward": agent.total_reward,
            "total_cost_usd": agent.total_cost_usd,
            "recommendation": found.recommendation,
            "reason": found.reason,
            "evaluation": _evaluation(found),
        }
        for agent, found in team.performance(workspace_of(request))
    ]


@router.get("/rl/llm-stats", response={200: LlmStatsOut, **INVALID})
def llm_stats(request: HttpRequest, filters: Query[StatsFilters]) -> dict[str, Any]:
    """Model calls over the last ``days`` days: per model and per agent, with cost and
    latency (p50 / p95 of each attempt's duration)."""
    return team.llm_stats(workspace_of(request), since=team.period(filters.days))


@router.get("/jobs/{job_id}", response={200: JobOut, **NOT_FOUND, **INVALID})
def get_job(request: HttpRequest, job_id: int) -> Job:
    jobs = Job.objects.prefetch_related("tasks")
    return get_scoped(jobs, workspace_of(request), missing=f"no job {job_id}", pk=job_id)

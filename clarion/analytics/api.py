"""Experiments, patterns and lessons of the request's workspace (seed 003's /api/rl/ paths).

Any member reads them; editors and owners create experiments, evaluate and detect.
"""

from __future__ import annotations

from datetime import datetime
from typing import Annotated, Any, Literal

from django.db.models import QuerySet
from django.http import HttpRequest
from ninja import Body, Field, Router, Schema, Status
from pydantic import AfterValidator, BaseModel, ConfigDict

from clarion.accounts.auth import workspace_of
from clarion.accounts.scope import get_scoped, scoped
from clarion.analytics import services
from clarion.analytics.models import Lesson, Pattern
from clarion.analytics.patterns import detect_patterns
from clarion.api.schemas import FORBIDDEN, INVALID, NOT_FOUND
from clarion.brands.models import Brand
from clarion.core.text import NONBLANK_PATTERN
from clarion.planning.models import Pillar

router = Router(tags=["learning"])


class ArmOut(Schema):
    id: int
    value: str
    label: str
    status: str = Field(description="live, killed or winner.")
    reason: str


class DecisionOut(Schema):
    id: int
    decision: str = Field(description="keep, kill or double_down.")
    rule: str = Field(description="bayesian, or circuit_breaker for operational failures.")
    sentence: str
    evidence: dict[str, Any]
    job_id: int | None
    created_at: datetime


class ExperimentOut(Schema):
    id: int
    name: str
    brand: str | None = Field(description="The brand's slug; empty for the whole workspace.")
    arm_kind: str
    status: str = Field(description="active, successful, failed or killed.")
    success_metric: str
    current_value: float | None
    decision: str
    decision_reason: str
    slot_floor: float
    created_at: datetime
    evaluated_at: datetime | None
    arms: list[ArmOut]

    @staticmethod
    def resolve_brand(obj: Any) -> str | None:
        return obj.brand.slug if obj.brand is not None else None

    @staticmethod
    def resolve_arms(obj: Any) -> list[Any]:
        return list(obj.arms.all())


class ExperimentDetailOut(ExperimentOut):
    decisions: list[DecisionOut]

    @staticmethod
    def resolve_decisions(obj: Any) -> list[Any]:
        return list(obj.decisions.order_by("-id")[:20])


# No leading or trailing space, so two arms that differ only by spaces cannot be sent.
_CONTROLS = r"\x00-\x1f\x7f-\x9f"
ARM_PATTERN = f"^[^\\s{_CONTROLS}](?:[^{_CONTROLS}]*[^\\s{_CONTROLS}])?$"
ArmValue = Annotated[str, Field(min_length=1, max_length=80, pattern=ARM_PATTERN)]
TimeValue = Annotated[str, Field(pattern=r"^([01][0-9]|2[0-3]):[0-5][0-9]$", description="HH:MM")]
SessionMetric = Literal["first_pass_approval", "approval_rate", "review_score"]
PostMetric = Literal["human_approval", "publish_success", "engagement_rate"]


class _ExperimentIn(BaseModel):
    model_config = ConfigDict(extra="forbid")

    name: str = Field(min_length=1, max_length=200, pattern=NONBLANK_PATTERN)
    brand: str | None = Field(default=None, max_length=60, description="A brand's slug.")
    slot_floor: float = Field(
        default=0.1,
        ge=0,
        le=0.5,
        strict=True,
        description="Each live arm's least share of new slots.",
    )


def _unique(values: list[str]) -> list[str]:
    if len(set(values)) != len(values):
        raise ValueError("every arm must be different")
    return values


Arms = Annotated[
    list[ArmValue],
    Field(min_length=2, max_length=services.MAX_ARMS, json_schema_extra={"uniqueItems": True}),
    AfterValidator(_unique),
]
Times = Annotated[
    list[TimeValue],
    Field(min_length=2, max_length=services.MAX_ARMS, json_schema_extra={"uniqueItems": True}),
    AfterValidator(_unique),
]
Pillars = Annotated[
    list[Pillar],
    Field(min_length=2, max_length=services.MAX_ARMS, json_schema_extra={"uniqueItems": True}),
    AfterValidator(_unique),
]


class VariantExperimentIn(_ExperimentIn):
    arm_kind: Literal["variant"]
    success_metric: SessionMetric | PostMetric
    arms: Arms


class HookStyleExperimentIn(_ExperimentIn):
    arm_kind: Literal["hook_style"]
    success_metric: SessionMetric | PostMetric
    arms: Arms


class AgentExperimentIn(_ExperimentIn):
    arm_kind: Literal["agent"]
    success_metric: SessionMetric
    arms: Arms


class PostingTimeExperimentIn(_ExperimentIn):
    arm_kind: Literal["posting_time"]
    success_metric: PostMetric
    arms: Times


class PillarExperimentIn(_ExperimentIn):
    arm_kind: Literal["pillar"]
    success_metric: PostMetric
    arms: Pillars


ExperimentIn = Annotated[
    VariantExperimentIn
    | HookStyleExperimentIn
    | AgentExperimentIn
    | PostingTimeExperimentIn
    | PillarExperimentIn,
    Field(discriminator="arm_kind"),
]


class EvaluateIn(BaseModel):
    model_config = ConfigDict(extra="forbid")

    experiment_ids: list[Annotated[int, Field(ge=1, le=2**62)]] | None = Field(
        default=None, max_length=100, description="Only these (default: every active one)."
    )


class EvaluationOut(Schema):
    job_id: int
    decisions: list[DecisionOut]
    lessons: list[str]


class PatternOut(Schema):
    id: int
    pattern_type: str = Field(description="success, failure or user_repetition.")
    title: str
    description: str
    detection_count: int
    confidence_score: float
    action_taken: str
    evidence: dict[str, Any]
    first_detected_at: datetime
    last_detected_at: datetime


class LessonOut(Schema):
    id: int
    text: str
    experiment_id: int | None
    decision_id: int | None
    task_id: int | None
    pattern_ids: list[int]
    created_at: datetime

    @staticmethod
    def resolve_pattern_ids(obj: Any) -> list[int]:
        return [p.pk for p in obj.patterns.all()]


@router.get("/rl/experiments", response=list[ExperimentOut])
def list_experiments(request: HttpRequest) -> QuerySet[Any]:
    return services.experiments_of(workspace_of(request))


@router.post(
    "/rl/experiments", response={201: ExperimentDetailOut, **FORBIDDEN, **NOT_FOUND, **INVALID}
)
def create_experiment(request: HttpRequest, payload: Body[ExperimentIn]) -> Status:
    """Editors: compare arms on a success metric, for one brand or the whole workspace."""
    workspace = workspace_of(request)
    brand = None
    if payload.brand:
        brand = get_scoped(
            Brand, workspace, missing=f"no brand {payload.brand}", slug=payload.brand
        )
    experiment = services.create_experiment(
        workspace=workspace,
        name=payload.name,
        arm_kind=payload.arm_kind,
        success_metric=payload.success_metric,
        arms=[str(arm) for arm in payload.arms],
        brand=brand,
        slot_floor=payload.slot_floor,
    )
    return Status(201, experiment)


@router.post("/rl/experiments/evaluate", response={200: EvaluationOut, **FORBIDDEN, **INVALID})
def evaluate_experiments(request: HttpRequest, payload: EvaluateIn | None = None) -> Any:
    """Evaluate active experiments now: a decision with its evidence each, and a lesson."""
    ids = payload.experiment_ids if payload is not None else None
    report = services.evaluate_experiments(workspace=workspace_of(request), experiment_ids=ids)
    return {
        "job_id": report.job.pk,
        "decisions": [e.decision for e in report.evaluations],
        "lessons": [e.lesson.text for e in report.evaluations if e.lesson is not None],
    }


@router.get(
    "/rl/experiments/{experiment_id}",
    response={200: ExperimentDetailOut, **NOT_FOUND, **INVALID},
)
def get_experiment(request: HttpRequest, experiment_id: int) -> Any:
    return services.get_experiment(workspace_of(request), experiment_id)


@router.get("/rl/patterns", response=list[PatternOut])
def list_patterns(request: HttpRequest) -> QuerySet[Pattern]:
    return scoped(Pattern, workspace_of(request)).order_by("-last_detected_at", "-id")


@router.post("/rl/patterns/detect", response={200: list[PatternOut], **FORBIDDEN})
def run_pattern_detection(request: HttpRequest) -> list[Pattern]:
    """Detect success and failure patterns now; a pattern seen again counts one more detection."""
    return detect_patterns(workspace=workspace_of(request))


@router.get("/rl/lessons", response=list[LessonOut])
def list_lessons(request: HttpRequest) -> QuerySet[Lesson]:
    return scoped(Lesson, workspace_of(request)).prefetch_related("patterns").order_by("-id")

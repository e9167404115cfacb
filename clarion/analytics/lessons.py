"""Lessons: the analyst agent puts each decision and its evidence in words, linked to them."""

from __future__ import annotations

import logging

from clarion.agents import llm
from clarion.agents.analyst import write_lesson
from clarion.agents.models import Job, Task
from clarion.agents.runtime import AgentCallFailed, NoActiveAgent
from clarion.agents.schemas import ArmSummary, LessonRequest
from clarion.analytics.metrics import METRICS
from clarion.analytics.models import Decision, Lesson, Pattern
from clarion.analytics.words import KIND_NOUNS

logger = logging.getLogger(__name__)


def lesson_request(decision: Decision, patterns: list[Pattern]) -> LessonRequest:
    experiment = decision.experiment
    metric = METRICS[experiment.success_metric]
    arms = [
        ArmSummary(
            label=str(row["label"])[:120],
            successes=int(row["successes"]),
            trials=int(row["trials"]),
            rate=min(max(float(row["posterior_mean"]), 0.0), 1.0),
            chance_best=min(max(float(row["p_best"]), 0.0), 1.0),
            verdict=row["verdict"],
        )
        for row in decision.evidence.get("arms", [])
    ]
    return LessonRequest(
        language=experiment.brand.language if experiment.brand is not None else "en-US",
        experiment=experiment.name[:200],
        compared=KIND_NOUNS.get(experiment.arm_kind, "arm"),
        metric=metric.label,
        unit=metric.unit,
        decision=decision.decision,
        reason=decision.sentence[:1000],
        arms=arms,
        patterns=[p.title[:300] for p in patterns[:3]],
    )


def write_lesson_for(decision: Decision, *, job: Job) -> Lesson | None:
    """The analyst's lesson from ``decision``, stored with links to the decision, its
    experiment, the patterns drawn from that experiment and the analyst's task.

    When the analyst cannot answer, the decision stands and no lesson is stored: the
    job's failed task says why.
    """
    experiment = decision.experiment
    patterns = list(
        Pattern.objects.filter(
            workspace_id=experiment.workspace_id, evidence__experiment=experiment.pk
        ).order_by("-confidence_score", "id")
    )
    request = lesson_request(decision, patterns)
    name = f"analyst, lesson from {experiment.name}"[:200]
    try:
        draft = write_lesson(request, job=job, task_name=name)
    except (AgentCallFailed, NoActiveAgent, llm.LLMConfigError) as exc:
        logger.warning("no lesson for decision %s: %s", decision.pk, exc)
        return None
    task = Task.objects.filter(job=job, role="analyst").order_by("-id").first()
    lesson = Lesson.objects.create(
        workspace_id=experiment.workspace_id,
        text=draft.text,
        experiment=experiment,
        decision=decision,
        task=task,
    )
    lesson.patterns.set(patterns)
    return lesson

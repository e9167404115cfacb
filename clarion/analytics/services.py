"""Experiment actions: create, evaluate (decide, record the evidence, have the analyst write
the lesson), and allocate future slots between live arms by Thompson sampling."""

from __future__ import annotations

import logging
from dataclasses import dataclass, field
from typing import Any

import numpy as np
from django.db import transaction
from django.db.models import Prefetch, QuerySet
from django.utils import timezone

from clarion.accounts.models import Workspace
from clarion.accounts.scope import get_scoped, scoped
from clarion.agents.jobs import fail_job, finish_job, start_job
from clarion.agents.models import Job
from clarion.analytics import bayes
from clarion.analytics.metrics import METRICS
from clarion.analytics.models import (
    ArmKind,
    ArmStatus,
    Decision,
    Experiment,
    ExperimentArm,
    ExperimentStatus,
    Lesson,
    Rule,
    Verdict,
)
from clarion.analytics.outcomes import Tally, supports, tally
from clarion.analytics.words import arm_label, decision_sentence
from clarion.brands.models import Brand
from clarion.core.errors import InvalidInput

logger = logging.getLogger(__name__)

CIRCUIT_BREAKER_FAILURES = 3  # operational failures in a row that stop an arm, whatever the stats
MAX_ARMS = 6


def experiments_of(workspace: Workspace) -> QuerySet[Experiment]:
    arms = Prefetch("arms", queryset=ExperimentArm.objects.order_by("id"))
    return scoped(Experiment, workspace).select_related("brand").prefetch_related(arms)


def get_experiment(workspace: Workspace, experiment_id: int) -> Experiment:
    return get_scoped(
        experiments_of(workspace),
        workspace,
        missing=f"no experiment {experiment_id}",
        pk=experiment_id,
    )


def create_experiment(
    *,
    workspace: Workspace,
    name: str,
    arm_kind: str,
    success_metric: str,
    arms: list[str],
    brand: Brand | None = None,
    slot_floor: float = 0.1,
) -> Experiment:
    """Store an active experiment comparing ``arms`` (two to six values) on ``success_metric``."""
    if not name.strip():
        raise InvalidInput("name", "give the experiment a name")
    if arm_kind not in ArmKind.values:
        raise InvalidInput("arm_kind", f"arm_kind must be one of {', '.join(ArmKind.values)}")
    metric = METRICS.get(success_metric)
    if metric is None:
        raise InvalidInput("success_metric", f"success_metric must be one of {', '.join(METRICS)}")
    if not supports(metric, arm_kind):
        raise InvalidInput(
            "arm_kind", f"{metric.label} is not recorded per {ArmKind(arm_kind).label.lower()}"
        )
    values = list(dict.fromkeys(a.strip() for a in arms if a.strip()))
    if not 2 <= len(values) <= MAX_ARMS:
        raise InvalidInput("arms", f"compare 2 to {MAX_ARMS} different arms")
    if arm_kind == ArmKind.POSTING_TIME:
        values = [_time_value(v) for v in values]
    if brand is not None and brand.workspace_id != workspace.pk:
        raise InvalidInput("brand", "no such brand in this workspace")
    if not 0 <= slot_floor <= 1:
        raise InvalidInput("slot_floor", "slot_floor is a share of the slots, from 0 to 1")
    slot_floor = min(slot_floor, 1 / len(values))  # every arm at its floor is the most there is
    with transaction.atomic():
        experiment = Experiment.objects.create(
            workspace=workspace,
            brand=brand,
            name=name.strip()[:200],
            arm_kind=arm_kind,
            success_metric=success_metric,
            slot_floor=slot_floor,
        )
        ExperimentArm.objects.bulk_create(
            ExperimentArm(experiment=experiment, value=v[:80], label=arm_label(arm_kind, v))
            for v in values
        )
    return get_experiment(workspace, experiment.pk)


def _time_value(value: str) -> str:
    hours, _, minutes = value.partition(":")
    if not (hours.isdigit() and minutes.isdigit() and int(hours) < 24 and int(minutes) < 60):
        raise InvalidInput("arms", f"a posting time reads HH:MM, not {value!r}")
    return f"{int(hours):02d}:{int(minutes):02d}"


def _tally(experiment: Experiment, **window: Any) -> Tally:
    return tally(
        metric_name=experiment.success_metric,
        arm_kind=experiment.arm_kind,
        workspace_id=experiment.workspace_id,
        brand_id=experiment.brand_id,
        **window,
    )


@dataclass
class Evaluation:
    experiment: Experiment
    decision: Decision
    lesson: Lesson | None = None


@dataclass
class EvaluationReport:
    job: Job
    evaluations: list[Evaluation] = field(default_factory=list)


def decide_experiment(experiment: Experiment, *, job: Job | None = None) -> Decision:
    """Evaluate one experiment on its outcomes so far; store the Decision and update the arms."""
    metric = METRICS[experiment.success_metric]
    arms = list(experiment.arms.all())
    history = _tally(experiment, until=experiment.created_at)
    prior = bayes.prior_from_history(*history.pooled(), weight=metric.rules.prior_trials)
    outcomes = _tally(experiment, since=experiment.created_at)
    successes = [outcomes.successes.get(a.value, 0.0) for a in arms]
    trials = [outcomes.trials.get(a.value, 0.0) for a in arms]
    evidence = bayes.evaluate(successes, trials, prior=prior)
    live = np.array([a.status != ArmStatus.KILLED for a in arms])
    verdicts = list(bayes.decide(evidence, metric.rules, prior=prior, live=live))
    tripped = [
        i
        for i, a in enumerate(arms)
        if live[i] and outcomes.failure_streak.get(a.value, 0) >= CIRCUIT_BREAKER_FAILURES
    ]
    rule = Rule.CIRCUIT_BREAKER if tripped else Rule.BAYESIAN
    for i in tripped:
        verdicts[i] = bayes.KILL
    doubled = [i for i, v in enumerate(verdicts) if v == bayes.DOUBLE_DOWN]
    still_live = [i for i, v in enumerate(verdicts) if v != bayes.KILL]
    if doubled:
        verdict, status = Verdict.DOUBLE_DOWN, ExperimentStatus.SUCCESSFUL
    elif not still_live:
        verdict = Verdict.KILL
        status = ExperimentStatus.FAILED if tripped else ExperimentStatus.KILLED
    elif any(v == bayes.KILL and live[i] for i, v in enumerate(verdicts)):
        verdict, status = Verdict.KILL, ExperimentStatus.ACTIVE
    else:
        verdict, status = Verdict.KEEP, ExperimentStatus.ACTIVE
    rows = [
        {
            "arm": a.value,
            "label": a.label or a.value,
            "successes": successes[i],
            "trials": trials[i],
            "posterior_mean": float(evidence.mean[i]),
            "interval": [float(evidence.low[i]), float(evidence.high[i])],
            "p_best": float(evidence.p_best[i]),
            "p_below_best": float(evidence.p_below_leader[i]),
            "expected_loss": float(evidence.expected_loss[i]),
            "verdict": str(verdicts[i]),
            "circuit_breaker": i in tripped,
            "operational_failures_in_a_row": outcomes.failure_streak.get(a.value, 0),
        }
        for i, a in enumerate(arms)
    ]
    body = {
        "metric": metric.name,
        "unit": metric.unit,
        "prior": {"alpha": prior[0], "beta": prior[1], "history": list(history.pooled())},
        "rules": {
            "min_trials": metric.rules.min_trials,
            "kill_threshold": metric.rules.kill_threshold,
            "best_threshold": metric.rules.best_threshold,
            "epsilon": float(bayes.epsilon(prior, metric.rules)),
            "circuit_breaker_failures": CIRCUIT_BREAKER_FAILURES,
        },
        "leader": arms[int(evidence.leader)].value if arms else None,
        "arms": rows,
    }
    sentence = decision_sentence(experiment, metric, verdict, rows, rule=rule)
    leader = int(evidence.leader)
    with transaction.atomic():
        decision = Decision.objects.create(
            experiment=experiment,
            job=job,
            decision=verdict,
            rule=rule,
            sentence=sentence,
            evidence=body,
        )
        for i, arm in enumerate(arms):
            new = ArmStatus.LIVE
            if verdicts[i] == bayes.KILL:
                new = ArmStatus.KILLED
            elif verdicts[i] == bayes.DOUBLE_DOWN:
                new = ArmStatus.WINNER
            if new != arm.status or (new == ArmStatus.KILLED and not arm.reason):
                arm.status = new
                arm.reason = sentence if new == ArmStatus.KILLED else str(rows[i]["verdict"])
                arm.save(update_fields=["status", "reason"])
        experiment.status = status
        experiment.decision = verdict
        experiment.decision_reason = sentence
        experiment.current_value = float(evidence.mean[leader]) if arms else None
        experiment.evaluated_at = timezone.now()
        experiment.save(
            update_fields=["status", "decision", "decision_reason", "current_value", "evaluated_at"]
        )
    return decision


def evaluate_experiments(
    *, workspace: Workspace, experiment_ids: list[int] | None = None, lessons: bool = True
) -> EvaluationReport:
    """Evaluate the workspace's active experiments (or those named), as one "evaluation" Job;
    the analyst writes a lesson from each decision."""
    from clarion.analytics.lessons import write_lesson_for
    from clarion.automation.services import record as record_command

    record_command(workspace, "evaluation", {"experiment_ids": experiment_ids})
    chosen = experiments_of(workspace).filter(status=ExperimentStatus.ACTIVE)
    if experiment_ids is not None:
        chosen = experiments_of(workspace).filter(pk__in=experiment_ids)
    experiments = list(chosen.order_by("id"))
    job = start_job(
        "evaluation",
        f"Evaluation of {len(experiments)} experiment{'s' if len(experiments) != 1 else ''}",
        workspace_id=workspace.pk,
        metadata={"experiments": [e.pk for e in experiments]},
    )
    report = EvaluationReport(job=job)
    try:
        for experiment in experiments:
            decision = decide_experiment(experiment, job=job)
            experiment.refresh_from_db()
            lesson = write_lesson_for(decision, job=job) if lessons else None
            report.evaluations.append(Evaluation(experiment, decision, lesson))
    except Exception as exc:
        fail_job(job, f"{type(exc).__name__}: {exc}"[:1000])
        raise
    finish_job(
        job,
        metadata={**job.metadata, "decisions": [e.decision.pk for e in report.evaluations]},
    )
    job.refresh_from_db()
    return report


def live_posting_time_shares(brand: Brand) -> tuple[Experiment, list[str], list[float]] | None:
    """The brand's active posting-time experiment, its live arms and their Thompson shares."""
    experiment = (
        Experiment.objects.filter(
            brand=brand,
            arm_kind=ArmKind.POSTING_TIME,
            status__in=(ExperimentStatus.ACTIVE, ExperimentStatus.SUCCESSFUL),
        )
        .order_by("-id")
        .first()
    )
    if experiment is None:
        return None
    arms = [a for a in experiment.arms.order_by("id") if a.status != ArmStatus.KILLED]
    winners = [a.value for a in arms if a.status == ArmStatus.WINNER]
    if winners:  # doubled down: every new slot goes to the winner
        return experiment, winners[:1], [1.0]
    if not arms:
        return None
    metric = METRICS[experiment.success_metric]
    history = _tally(experiment, until=experiment.created_at)
    prior = bayes.prior_from_history(*history.pooled(), weight=metric.rules.prior_trials)
    outcomes = _tally(experiment, since=experiment.created_at)
    shares = bayes.thompson_shares(
        [outcomes.successes.get(a.value, 0.0) for a in arms],
        [outcomes.trials.get(a.value, 0.0) for a in arms],
        prior=prior,
        floor=experiment.slot_floor,
        rng=np.random.default_rng([bayes.SEED, experiment.pk]),
    )
    return experiment, [a.value for a in arms], shares

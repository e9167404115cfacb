"""Recording what people ask for, proposing automations from repetition, and running them.

``record`` is called where a person's command becomes work a job can do (``clarion
jobs start`` and ``POST /api/jobs/start``, regenerating a campaign from the API, the
CLI or the chat, a daily run, an evaluation, a slogan session); work the worker does
by itself is never recorded. The intent abstracts what changes from one time to the
next (dates, free text, lists of ids) and keeps what is repeated (the job, the brand
or campaign, the phase). Three times or more make a candidate: weekly on a weekday
when most of them fell on it, daily otherwise. ``run_due_schedules`` (the worker's
heartbeat) starts each approved schedule once per period: a ScheduleRun per period
is unique, so several workers ticking at once start it once.
"""

from __future__ import annotations

import logging
from collections import Counter
from datetime import datetime, timedelta
from typing import Any

from django.db import IntegrityError, transaction
from django.db.models import QuerySet
from django.utils import timezone

from clarion.accounts.models import Workspace
from clarion.accounts.scope import get_scoped, scoped
from clarion.audit.context import API_TOKEN, CLI, WEB, acting, current_actor, worker_actor
from clarion.automation.models import (
    AutomationCandidate,
    Cadence,
    Schedule,
    ScheduleRun,
    UserCommand,
)
from clarion.core.errors import Conflict

logger = logging.getLogger(__name__)

PEOPLE = (CLI, API_TOKEN, WEB)
MIN_OCCURRENCES = 3
LOOKBACK_DAYS = 90
WEEKLY_SHARE = 2 / 3  # of the occurrences on one weekday: weekly on it
DAYS = ("Monday", "Tuesday", "Wednesday", "Thursday", "Friday", "Saturday", "Sunday")
FREE_TEXT = {"brief", "new_direction", "goal", "name"}
DATES = {"date", "start_date"}
LISTS = {"experiment_ids"}
LABELS = {
    "slogans": "write slogans",
    "daily_run": "run the day",
    "monthly_plan": "plan the month",
    "campaign": "plan a campaign",
    "regeneration": "regenerate a campaign",
    "evaluation": "evaluate the experiments",
}


def normalise(job_type: str, params: dict[str, Any]) -> str:
    """``regeneration campaign=launch phase_num=3 new_direction={text}``: the verb and
    object, with dates, free text and id lists abstracted."""
    parts = [job_type]
    for name in sorted(params):
        value = params[name]
        if value in (None, "", []):
            continue
        if name in FREE_TEXT:
            value = "{text}"
        elif name in DATES:
            value = "{date}"
        elif name in LISTS:
            value = "{ids}"
        parts.append(f"{name}={value}")
    return " ".join(parts)[:500]


def describe(job_type: str, params: dict[str, Any]) -> str:
    what = LABELS.get(job_type, job_type.replace("_", " "))
    details = ", ".join(
        f"{k.replace('_', ' ')} {v}"
        for k, v in sorted(params.items())
        if v not in (None, "", []) and k not in DATES
    )
    return f"{what} ({details})" if details else what


def record(workspace: Workspace | int | None, job_type: str, params: dict[str, Any]) -> None:
    """Keep a person's command; propose an automation once it has repeated enough.

    Never fails the command it records: a problem here is logged, not raised."""
    actor = current_actor()
    if actor.via not in PEOPLE or workspace is None:
        return
    workspace_id = workspace.pk if isinstance(workspace, Workspace) else workspace
    try:
        with transaction.atomic():
            command = UserCommand.objects.create(
                workspace_id=workspace_id,
                command_text=describe(job_type, params)[:2000],
                normalized_intent=normalise(job_type, params),
                job_type=job_type,
                params=params,
                via=actor.via,
                actor_email=actor.email,
                executed_at=timezone.now(),
            )
            _propose(command)
    except Exception:
        logger.exception("recording the command %s failed", job_type)


def _propose(command: UserCommand) -> AutomationCandidate | None:
    since = command.executed_at - timedelta(days=LOOKBACK_DAYS)
    same = UserCommand.objects.filter(
        workspace_id=command.workspace_id,
        normalized_intent=command.normalized_intent,
        executed_at__gte=since,
    )
    times = [timezone.localtime(t) for t in same.values_list("executed_at", flat=True)]
    if len(times) < MIN_OCCURRENCES:
        return None
    count = len(times)
    weekday, on_it = Counter(t.weekday() for t in times).most_common(1)[0]
    hour = Counter(t.hour for t in times).most_common(1)[0][0]
    weekly = on_it / count >= WEEKLY_SHARE
    what = describe(command.job_type, command.params)
    if weekly:
        share = on_it / count
        cadence, when, name = Cadence.WEEKLY, f"every {DAYS[weekday]}", f"{DAYS[weekday]}s"
    else:
        share = len({t.date() for t in times}) / count
        cadence, when, name = Cadence.DAILY, "every day", "Daily"
    confidence = round(min(0.99, share * count / (count + 1)), 3)
    description = (
        f"You asked to {what} {count} times in the last {LOOKBACK_DAYS} days"
        + (f", {on_it} of them on a {DAYS[weekday]}" if weekly else "")
        + f": Clarion can do it {when} at {hour:02d}:00."
    )
    agent_name = f"{name} {LABELS.get(command.job_type, command.job_type)}"[:120].capitalize()
    candidate, _ = AutomationCandidate.objects.update_or_create(
        workspace_id=command.workspace_id,
        normalized_intent=command.normalized_intent,
        defaults={
            "pattern_description": description,
            "occurrence_count": count,
            "confidence_score": confidence,
            "job_type": command.job_type,
            "params": command.params,
            "cadence": cadence,
            "weekday": weekday if weekly else None,
            "hour": hour,
            "proposed_agent_name": agent_name,
        },
    )
    _pattern(command, candidate)
    return candidate


def _pattern(command: UserCommand, candidate: AutomationCandidate) -> None:
    from clarion.analytics.models import Pattern, PatternType

    Pattern.objects.update_or_create(
        workspace_id=command.workspace_id,
        key=f"user_repetition:{command.normalized_intent}"[:200],
        defaults={
            "pattern_type": PatternType.USER_REPETITION,
            "title": f"Repeated: {describe(command.job_type, command.params)}"[:200],
            "description": candidate.pattern_description,
            "detection_count": candidate.occurrence_count,
            "confidence_score": candidate.confidence_score,
            "action_taken": (
                f"automated as {candidate.proposed_agent_name}"
                if candidate.is_automated
                else f"automation candidate {candidate.pk} proposed"
            ),
            "evidence": {"candidate_id": candidate.pk, "intent": command.normalized_intent},
        },
    )


def candidates_of(workspace: Workspace) -> QuerySet[AutomationCandidate]:
    return scoped(AutomationCandidate, workspace).select_related("schedule")


def approve(workspace: Workspace, candidate_id: int) -> AutomationCandidate:
    """Turn a candidate into a schedule the worker runs once per period."""
    from clarion.audit import services as audit

    candidate = get_scoped(
        AutomationCandidate,
        workspace,
        missing=f"no automation candidate {candidate_id}",
        pk=candidate_id,
    )
    with transaction.atomic():
        if not AutomationCandidate.objects.filter(pk=candidate.pk, is_automated=False).update(
            is_automated=True, approved_at=timezone.now()
        ):
            raise Conflict(f"automation candidate {candidate.pk} is approved already")
        Schedule.objects.create(
            workspace=workspace,
            candidate=candidate,
            name=candidate.proposed_agent_name,
            job_type=candidate.job_type,
            params={k: v for k, v in candidate.params.items() if k not in DATES},
            cadence=candidate.cadence,
            weekday=candidate.weekday,
            hour=candidate.hour,
        )
        audit.record(
            action="automation.approve",
            target=candidate,
            workspace=workspace,
            label=candidate.proposed_agent_name,
        )
    candidate.refresh_from_db()
    from clarion.analytics.models import Pattern

    Pattern.objects.filter(
        workspace=workspace, key=f"user_repetition:{candidate.normalized_intent}"[:200]
    ).update(action_taken=f"automated as {candidate.proposed_agent_name}")
    return candidate


def period_of(schedule: Schedule, now: datetime) -> str | None:
    """The period ``now`` falls in when the schedule is due then (None: not due)."""
    local = timezone.localtime(now)
    if local.hour < schedule.hour:
        return None
    if schedule.cadence == Cadence.WEEKLY:
        if local.weekday() != schedule.weekday:
            return None
        year, week, _ = local.isocalendar()
        return f"{year}-W{week:02d}"
    return local.date().isoformat()


def run_due_schedules(*, now: datetime | None = None) -> list[int]:
    """Start every schedule due now that has not run this period; return the jobs started."""
    from clarion.agents import control

    now = now or timezone.now()
    started: list[int] = []
    for schedule in Schedule.objects.filter(is_active=True).select_related("workspace"):
        period = period_of(schedule, now)
        if period is None or ScheduleRun.objects.filter(schedule=schedule, period=period).exists():
            continue
        try:
            with transaction.atomic(), acting(worker_actor()):
                run = ScheduleRun.objects.create(schedule=schedule, period=period)
                try:
                    with transaction.atomic():
                        job = control.start(schedule.workspace, schedule.job_type, schedule.params)
                except Exception as exc:  # the period's run says why it could not start
                    run.error = str(getattr(exc, "message", "") or exc)[:2000]
                    run.save(update_fields=["error"])
                    logger.warning("schedule %s could not start: %s", schedule.pk, run.error)
                    continue
                run.job = job
                run.save(update_fields=["job"])
                control.log(job, f"Started by the schedule {schedule.name} ({period}).")
                started.append(job.pk)
        except IntegrityError:
            continue  # another worker started it for this period just now
    return started

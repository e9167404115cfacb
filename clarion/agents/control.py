"""Jobs a person starts and stops (seed 003's sessions): one run of one kind of work, in steps.

``start`` checks the parameters, stores the job queued with one pending task per
step and hands it to the worker (``clarion.agents.tasks.run_control_job``). The
worker runs the steps in order, each a unit of work that is stored whole or not
at all (a slogan session, a brand's daily posts, a monthly plan, a campaign plan,
an evaluation), writing what it does to the job's log. ``stop`` is cooperative:
the step running finishes, the steps after it are marked skipped and the job
stopped, so nothing half-written stays behind.
"""

from __future__ import annotations

import logging
from collections.abc import Callable
from dataclasses import dataclass
from datetime import date
from typing import Any

from django.db import transaction
from django.db.models import QuerySet
from django.utils import timezone

from clarion.accounts.models import Workspace
from clarion.accounts.scope import get_scoped, scoped
from clarion.agents.models import Job, JobLog, RunStatus, Task
from clarion.core.errors import Conflict, InvalidInput, NotFound
from clarion.core.liveness import process_id

logger = logging.getLogger(__name__)

STEP_ROLE = "step"
MAX_SLOGANS = 20
ENDED = (
    RunStatus.SUCCEEDED,
    RunStatus.FAILED,
    RunStatus.CANCELLED,
    RunStatus.STOPPED,
)


@dataclass(frozen=True)
class Planned:
    """A job checked and ready to queue: its title, its parameters as stored, its steps."""

    title: str
    params: dict[str, Any]
    steps: list[str]


@dataclass(frozen=True)
class JobType:
    name: str
    label: str
    help: str
    plan: Callable[[Workspace, dict[str, Any]], Planned]
    run_step: Callable[[Job, Workspace, dict[str, Any], int], str]  # the log line it ends with


# --- parameters ---


def _text(params: dict[str, Any], name: str, *, required: bool = True, limit: int = 1000) -> str:
    value = params.get(name, "")
    if not isinstance(value, str):
        raise InvalidInput(name, "must be text")
    value = value.strip()
    if required and not value:
        raise InvalidInput(name, "is required")
    if len(value) > limit:
        raise InvalidInput(name, f"must be at most {limit} characters")
    return value


def _number(params: dict[str, Any], name: str, default: int, low: int, high: int) -> int:
    value = params.get(name, default)
    if isinstance(value, str) and value.strip().isdigit():
        value = int(value)
    if isinstance(value, bool) or not isinstance(value, int) or not low <= value <= high:
        raise InvalidInput(name, f"must be a whole number from {low} to {high}")
    return value


def _day(params: dict[str, Any], name: str, default: date | None = None) -> date:
    value = params.get(name)
    if value in (None, "") and default is not None:
        return default
    try:
        return date.fromisoformat(str(value))
    except ValueError:
        raise InvalidInput(name, "must be a date as YYYY-MM-DD") from None


def _flag(params: dict[str, Any], name: str) -> bool:
    value = params.get(name, False)
    if isinstance(value, str) and value.lower() in ("true", "false", "1", "0", "yes", "no"):
        return value.lower() in ("true", "1", "yes")
    if not isinstance(value, bool):
        raise InvalidInput(name, "must be true or false")
    return value


def _brand(workspace: Workspace, ref: str) -> Any:
    from clarion.brands.services import get_brand

    return get_brand(ref, workspace=workspace)


def _only(params: dict[str, Any], *names: str) -> None:
    unknown = sorted(set(params) - set(names))
    if unknown:
        known = ", ".join(names) or "none"
        raise InvalidInput(unknown[0], f"is not a parameter of this job (it takes: {known})")


# --- the kinds of job ---


def _plan_slogans(workspace: Workspace, params: dict[str, Any]) -> Planned:
    _only(params, "brief", "count", "brand")
    brief = _text(params, "brief")
    count = _number(params, "count", 3, 1, MAX_SLOGANS)
    brand = _text(params, "brand", required=False, limit=120)
    if brand:
        _brand(workspace, brand)
    steps = [f"Slogan {n} of {count}" for n in range(1, count + 1)]
    clean = {"brief": brief, "count": count, "brand": brand}
    return Planned(f"{count} slogans: {brief}", clean, steps)


def _run_slogan(job: Job, workspace: Workspace, params: dict[str, Any], index: int) -> str:
    from clarion.writing.services import run_session, start_session

    brand = _brand(workspace, params["brand"]) if params.get("brand") else None
    session = run_session(start_session(brief=params["brief"], brand=brand, workspace=workspace))
    if session.completion_reason == "error":
        raise RuntimeError(session.error or "the slogan session failed")
    return f"Slogan {index + 1} ({session.completion_reason}): {session.final_text}"


def _plan_evaluation(workspace: Workspace, params: dict[str, Any]) -> Planned:
    _only(params, "experiment_ids")
    ids = params.get("experiment_ids")
    if ids is not None and (
        not isinstance(ids, list) or not all(isinstance(i, int) and i > 0 for i in ids)
    ):
        raise InvalidInput("experiment_ids", "must be a list of experiment ids")
    return Planned("Evaluate the experiments", {"experiment_ids": ids}, ["Evaluate"])


def _run_evaluation(job: Job, workspace: Workspace, params: dict[str, Any], index: int) -> str:
    from clarion.analytics.services import evaluate_experiments

    report = evaluate_experiments(workspace=workspace, experiment_ids=params["experiment_ids"])
    if not report.evaluations:
        return "No active experiment to evaluate."
    return "; ".join(f"{e.experiment.name}: {e.decision.sentence}" for e in report.evaluations)


def _plan_monthly(workspace: Workspace, params: dict[str, Any]) -> Planned:
    _only(params, "brand", "start_date", "days")
    brand = _brand(workspace, _text(params, "brand", limit=120))
    start = _day(params, "start_date", timezone.localdate())
    days = _number(params, "days", 0, 0, 31) or None
    clean = {"brand": brand.slug, "start_date": start.isoformat(), "days": days}
    return Planned(f"Monthly plan for {brand.brand_name} from {start}", clean, ["Plan the month"])


def _run_monthly(job: Job, workspace: Workspace, params: dict[str, Any], index: int) -> str:
    from clarion.planning.services import generate_monthly_plan

    plan = generate_monthly_plan(
        brand=_brand(workspace, params["brand"]),
        start_date=date.fromisoformat(params["start_date"]),
        days=params["days"],
    )
    return f"Planned {plan.slots.count()} slots from {plan.start_date} (plan {plan.pk})."


def _plan_daily(workspace: Workspace, params: dict[str, Any]) -> Planned:
    from clarion.brands.models import Brand

    _only(params, "date", "dry_run")
    day = _day(params, "date", timezone.localdate())
    dry = _flag(params, "dry_run")
    brands = list(scoped(Brand, workspace).order_by("slug").values_list("slug", "brand_name"))
    if not brands:
        raise NotFound("this workspace has no brand to run the day for: create one first")
    clean = {"date": day.isoformat(), "dry_run": dry, "brands": [slug for slug, _ in brands]}
    title = f"Daily run for {day}" + (" (dry run)" if dry else "")
    return Planned(title, clean, [f"Daily posts of {name}" for _, name in brands])


def _run_daily(job: Job, workspace: Workspace, params: dict[str, Any], index: int) -> str:
    from clarion.publishing.orchestrator import run_daily

    brand = _brand(workspace, params["brands"][index])
    run = run_daily(
        date=date.fromisoformat(params["date"]),
        brands=[brand],
        workspace=workspace,
        dry_run=params["dry_run"],
    )
    counts = ", ".join(f"{n} {what}" for what, n in sorted(run.counts.items()) if n) or "nothing"
    return f"{brand.brand_name}: {counts} (daily run {run.pk})."


def _plan_campaign(workspace: Workspace, params: dict[str, Any]) -> Planned:
    _only(params, "brand", "goal", "phase_count", "name")
    brand = _brand(workspace, _text(params, "brand", limit=120))
    goal = _text(params, "goal", limit=2000)
    phases = _number(params, "phase_count", 3, 1, 10)
    name = _text(params, "name", required=False, limit=200)
    clean = {"brand": brand.slug, "goal": goal, "phase_count": phases, "name": name}
    return Planned(f"Campaign for {brand.brand_name}: {goal}", clean, ["Plan the campaign"])


def _run_campaign(job: Job, workspace: Workspace, params: dict[str, Any], index: int) -> str:
    from clarion.campaigns.services import create_campaign

    campaign = create_campaign(
        brand=_brand(workspace, params["brand"]),
        goal=params["goal"],
        name=params["name"] or None,
        phase_count=params["phase_count"],
    )
    return f"Planned campaign {campaign.campaign_id}: {campaign.name}."


def _campaign(workspace: Workspace, ref: str) -> Any:
    from clarion.campaigns.services import get_campaign

    return get_campaign(ref, workspace=workspace)


def _plan_regeneration(workspace: Workspace, params: dict[str, Any]) -> Planned:
    _only(params, "campaign", "phase_num", "new_direction")
    campaign = _campaign(workspace, _text(params, "campaign", limit=120))
    phase = _number(params, "phase_num", 1, 1, 10)
    direction = _text(params, "new_direction", limit=2000)
    clean = {"campaign": campaign.campaign_id, "phase_num": phase, "new_direction": direction}
    title = f"Regenerate {campaign.name} from phase {phase}: {direction}"
    return Planned(title, clean, [f"Regenerate from phase {phase}"])


def _run_regeneration(job: Job, workspace: Workspace, params: dict[str, Any], index: int) -> str:
    from clarion.campaigns.services import regenerate_from_phase

    result = regenerate_from_phase(
        campaign=_campaign(workspace, params["campaign"]),
        phase_num=params["phase_num"],
        new_direction=params["new_direction"],
    )
    return (
        f"Version {result.version} from phase {result.from_phase}: {result.archived} post(s) "
        f"archived, {len(result.posts)} new."
    )


TYPES: dict[str, JobType] = {
    t.name: t
    for t in (
        JobType(
            "slogans",
            "Slogan session",
            "Write slogans for a brief (brief, count 1–20, brand).",
            _plan_slogans,
            _run_slogan,
        ),
        JobType(
            "daily_run",
            "Daily run",
            "Write, check and publish a day's posts, brand by brand (date, dry_run).",
            _plan_daily,
            _run_daily,
        ),
        JobType(
            "monthly_plan",
            "Monthly plan",
            "Plan a brand's month (brand, start_date, days).",
            _plan_monthly,
            _run_monthly,
        ),
        JobType(
            "campaign",
            "Campaign creation",
            "Plan a campaign (brand, goal, phase_count, name).",
            _plan_campaign,
            _run_campaign,
        ),
        JobType(
            "regeneration",
            "Regeneration",
            "Regenerate a campaign from a phase on (campaign, phase_num, new_direction).",
            _plan_regeneration,
            _run_regeneration,
        ),
        JobType(
            "evaluation",
            "Evaluation",
            "Evaluate the active experiments (experiment_ids).",
            _plan_evaluation,
            _run_evaluation,
        ),
    )
}


def job_type(name: str) -> JobType:
    try:
        return TYPES[name]
    except KeyError:
        raise InvalidInput("job_type", f"must be one of {', '.join(TYPES)}") from None


# --- starting, stopping, reading ---


def log(job: Job | int, message: str, *, level: str = "info", **data: Any) -> JobLog:
    job_id = job if isinstance(job, int) else job.pk
    return JobLog.objects.create(job_id=job_id, level=level, message=message[:4000], data=data)


def start(workspace: Workspace, kind: str, params: dict[str, Any] | None = None) -> Job:
    """Check ``params`` for ``kind``, store the job queued with its steps, hand it to the worker."""
    from clarion.agents.tasks import run_control_job
    from clarion.automation.services import record as record_command

    given = dict(params or {})
    planned = job_type(kind).plan(workspace, given)
    record_command(workspace, kind, given)
    with transaction.atomic():
        job = Job.objects.create(
            workspace=workspace,
            kind=kind,
            title=planned.title[:200],
            metadata={"control": True, "params": planned.params},
        )
        Task.objects.bulk_create(
            Task(job=job, role=STEP_ROLE, name=name[:200]) for name in planned.steps
        )
        log(job, f"Queued: {planned.title} ({len(planned.steps)} step(s)).")
        transaction.on_commit(lambda: run_control_job.enqueue(job.pk))
    return job


def jobs_of(
    workspace: Workspace, *, status: str | None = None, kind: str | None = None
) -> QuerySet[Job]:
    jobs = scoped(Job, workspace)
    if status:
        jobs = jobs.filter(status=status)
    if kind:
        jobs = jobs.filter(kind=kind)
    return jobs.order_by("-created_at", "-id")


def job_of(workspace: Workspace, job_id: int) -> Job:
    return get_scoped(Job, workspace, missing=f"no job {job_id}", pk=job_id)


def stop(workspace: Workspace, job_id: int) -> Job:
    """Ask a job to stop: a queued one stops at once; a running one after its current step."""
    job = job_of(workspace, job_id)
    now = timezone.now()
    if job.status in ENDED:
        raise Conflict(f"job {job.pk} has ended already ({job.status})")
    with transaction.atomic():
        if Job.objects.filter(pk=job.pk, status=RunStatus.PENDING).update(
            status=RunStatus.STOPPED, stop_requested_at=now, finished_at=now, updated_at=now
        ):
            _skip_rest(job.pk, now)
            log(job, "Stopped before it started: every step skipped.")
        elif Job.objects.filter(
            pk=job.pk, status=RunStatus.RUNNING, stop_requested_at__isnull=True
        ).update(stop_requested_at=now):
            log(job, "Stop asked: the step running now finishes, the rest is skipped.")
    job.refresh_from_db()
    return job


def _skip_rest(job_id: int, now: Any) -> int:
    return Task.objects.filter(job_id=job_id, status=RunStatus.PENDING).update(
        status=RunStatus.SKIPPED, finished_at=now, error="skipped: the job was stopped"
    )


def status_of(job: Job) -> dict[str, Any]:
    steps = list(job.tasks.filter(role=STEP_ROLE).order_by("id"))
    counts: dict[str, int] = {}
    for step in steps:
        counts[step.status] = counts.get(step.status, 0) + 1
    current = next((s.name for s in steps if s.status == RunStatus.RUNNING), None)
    return {
        "id": job.pk,
        "kind": job.kind,
        "title": job.title,
        "status": job.status,
        "stop_requested": job.stop_requested_at is not None,
        "steps_total": len(steps),
        "steps": counts,
        "current_step": current,
        "error": job.error,
        "created_at": job.created_at,
        "started_at": job.started_at,
        "finished_at": job.finished_at,
    }


def logs_of(job: Job, *, after: int = 0, limit: int = 500) -> list[JobLog]:
    return list(JobLog.objects.filter(job=job, pk__gt=after).order_by("id")[:limit])


# --- running (the worker) ---


def run(job_id: int) -> str:
    """Run a queued job's steps in order; stop between steps when asked. Returns its status."""
    now = timezone.now()
    taken = Job.objects.filter(pk=job_id, status=RunStatus.PENDING).update(
        status=RunStatus.RUNNING, started_at=now, updated_at=now, runner=process_id()
    )
    job = Job.objects.select_related("workspace").filter(pk=job_id).first()
    if job is None:
        return "missing"
    if not taken:
        return f"not queued ({job.status})"
    kind = TYPES.get(job.kind)
    workspace = job.workspace
    if kind is None or workspace is None:
        return _end(job, RunStatus.FAILED, f"no job type {job.kind!r}")
    params = dict(job.metadata.get("params") or {})
    log(job, "Started.")
    steps = list(job.tasks.filter(role=STEP_ROLE).order_by("id"))
    for index, step in enumerate(steps):
        if Job.objects.filter(pk=job.pk, stop_requested_at__isnull=False).exists():
            skipped = _skip_rest(job.pk, timezone.now())
            log(job, f"Stopped: {index} step(s) done, {skipped} skipped.")
            return _end(job, RunStatus.STOPPED, "")
        started = timezone.now()
        Task.objects.filter(pk=step.pk).update(status=RunStatus.RUNNING, started_at=started)
        Job.objects.filter(pk=job.pk).update(updated_at=started)
        log(job, f"{step.name}: started.")
        try:
            said = kind.run_step(job, workspace, params, index)
        except Exception as exc:  # the step says why; the job ends failed, the rest skipped
            reason = str(getattr(exc, "message", "") or exc) or type(exc).__name__
            ended = timezone.now()
            Task.objects.filter(pk=step.pk).update(
                status=RunStatus.FAILED,
                finished_at=ended,
                duration_ms=_ms(started, ended),
                error=reason[:1000],
            )
            skipped = _skip_rest(job.pk, ended)
            log(job, f"{step.name} failed: {reason}", level="error")
            if skipped:
                log(job, f"{skipped} step(s) skipped after the failure.")
            logger.warning("job %s step %s failed: %s", job.pk, step.name, reason)
            return _end(job, RunStatus.FAILED, f"{step.name} failed: {reason}")
        ended = timezone.now()
        Task.objects.filter(pk=step.pk).update(
            status=RunStatus.SUCCEEDED, finished_at=ended, duration_ms=_ms(started, ended)
        )
        log(job, f"{step.name}: {said}")
    log(job, "Finished.")
    return _end(job, RunStatus.SUCCEEDED, "")


def _ms(start: Any, end: Any) -> int:
    return max(0, int((end - start).total_seconds() * 1000))


def _end(job: Job, status: str, error: str) -> str:
    now = timezone.now()
    Job.objects.filter(pk=job.pk).update(
        status=status, error=error[:2000], finished_at=now, updated_at=now
    )
    return status

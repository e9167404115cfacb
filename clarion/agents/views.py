"""The jobs of a workspace: what runs now, what ran, and one job with its tasks and model calls."""

from __future__ import annotations

import re
from dataclasses import dataclass
from datetime import datetime, timedelta
from typing import Any

from django.contrib import messages
from django.core.paginator import Paginator
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.utils import timezone
from django.views.decorators.http import require_GET, require_POST
from django_htmx.middleware import HtmxDetails

from clarion.accounts.auth import workspace_of
from clarion.accounts.scope import get_scoped, scoped
from clarion.agents import control
from clarion.agents.models import AgentCall, Job, RunStatus, Task
from clarion.core.errors import Conflict, NotFound, as_sentence

JOBS_PER_PAGE = 50
TASKS_PER_PAGE = 50
RUNNING_SHOWN = 50
LOG_SHOWN = 500
UNFINISHED = (RunStatus.PENDING, RunStatus.RUNNING)

KIND_LABELS = {
    "strategy": "Campaign plan",
    "post": "Post (writer ↔ reviewer)",
    "plan": "Monthly plan",
    "chat": "Campaign chat",
    "slogan": "Slogan session",
    **{name: kind.label for name, kind in control.TYPES.items()},
}


class HtmxHttpRequest(HttpRequest):
    htmx: HtmxDetails


def kind_label(kind: str) -> str:
    return KIND_LABELS.get(kind, kind.replace("_", " ").capitalize())


def took(start: datetime | None, end: datetime | None, now: datetime) -> str:
    """How long something ran (or has been running), in words a person reads at a glance."""
    if start is None:
        return ""
    seconds = max(0.0, ((end or now) - start).total_seconds())
    return milliseconds(int(seconds * 1000))


def milliseconds(ms: int) -> str:
    if ms < 1000:
        return f"{ms} ms"
    seconds = ms / 1000
    if seconds < 60:
        return f"{seconds:.1f} s"
    if seconds < 3600:
        minutes, rest = divmod(round(seconds), 60)
        return f"{minutes} min {rest} s"
    return str(timedelta(seconds=round(seconds)))


@dataclass
class JobLine:
    job: Job
    kind: str
    duration: str


def _lines(jobs: list[Job], now: datetime) -> list[JobLine]:
    return [JobLine(j, kind_label(j.kind), took(j.started_at, j.finished_at, now)) for j in jobs]


@require_GET
def list_jobs(request: HtmxHttpRequest) -> HttpResponse:
    """Running jobs first, then every job of the workspace, newest first (``?kind=``)."""
    now = timezone.now()
    jobs = scoped(Job, workspace_of(request)).order_by("-created_at", "-id")
    kinds = sorted(jobs.values_list("kind", flat=True).order_by().distinct())
    kind = request.GET.get("kind", "")
    if not re.fullmatch(r"[\w-]{1,40}", kind):
        kind = ""  # not a kind any job has (nor text a database may be asked about)
    if kind:
        jobs = jobs.filter(kind=kind)
    running = _lines(list(jobs.filter(status__in=UNFINISHED)[:RUNNING_SHOWN]), now)
    context: dict[str, Any] = {"section": "jobs", "running": running, "kind": kind}
    if request.htmx and request.GET.get("part") == "running":
        return render(request, "agents/jobs.html#running-jobs", context)
    page = Paginator(jobs, JOBS_PER_PAGE).get_page(request.GET.get("page", "1"))
    context |= {
        "page": page,
        "jobs": _lines(list(page.object_list), now),
        "kinds": [(k, kind_label(k)) for k in kinds],
    }
    return render(request, "agents/jobs.html", context)


@dataclass
class TaskLine:
    task: Task
    duration: str
    calls: list[AgentCall]


def _job(request: HttpRequest, job_id: int) -> Job:
    try:
        return get_scoped(Job, workspace_of(request), missing=f"no job {job_id}", pk=job_id)
    except NotFound as exc:
        raise Http404(str(exc)) from exc


@require_POST
def stop_job(request: HttpRequest, job_id: int) -> HttpResponse:
    """Stop a job a person started: queued, at once; running, after its current step."""
    job = _job(request, job_id)
    try:
        job = control.stop(workspace_of(request), job.pk)
    except Conflict as exc:
        messages.error(request, as_sentence(exc))
    else:
        if job.status == RunStatus.STOPPED:
            messages.success(request, "Stopped: its steps are skipped.")
        else:
            messages.success(request, "Stopping: the step running now finishes, then it stops.")
    return redirect("agents:show-job", job_id=job.pk)


@require_GET
def show_job(request: HtmxHttpRequest, job_id: int) -> HttpResponse:
    """A job with its log, its tasks (a page of them) and each task's model calls."""
    job = _job(request, job_id)
    log = control.logs_of(job, limit=LOG_SHOWN)
    if request.htmx and request.GET.get("part") == "log":
        context = {"job": job, "log": log, "unfinished": job.status in UNFINISHED}
        return render(request, "agents/job.html#job-log", context)
    now = timezone.now()
    page = Paginator(job.tasks.order_by("id"), TASKS_PER_PAGE).get_page(
        request.GET.get("page", "1")
    )
    tasks = list(page.object_list)
    calls: dict[int, list[AgentCall]] = {t.pk: [] for t in tasks}
    for call in AgentCall.objects.filter(task__in=tasks).order_by("id"):
        calls[call.task_id].append(call)
    lines = [
        TaskLine(
            t,
            milliseconds(t.duration_ms)
            if t.duration_ms
            else took(t.started_at, t.finished_at, now),
            calls[t.pk],
        )
        for t in tasks
    ]
    context = {
        "section": "jobs",
        "job": job,
        "kind": kind_label(job.kind),
        "duration": took(job.started_at, job.finished_at, now),
        "page": page,
        "tasks": lines,
        "unfinished": job.status in UNFINISHED,
        "log": log,
        "stoppable": bool(job.metadata.get("control"))
        and job.status in UNFINISHED
        and job.stop_requested_at is None,
    }
    return render(request, "agents/job.html", context)

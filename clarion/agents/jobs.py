"""A Job's own bookkeeping: started as running, then finished, failed or cancelled.

A job records the process that runs it (``runner``) and renews ``updated_at``
with every model call; when that process dies, ``end_abandoned_jobs`` ends the
job with the reason in words instead of leaving it pending or running forever.
"""

from __future__ import annotations

from datetime import datetime
from typing import Any

from django.db import transaction
from django.utils import timezone

from clarion.agents.models import Job, RunStatus, Task
from clarion.core.liveness import Liveness, process_id

__all__ = [
    "cancel_job",
    "end_abandoned_jobs",
    "fail_job",
    "finish_job",
    "new_job",
    "run_job",
    "start_job",
]

_UNFINISHED = (RunStatus.PENDING, RunStatus.RUNNING)


def new_job(
    kind: str,
    title: str,
    *,
    workspace_id: int | None = None,
    metadata: dict[str, Any] | None = None,
) -> Job:
    """Store a pending Job of workspace ``workspace_id`` held by this process (``title`` cut to its
    200 characters)."""
    return Job.objects.create(
        workspace_id=workspace_id,
        kind=kind,
        title=title[:200],
        runner=process_id(),
        metadata={} if metadata is None else metadata,
    )


def start_job(
    kind: str,
    title: str,
    *,
    workspace_id: int | None = None,
    metadata: dict[str, Any] | None = None,
) -> Job:
    """Store a Job of workspace ``workspace_id`` that is running from now in this process."""
    return Job.objects.create(
        workspace_id=workspace_id,
        kind=kind,
        title=title[:200],
        status=RunStatus.RUNNING,
        started_at=timezone.now(),
        runner=process_id(),
        metadata={} if metadata is None else metadata,
    )


def run_job(job: Job, *, model_name: str) -> None:
    """Mark ``job`` running in this process from now (a resumed job starts again)."""
    now = timezone.now()
    Job.objects.filter(pk=job.pk).update(
        status=RunStatus.RUNNING,
        started_at=now,
        updated_at=now,
        model_name=model_name,
        runner=process_id(),
    )


def finish_job(job: Job, *, metadata: dict[str, Any] | None = None) -> None:
    """Mark ``job`` succeeded now; ``metadata``, when given, replaces the stored one."""
    extra: dict[str, Any] = {} if metadata is None else {"metadata": metadata}
    now = timezone.now()
    Job.objects.filter(pk=job.pk).update(
        status=RunStatus.SUCCEEDED, error="", finished_at=now, updated_at=now, **extra
    )


def fail_job(job: Job, error: str) -> None:
    """Mark ``job`` failed now, with ``error`` as the reason."""
    now = timezone.now()
    Job.objects.filter(pk=job.pk).update(
        status=RunStatus.FAILED, error=error, finished_at=now, updated_at=now
    )


def cancel_job(job_id: int, reason: str) -> None:
    """Mark a job that has not finished cancelled, with ``reason`` in words, and its open tasks."""
    now = timezone.now()
    with transaction.atomic():
        Job.objects.filter(pk=job_id, status__in=_UNFINISHED).update(
            status=RunStatus.CANCELLED, error=reason, finished_at=now, updated_at=now
        )
        _end_open_tasks(job_id, reason, now)


def end_abandoned_jobs(
    *, now: datetime | None = None, lease_seconds: int | None = None
) -> list[int]:
    """Fail every pending or running job whose process is gone; return their ids.

    A job run by a ``clarion worker`` is ended as soon as the worker's heartbeat
    stops; one run by another process once it has gone untouched for the lease.
    Jobs of writing sessions that are not finished are left to the session's
    own recovery (it may resume them). Each job is ended with a conditional
    UPDATE, so several workers looking at once end it once.
    """
    now = now or timezone.now()
    rows = list(
        Job.objects.filter(status__in=_UNFINISHED)
        .exclude(sessions__status__in=("pending", "running"))
        # A job a person queued waits for any worker, whoever stored it.
        .exclude(status=RunStatus.PENDING, metadata__has_key="control")
        .values_list("pk", "status", "runner", "updated_at")
    )
    liveness = Liveness.of(
        [runner for _, _, runner, _ in rows], now=now, lease_seconds=lease_seconds
    )
    ended: list[int] = []
    for pk, status, runner, updated_at in rows:
        if runner == process_id() and not liveness.is_worker(runner):
            continue  # this very process holds it
        if not liveness.gone(runner, touched=updated_at):
            continue
        holder = liveness.describe(runner)
        reason = (
            f"{holder} stopped before this job finished"
            if status == RunStatus.RUNNING
            else f"{holder} stopped before this job started"
        )
        with transaction.atomic():
            if Job.objects.filter(pk=pk, status=status, updated_at=updated_at).update(
                status=RunStatus.FAILED, error=reason, finished_at=now, updated_at=now
            ):
                _end_open_tasks(pk, reason, now)
                ended.append(pk)
    return ended


def _end_open_tasks(job_id: int, reason: str, now: datetime) -> None:
    Task.objects.filter(job_id=job_id, status__in=_UNFINISHED).update(
        status=RunStatus.FAILED, error=reason, finished_at=now
    )

"""A Job's own bookkeeping: started as running, then finished or failed."""

from __future__ import annotations

from typing import Any

from django.utils import timezone

from clarion.agents.models import Job, RunStatus

__all__ = ["fail_job", "finish_job", "start_job"]


def start_job(kind: str, title: str, *, metadata: dict[str, Any] | None = None) -> Job:
    """Store a Job that is running from now (``title`` cut to its 200 characters)."""
    return Job.objects.create(
        kind=kind,
        title=title[:200],
        status=RunStatus.RUNNING,
        started_at=timezone.now(),
        metadata={} if metadata is None else metadata,
    )


def finish_job(job: Job, *, metadata: dict[str, Any] | None = None) -> None:
    """Mark ``job`` succeeded now; ``metadata``, when given, replaces the stored one."""
    extra: dict[str, Any] = {} if metadata is None else {"metadata": metadata}
    Job.objects.filter(pk=job.pk).update(
        status=RunStatus.SUCCEEDED, error="", finished_at=timezone.now(), **extra
    )


def fail_job(job: Job, error: str) -> None:
    """Mark ``job`` failed now, with ``error`` as the reason."""
    Job.objects.filter(pk=job.pk).update(
        status=RunStatus.FAILED, error=error, finished_at=timezone.now()
    )

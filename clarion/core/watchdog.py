"""The watchdog: is a worker running, and is any post overdue?

``/health`` (for monitors, without sign-in) and ``clarion doctor`` read the same
figures: the latest worker heartbeat and the publications due more than
``CLARION_OVERDUE_MINUTES`` ago that are still not published (nor failed, which
``clarion status`` reports with their reasons).
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime, timedelta
from typing import TYPE_CHECKING

from django.conf import settings
from django.utils import timezone

from clarion.core.liveness import dead_after
from clarion.core.models import WorkerHeartbeat

if TYPE_CHECKING:
    from django.db.models import QuerySet

    from clarion.accounts.models import Workspace
    from clarion.publishing.models import Publication

# States a due post may still be in; published and failed rows are not overdue.
WAITING_STATES = ("pending", "claimed", "needs_attention", "awaiting_approval")


@dataclass(frozen=True)
class WorkerState:
    status: str  # running, stopped (cleanly), silent (heartbeat gone), never (none yet)
    worker_id: str = ""
    seconds_since: float | None = None
    tasks_run: int = 0

    @property
    def running(self) -> bool:
        return self.status == "running"


def worker_state(now: datetime | None = None) -> WorkerState:
    """The state of the most recent worker (a running one first)."""
    now = now or timezone.now()
    beats = WorkerHeartbeat.objects.order_by("-last_seen")
    beat = beats.filter(stopped_at__isnull=True).first() or beats.first()
    if beat is None:
        return WorkerState("never")
    age = max(0.0, (now - beat.last_seen).total_seconds())
    if beat.stopped_at is not None:
        status = "stopped"
    elif age <= dead_after().total_seconds():
        status = "running"
    else:
        status = "silent"
    return WorkerState(status, beat.worker_id, age, beat.tasks_run)


def overdue_cutoff(now: datetime | None = None) -> datetime:
    return (now or timezone.now()) - timedelta(minutes=settings.CLARION_OVERDUE_MINUTES)


def overdue_publications(
    now: datetime | None = None, *, workspace: Workspace | None = None
) -> QuerySet[Publication]:
    """Publications due more than CLARION_OVERDUE_MINUTES ago and not published yet (of
    ``workspace``, or of the whole installation)."""
    from clarion.accounts.scope import scoped
    from clarion.publishing.models import Publication

    rows = Publication.objects.all() if workspace is None else scoped(Publication, workspace)
    return rows.filter(scheduled_at__lt=overdue_cutoff(now), state__in=WAITING_STATES)


def overdue_count(now: datetime | None = None, *, workspace: Workspace | None = None) -> int:
    return overdue_publications(now, workspace=workspace).count()

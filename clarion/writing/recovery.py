"""Sessions whose process died: resumed, cancelled or ended, by what they are for.

Every unfinished session records the process that holds it (``runner``). When
that process is gone (``clarion.core.liveness``: a worker whose heartbeat
stopped, at once; any other process once the session's lease ran out), the
session is dealt with by its ``origin``:

- one that never began (pending, and no task queued to run it) is cancelled;
- a publication's is cancelled: the publishing ledger recovers the publication
  and writes it anew;
- one a person asked for is queued again and resumes after its last reviewed
  turn, unless its process died ``CLARION_MAX_RECOVERIES`` times already;
- a campaign's is left to ``clarion.campaigns.recovery``, which knows whether
  its variant is still wanted.

Every change is a conditional UPDATE on the session as it was seen, so when
several workers look at once each session is dealt with once.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime

from django.conf import settings
from django.db import transaction
from django.db.models import F
from django.utils import timezone
from django_tasks import TaskResultStatus

from clarion.agents.jobs import cancel_job
from clarion.core.liveness import Liveness, process_id
from clarion.writing.models import CompletionReason, IterationSession, SessionOrigin, SessionStatus
from clarion.writing.services import end_with_error

_UNFINISHED = (SessionStatus.PENDING, SessionStatus.RUNNING)


@dataclass(frozen=True)
class StaleSession:
    """An unfinished session whose process is gone, as it was when it was looked at."""

    pk: int
    status: str
    origin: str
    runner: str
    updated_at: datetime
    recoveries: int
    queued: bool
    """A ``run_session_task`` for it will run: one is waiting, or its dead worker's goes back."""
    claimed: bool
    """A live worker has taken a ``run_session_task`` for it."""
    holder: str
    """The process that held it, in words."""

    def take(self) -> bool:
        """Take the session over for this process with a conditional UPDATE.

        Only if it is still as it was seen, so when several processes look at
        once, exactly one takes it.
        """
        return bool(
            IterationSession.objects.filter(
                pk=self.pk, status=self.status, runner=self.runner, updated_at=self.updated_at
            ).update(runner=process_id(), updated_at=timezone.now())
        )


def stale_sessions(
    *, origin: str | None = None, lease_seconds: int | None = None, now: datetime | None = None
) -> list[StaleSession]:
    """Pending and running sessions whose process is gone (``clarion.core.liveness``).

    A session held by a ``clarion worker`` is stale as soon as the worker's
    heartbeat stops; one held by another process once it has gone untouched for
    the lease (``CLARION_SESSION_LEASE_SECONDS``). A running session renews its
    lease every turn, so one untouched for the lease is stale even when its
    worker still beats: it is stuck, not slow.
    """
    query = IterationSession.objects.filter(status__in=_UNFINISHED)
    if origin is not None:
        query = query.filter(origin=origin)
    rows = list(query.values_list("pk", "status", "origin", "runner", "updated_at", "recoveries"))
    if not rows:
        return []
    tasks = _session_tasks()
    holders = [holder for _, holder, _ in tasks.values() if holder]
    liveness = Liveness.of([row[3] for row in rows] + holders, now=now, lease_seconds=lease_seconds)
    queued, claimed = set(), set()
    for session_id, (status, holder, started_at) in tasks.items():
        if status == TaskResultStatus.READY or liveness.gone(holder, touched=started_at):
            queued.add(session_id)
        else:
            claimed.add(session_id)
    return [
        StaleSession(
            pk=pk,
            status=status,
            origin=kind,
            runner=runner,
            updated_at=updated_at,
            recoveries=recoveries,
            queued=pk in queued,
            claimed=pk in claimed,
            holder=liveness.describe(runner),
        )
        for pk, status, kind, runner, updated_at, recoveries in rows
        if liveness.gone(runner, touched=updated_at) or updated_at < liveness.now - liveness.lease
    ]


def _session_tasks() -> dict[int, tuple[str, str, datetime | None]]:
    """Session id → (status, last worker, claim time) of each waiting or running session task."""
    from django_tasks_db.models import DBTaskResult

    from clarion.writing.tasks import run_session_task

    rows = DBTaskResult.objects.filter(
        task_path=run_session_task.module_path,
        status__in=(TaskResultStatus.READY, TaskResultStatus.RUNNING),
    ).values_list("args_kwargs", "status", "worker_ids", "started_at")
    found: dict[int, tuple[str, str, datetime | None]] = {}
    for args_kwargs, status, worker_ids, started_at in rows:
        args, kwargs = args_kwargs.get("args") or [], args_kwargs.get("kwargs") or {}
        value = args[0] if args else kwargs.get("session_id")
        if not isinstance(value, int):
            continue
        if value not in found or status == TaskResultStatus.READY:  # a waiting one decides
            found[value] = (status, worker_ids[-1] if worker_ids else "", started_at)
    return found


def cancel_session(stale: StaleSession, *, reason: str) -> bool:
    """End a stale session as cancelled, with ``reason`` in words (its job too).

    Conditional on the session being as it was seen: returns False when another
    process got to it first.
    """
    now = timezone.now()
    with transaction.atomic():
        cancelled = IterationSession.objects.filter(
            pk=stale.pk, status=stale.status, runner=stale.runner, updated_at=stale.updated_at
        ).update(
            status=SessionStatus.COMPLETED,
            completed=True,
            completion_reason=CompletionReason.CANCELLED,
            error=reason,
            needs_human_review=False,
            completed_at=now,
            updated_at=now,
        )
        job_id = IterationSession.objects.filter(pk=stale.pk).values_list("job_id", flat=True)
        if cancelled and job_id and job_id[0] is not None:
            cancel_job(job_id[0], reason)
    return bool(cancelled)


def hand_back(stale: StaleSession) -> bool:
    """Make a stale session pending and free to take again; it resumes after its last reviewed turn.

    Counts the recovery. Conditional like ``cancel_session``.
    """
    return bool(
        IterationSession.objects.filter(
            pk=stale.pk, status=stale.status, runner=stale.runner, updated_at=stale.updated_at
        ).update(
            status=SessionStatus.PENDING,
            runner="",
            recoveries=F("recoveries") + 1,
            updated_at=timezone.now(),
        )
    )


def give_up(stale: StaleSession) -> bool:
    """End a session whose process died too many times: reason ``error``, best reviewed draft kept."""
    if not stale.take():
        return False
    session = IterationSession.objects.select_related("job").get(pk=stale.pk)
    deaths = stale.recoveries + 1
    end_with_error(
        session,
        error=f"{stale.holder} stopped while running it, {deaths} times: it is not resumed again "
        f"(CLARION_MAX_RECOVERIES={settings.CLARION_MAX_RECOVERIES})",
    )
    return True


@dataclass
class SessionRecovery:
    resumed: list[int]
    cancelled: list[int]
    failed: list[int]

    def __bool__(self) -> bool:
        return bool(self.resumed or self.cancelled or self.failed)


def recover_stale_sessions(
    *, lease_seconds: int | None = None, now: datetime | None = None
) -> SessionRecovery:
    """End or resume every session whose process died, by what the session is for.

    - A session that never began (pending, nobody queued to run it) is cancelled.
    - A publication's session is cancelled: the publishing ledger recovers the
      publication itself and writes it anew.
    - A session a person asked for is queued again (unless a worker is about to
      run it already) and resumes after its last reviewed turn; after
      ``CLARION_MAX_RECOVERIES`` deaths of its process it ends with an error.
    - Campaign content sessions are left to ``clarion.campaigns.recovery``,
      which knows whether their variant is still wanted.
    """
    from clarion.writing.tasks import run_session_task

    result = SessionRecovery([], [], [])
    for stale in stale_sessions(lease_seconds=lease_seconds, now=now):
        if stale.origin == SessionOrigin.CAMPAIGN:
            continue
        if stale.status == SessionStatus.PENDING:
            if not (stale.queued or stale.claimed) and cancel_session(
                stale, reason=f"cancelled: {stale.holder} stopped before the session began"
            ):
                result.cancelled.append(stale.pk)
        elif stale.origin == SessionOrigin.PUBLICATION:
            reason = (
                f"cancelled: {stale.holder} stopped while writing it; the publication is "
                "recovered by the publishing ledger and written anew"
            )
            if cancel_session(stale, reason=reason):
                result.cancelled.append(stale.pk)
        elif stale.recoveries >= settings.CLARION_MAX_RECOVERIES:
            if give_up(stale):
                result.failed.append(stale.pk)
        else:
            with transaction.atomic():
                if hand_back(stale):
                    if not stale.queued:
                        run_session_task.enqueue(stale.pk)
                    result.resumed.append(stale.pk)
    return result

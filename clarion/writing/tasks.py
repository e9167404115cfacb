"""Background work for the writing app (run by ``clarion worker``)."""

from __future__ import annotations

import time
from datetime import datetime, timedelta

from django.conf import settings
from django.db.models import F
from django.utils import timezone
from django_tasks import task

from clarion.core.liveness import Liveness, dead_after, process_id
from clarion.writing.models import IterationSession, SessionStatus
from clarion.writing.services import end_after_error, run_session


def _settled_liveness(runner: str, touched: datetime) -> Liveness:
    """Whether ``runner`` is gone, once its heartbeat has had time to tell.

    This task may have been taken back from a worker whose heartbeat went silent a
    moment before the session's holder (the same worker) counts as dead here: a
    worker that stopped beating is waited for, up to the time it takes to count as
    dead, rather than the session being left running behind a task that ended.
    """
    deadline = time.monotonic() + dead_after().total_seconds() + 1
    while True:
        liveness = Liveness.of([runner])
        if liveness.gone(runner, touched=touched) or runner not in liveness.workers:
            return liveness
        if time.monotonic() >= deadline or _beating(runner):
            return liveness
        time.sleep(min(1.0, settings.CLARION_WORKER_HEARTBEAT_SECONDS / 2))


def _beating(runner: str) -> bool:
    """Whether ``runner``'s heartbeat was seen within one beat (a live worker holds it)."""
    from clarion.core.models import WorkerHeartbeat

    recent = timezone.now() - timedelta(seconds=settings.CLARION_WORKER_HEARTBEAT_SECONDS * 1.5)
    return WorkerHeartbeat.objects.filter(
        worker_id=runner, last_seen__gte=recent, stopped_at__isnull=True
    ).exists()


@task()
def run_session_task(session_id: int) -> str:
    """Run a pending session, or resume one whose process died.

    Running it again once it is done changes nothing; a session another live
    process is running is left to it. The session is taken with a conditional
    UPDATE, so two workers never run it at once.
    """
    session = IterationSession.objects.filter(pk=session_id).first()
    if session is None:
        return "missing"
    if session.status == SessionStatus.COMPLETED:
        return "already completed"
    me = process_id()
    orphaned = session.status == SessionStatus.RUNNING and session.runner != me
    if orphaned:
        liveness = _settled_liveness(session.runner, session.updated_at)
        if not liveness.gone(session.runner, touched=session.updated_at):
            return f"running in {liveness.describe(session.runner)}"
    taken = IterationSession.objects.filter(
        pk=session.pk,
        status=session.status,
        runner=session.runner,
        updated_at=session.updated_at,
    ).update(
        runner=me,
        updated_at=timezone.now(),
        recoveries=F("recoveries") + (1 if orphaned else 0),  # taken from a dead process
    )
    if not taken:
        return "taken by another process"
    session.refresh_from_db()
    try:
        run_session(session)
    except Exception as exc:  # never leave the session running behind a failed task
        end_after_error(session, exc)
        raise
    return session.completion_reason

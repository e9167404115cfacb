"""Background work for the writing app (run by ``clarion worker``)."""

from __future__ import annotations

from django.db.models import F
from django.utils import timezone
from django_tasks import task

from clarion.core.liveness import Liveness, process_id
from clarion.writing.models import IterationSession, SessionStatus
from clarion.writing.services import end_after_error, run_session

_TAKE_TRIES = 5


@task()
def run_session_task(session_id: int) -> str:
    """Run a pending session, or resume one whose process died.

    Running it again once it is done changes nothing; a session another live
    process is running is left to it. The session is taken with a conditional
    UPDATE, so two workers never run it at once.
    """
    me = process_id()
    for _ in range(_TAKE_TRIES):
        session = IterationSession.objects.filter(pk=session_id).first()
        if session is None:
            return "missing"
        if session.status == SessionStatus.COMPLETED:
            return "already completed"
        orphaned = session.status == SessionStatus.RUNNING and session.runner != me
        if orphaned:
            liveness = Liveness.of([session.runner])
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
        if taken:
            break
        # It changed between reading and taking: a clean-up pass may have handed it
        # back (pending, free to take) just now, or another process took it. Look again.
    else:
        return "taken by another process"
    session.refresh_from_db()
    try:
        run_session(session)
    except Exception as exc:  # never leave the session running behind a failed task
        end_after_error(session, exc)
        raise
    return session.completion_reason

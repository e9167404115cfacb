"""Background work for the writing app (run by ``clarion worker``)."""

from __future__ import annotations

from django_tasks import task

from clarion.writing.models import IterationSession, SessionStatus
from clarion.writing.services import run_session


@task()
def run_session_task(session_id: int) -> str:
    """Run a pending session; running it again once it is done changes nothing."""
    session = IterationSession.objects.filter(pk=session_id).first()
    if session is None:
        return "missing"
    if session.status == SessionStatus.COMPLETED:
        return "already completed"
    run_session(session)
    return session.completion_reason

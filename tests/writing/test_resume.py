from __future__ import annotations

from datetime import timedelta

import pytest
from django.utils import timezone
from django_tasks_db.models import DBTaskResult

from clarion.writing.models import IterationSession, SessionStatus, Turn
from clarion.writing.services import requeue_stale_sessions, run_session, start_session
from clarion.writing.tasks import run_session_task
from tests.scripted import draft, verdict

pytestmark = pytest.mark.django_db


def crashed_session(*, minutes_ago: int) -> IterationSession:
    """A session whose process died after turn 1 was reviewed and turn 2 was written."""
    session = start_session(brief="A slogan for a bike repair café", max_turns=4)
    session.status = SessionStatus.RUNNING
    session.save()
    Turn.objects.create(
        session=session,
        turn_number=1,
        text="First try.",
        decision="revise",
        feedback="Too flat.",
        fixes=["stronger_hook: open with a question"],
        score=5.0,
        reviewed_at=timezone.now(),
    )
    Turn.objects.create(session=session, turn_number=2, text="Written, never reviewed.")
    stale = timezone.now() - timedelta(minutes=minutes_ago)
    IterationSession.objects.filter(pk=session.pk).update(updated_at=stale)
    return IterationSession.objects.get(pk=session.pk)


def test_an_orphaned_session_is_queued_again_exactly_once():
    session = crashed_session(minutes_ago=60)

    assert requeue_stale_sessions(lease_seconds=600) == [session.pk]
    assert requeue_stale_sessions(lease_seconds=600) == []

    assert IterationSession.objects.get(pk=session.pk).status == SessionStatus.PENDING
    assert DBTaskResult.objects.get().args_kwargs["args"] == [session.pk]


def test_a_session_still_within_its_lease_is_left_alone():
    crashed_session(minutes_ago=1)
    assert requeue_stale_sessions(lease_seconds=600) == []


def test_a_resumed_session_keeps_reviewed_turns_and_redoes_the_unreviewed_one(scripted):
    session = crashed_session(minutes_ago=60)
    scripted.script("write", draft("Flat tyre? Fresh coffee while you wait."))
    scripted.script("review", verdict("approve"))

    run_session_task.call(session.pk)

    session = IterationSession.objects.get(pk=session.pk)
    assert session.completion_reason == "approved"
    assert [t.text for t in session.turns.all()] == [
        "First try.",
        "Flat tyre? Fresh coffee while you wait.",
    ]
    writer_request = scripted.requests_for("write")[0]
    assert writer_request["turn"] == 2
    assert writer_request["previous_drafts"] == ["First try."]
    assert writer_request["fixes"] == ["stronger_hook: open with a question"]


def test_running_a_completed_session_again_changes_nothing(scripted):
    scripted.script("write", draft("A line."))
    scripted.script("review", verdict("approve"))
    session = run_session(start_session(brief="A slogan"))

    run_session(session)

    assert session.turns.count() == 1
    assert len(scripted.requests) == 2

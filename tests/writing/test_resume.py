"""Sessions whose process died: resumed or cancelled by what they are for, never left dangling."""

from __future__ import annotations

from datetime import timedelta

import pytest
from django.utils import timezone
from django_tasks_db.models import DBTaskResult

from clarion.agents.models import Job, RunStatus
from clarion.core.worker import recover
from clarion.writing.models import IterationSession, SessionStatus, Turn
from clarion.writing.recovery import recover_stale_sessions
from clarion.writing.services import SessionEvent, enqueue_session, run_session, start_session
from clarion.writing.tasks import run_session_task
from tests.factories import dead_worker, live_worker
from tests.scripted import draft, verdict

pytestmark = pytest.mark.django_db


def crashed_session(
    *, runner: str, minutes_ago: int = 1, origin: str = "request", recoveries: int = 0
) -> IterationSession:
    """A session whose process died after turn 1 was reviewed and turn 2 was written."""
    session = start_session(brief="A slogan for a bike repair café", max_turns=4, origin=origin)
    session.status = SessionStatus.RUNNING
    session.save()
    Job.objects.filter(pk=session.job_id).update(status=RunStatus.RUNNING, runner=runner)
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
    IterationSession.objects.filter(pk=session.pk).update(
        updated_at=stale, runner=runner, recoveries=recoveries
    )
    return IterationSession.objects.get(pk=session.pk)


def test_a_session_of_a_dead_worker_is_queued_again_at_once_and_exactly_once():
    session = crashed_session(runner=dead_worker(), minutes_ago=1)  # well within the lease

    assert recover_stale_sessions().resumed == [session.pk]
    assert not recover_stale_sessions()

    session.refresh_from_db()
    assert (session.status, session.runner, session.recoveries) == (SessionStatus.PENDING, "", 1)
    assert DBTaskResult.objects.get().args_kwargs["args"] == [session.pk]


def test_a_session_of_a_slow_but_live_worker_is_left_alone(settings):
    settings.CLARION_SESSION_LEASE_SECONDS = 1800
    crashed_session(runner=live_worker(), minutes_ago=20)

    assert not recover_stale_sessions()
    assert not DBTaskResult.objects.exists()


def test_a_session_untouched_for_its_lease_is_stuck_even_if_its_worker_beats(settings):
    settings.CLARION_SESSION_LEASE_SECONDS = 1800
    session = crashed_session(runner=live_worker(), minutes_ago=31)

    assert recover_stale_sessions().resumed == [session.pk]


def test_a_session_of_a_process_without_a_heartbeat_waits_for_its_lease():
    session = crashed_session(runner="laptop:4242", minutes_ago=5)

    assert not recover_stale_sessions(lease_seconds=600)
    assert recover_stale_sessions(lease_seconds=60).resumed == [session.pk]


def test_a_stale_publication_session_is_cancelled_and_a_stale_slogan_session_resumed():
    worker = dead_worker()
    publication = crashed_session(runner=worker, origin="publication")
    slogan = crashed_session(runner=worker, origin="request")

    recovery = recover_stale_sessions()

    assert (recovery.cancelled, recovery.resumed) == ([publication.pk], [slogan.pk])
    publication.refresh_from_db()
    assert publication.status == SessionStatus.COMPLETED
    assert publication.completion_reason == "cancelled"
    assert publication.error == (
        "cancelled: worker worker-dead stopped while writing it; the publication is recovered "
        "by the publishing ledger and written anew"
    )
    assert not publication.needs_human_review
    job = Job.objects.get(pk=publication.job_id)
    assert (job.status, job.error) == (RunStatus.CANCELLED, publication.error)
    assert [t.args_kwargs["args"] for t in DBTaskResult.objects.all()] == [[slogan.pk]]


def test_a_pending_session_whose_process_died_before_it_began_is_cancelled():
    session = start_session(brief="A slogan for a bike repair café")
    IterationSession.objects.filter(pk=session.pk).update(runner=dead_worker())

    assert recover_stale_sessions().cancelled == [session.pk]

    session.refresh_from_db()
    assert session.completion_reason == "cancelled"
    assert session.error == "cancelled: worker worker-dead stopped before the session began"
    assert Job.objects.get(pk=session.job_id).status == RunStatus.CANCELLED
    assert not DBTaskResult.objects.exists()


def test_a_queued_background_session_waits_for_a_worker_however_long():
    session = enqueue_session(brief="A slogan for a bike repair café")
    IterationSession.objects.filter(pk=session.pk).update(
        runner="web:1", updated_at=timezone.now() - timedelta(days=2)
    )

    assert not recover_stale_sessions()
    assert IterationSession.objects.get(pk=session.pk).status == SessionStatus.PENDING


def test_a_background_session_whose_worker_died_is_resumed_by_its_own_task(scripted, settings):
    """The worker's task row goes back on the queue; the session is not queued a second time."""
    settings.CLARION_LLM_MAX_RETRIES = 0
    worker = dead_worker()
    session = enqueue_session(brief="A slogan for a bike repair café", max_turns=4)
    DBTaskResult.objects.update(status="RUNNING", worker_ids=[worker], started_at=timezone.now())
    Turn.objects.create(
        session=session,
        turn_number=1,
        text="First try.",
        decision="revise",
        feedback="Too flat.",
        score=5.0,
        reviewed_at=timezone.now(),
    )
    IterationSession.objects.filter(pk=session.pk).update(
        status=SessionStatus.RUNNING, runner=worker
    )

    done = recover()

    assert done["tasks"]["requeued"] == [str(DBTaskResult.objects.get().pk)]
    assert done["sessions"].resumed == [session.pk]
    assert DBTaskResult.objects.get().status == "READY"

    scripted.script("write", draft("Flat tyre? Fresh coffee while you wait."))
    scripted.script("review", verdict("approve"))
    run_session_task.call(session.pk)

    session.refresh_from_db()
    assert session.completion_reason == "approved"
    assert [t.turn_number for t in session.turns.all()] == [1, 2]
    assert session.recoveries == 1


def test_a_session_whose_process_keeps_dying_ends_with_an_error(settings):
    settings.CLARION_MAX_RECOVERIES = 2
    session = crashed_session(runner=dead_worker(), recoveries=2)

    assert recover_stale_sessions().failed == [session.pk]

    session.refresh_from_db()
    assert session.completion_reason == "error"
    assert "stopped while running it, 3 times: it is not resumed again" in session.error
    assert session.final_text == "First try."  # the best reviewed draft is kept
    assert session.needs_human_review
    assert Job.objects.get(pk=session.job_id).status == RunStatus.FAILED
    assert not DBTaskResult.objects.exists()


def test_a_resumed_session_keeps_reviewed_turns_and_redoes_the_unreviewed_one(scripted):
    session = crashed_session(runner=dead_worker())
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


def test_a_task_leaves_a_session_that_a_live_process_is_running(scripted):
    session = crashed_session(runner=live_worker())

    assert run_session_task.call(session.pk) == "running in worker worker-alive"
    assert scripted.requests == []


def test_a_session_cancelled_while_running_stops_before_its_next_turn(scripted):
    scripted.script("write", draft("One."), draft("Two."))
    scripted.script("review", verdict("revise", score=5))
    session = start_session(brief="A slogan", max_turns=3)

    def cancel_after_first_review(event: SessionEvent) -> None:
        if event.kind == "reviewed":
            IterationSession.objects.filter(pk=session.pk).update(
                status=SessionStatus.COMPLETED, completion_reason="cancelled", error="cancelled"
            )

    session = run_session(session, on_event=cancel_after_first_review)

    assert session.completion_reason == "cancelled"
    assert session.turns.count() == 1
    assert len(scripted.requests_for("write")) == 1


def test_running_a_completed_session_again_changes_nothing(scripted):
    scripted.script("write", draft("A line."))
    scripted.script("review", verdict("approve"))
    session = run_session(start_session(brief="A slogan"))

    run_session(session)

    assert session.turns.count() == 1
    assert len(scripted.requests) == 2

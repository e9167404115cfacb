from __future__ import annotations

import pytest

from clarion.core.models import WorkerHeartbeat
from clarion.core.worker import run_worker
from clarion.writing.models import IterationSession, SessionStatus
from clarion.writing.services import enqueue_session


@pytest.mark.django_db(transaction=True)
def test_the_worker_runs_queued_sessions_and_keeps_a_heartbeat():
    session = enqueue_session(brief="A slogan for a bike repair café", max_turns=2)
    assert session.status == SessionStatus.PENDING

    run_worker(queues=["default"], interval=0.1, batch=True, max_tasks=None)

    session = IterationSession.objects.get(pk=session.pk)
    assert session.status == SessionStatus.COMPLETED
    assert session.final_text
    beat = WorkerHeartbeat.objects.get()
    assert beat.tasks_run == 1
    assert beat.last_seen >= beat.started_at


@pytest.mark.django_db(transaction=True)
def test_a_queued_session_that_already_ran_is_not_run_again():
    from clarion.writing.tasks import run_session_task

    session = enqueue_session(brief="A slogan", max_turns=1)
    run_worker(queues=["default"], interval=0.1, batch=True, max_tasks=None)
    turns = IterationSession.objects.get(pk=session.pk).turns.count()

    run_session_task.call(session.pk)

    assert IterationSession.objects.get(pk=session.pk).turns.count() == turns


@pytest.mark.django_db(transaction=True)
def test_a_starting_worker_finishes_sessions_orphaned_by_a_dead_process(settings):
    from datetime import timedelta

    from django.utils import timezone

    settings.CLARION_SESSION_LEASE_SECONDS = 60
    session = enqueue_session(brief="A slogan for a bike repair café", max_turns=2)
    run_worker(queues=["default"], interval=0.1, batch=True, max_tasks=None)
    # pretend the process running it died mid-way long ago
    IterationSession.objects.filter(pk=session.pk).update(
        status=SessionStatus.RUNNING,
        completed=False,
        updated_at=timezone.now() - timedelta(hours=1),
    )

    run_worker(queues=["default"], interval=0.1, batch=True, max_tasks=None)

    session = IterationSession.objects.get(pk=session.pk)
    assert session.status == SessionStatus.COMPLETED
    assert session.completed


@pytest.mark.django_db(transaction=True)
def test_a_starting_worker_builds_its_agents_model_clients_before_any_task(settings):
    from clarion.agents import llm
    from clarion.agents.models import Agent

    settings.CLARION_LLM_BASE_URL = "http://127.0.0.1:9/v1"
    Agent.objects.filter(role="writer").update(model="openai-compatible:house-model")
    Agent.objects.filter(role="reviewer").update(model="openai:needs-a-key")
    settings.CLARION_LLM_API_KEY = ""
    assert "openai-compatible:house-model" not in llm._models

    run_worker(queues=["default"], interval=0.1, batch=True, max_tasks=None)

    assert "openai-compatible:house-model" in llm._models  # ready for the first task
    assert "openai:needs-a-key" not in llm._models  # no key: left for its task to report

"""What dead processes leave behind is recovered: task rows, jobs, campaigns."""

from __future__ import annotations

import threading
from datetime import timedelta
from typing import Any

import pytest
from django.db import connection
from django.utils import timezone
from django_tasks_db.models import DBTaskResult

from clarion.agents.jobs import end_abandoned_jobs, new_job, start_job
from clarion.agents.models import Job, RunStatus, Task
from clarion.core.liveness import process_id
from clarion.core.models import WorkerHeartbeat
from clarion.core.worker import WorkerLost, recover, recover_orphaned_tasks, run_worker
from clarion.writing.models import IterationSession
from clarion.writing.services import enqueue_session
from tests.factories import dead_worker, live_worker, make_worker

pytestmark = pytest.mark.django_db


def running_task(*worker_ids: str, minutes_ago: int = 1) -> DBTaskResult:
    """A queued session task marked running by the last of ``worker_ids``."""
    enqueue_session(brief="A slogan for a bike repair café")
    DBTaskResult.objects.update(
        status="RUNNING",
        worker_ids=list(worker_ids),
        started_at=timezone.now() - timedelta(minutes=minutes_ago),
    )
    return DBTaskResult.objects.get()


def test_a_task_left_running_by_a_dead_worker_is_queued_again_exactly_once():
    task = running_task(dead_worker())

    assert recover_orphaned_tasks() == {"requeued": [str(task.pk)], "failed": []}
    assert recover_orphaned_tasks() == {"requeued": [], "failed": []}

    task.refresh_from_db()
    assert (task.status, task.started_at, task.worker_ids) == ("READY", None, ["worker-dead"])


def test_a_task_of_a_slow_but_live_worker_is_left_running():
    task = running_task(live_worker(), minutes_ago=600)

    assert recover_orphaned_tasks() == {"requeued": [], "failed": []}
    assert DBTaskResult.objects.get(pk=task.pk).status == "RUNNING"


def test_a_worker_that_stopped_counts_as_dead_at_once():
    task = running_task(make_worker("worker-stopped", seconds_ago=0, stopped=True))

    assert recover_orphaned_tasks()["requeued"] == [str(task.pk)]


def test_a_worker_is_dead_after_three_missed_heartbeats(settings):
    settings.CLARION_WORKER_HEARTBEAT_SECONDS = 10
    running_task(make_worker("worker-late", seconds_ago=25))
    assert recover_orphaned_tasks()["requeued"] == []

    WorkerHeartbeat.objects.update(last_seen=timezone.now() - timedelta(seconds=31))
    assert len(recover_orphaned_tasks()["requeued"]) == 1


def test_a_task_that_killed_every_worker_running_it_is_failed_with_the_reason(settings):
    settings.CLARION_MAX_RECOVERIES = 2
    task = running_task("worker-1", "worker-2", dead_worker("worker-3"))

    assert recover_orphaned_tasks() == {"requeued": [], "failed": [str(task.pk)]}

    task.refresh_from_db()
    assert task.status == "FAILED" and task.finished_at is not None
    assert task.exception_class_path == "clarion.core.worker.WorkerLost"
    assert "it was run 3 times and every worker running it died" in task.traceback
    assert task.task_result.errors[0].exception_class is WorkerLost


def test_a_row_of_a_worker_without_a_heartbeat_waits_for_the_lease(settings):
    settings.CLARION_SESSION_LEASE_SECONDS = 600
    running_task("db-worker-without-heartbeat", minutes_ago=5)
    assert recover_orphaned_tasks()["requeued"] == []

    DBTaskResult.objects.update(started_at=timezone.now() - timedelta(minutes=11))
    assert len(recover_orphaned_tasks()["requeued"]) == 1


def test_a_worker_recovers_its_own_rows_except_the_task_it_runs(settings):
    me = live_worker("worker-me")
    task = running_task(me, minutes_ago=5)

    assert recover_orphaned_tasks(own_id=me, running=str(task.pk))["requeued"] == []
    assert recover_orphaned_tasks(own_id=me, running=None)["requeued"] == [str(task.pk)]


@pytest.mark.django_db(transaction=True)
def test_a_stopping_worker_says_so_in_its_heartbeat():
    run_worker(queues=["default"], interval=0.1, batch=True, max_tasks=None)

    beat = WorkerHeartbeat.objects.get()
    assert beat.stopped_at is not None


def test_jobs_remember_the_process_that_runs_them():
    assert start_job("strategy", "Plan").runner == process_id()
    assert new_job("post", "A post").runner == process_id()


def test_a_running_job_of_a_dead_worker_is_failed_with_its_open_tasks():
    job = start_job("strategy", "Plan: spring launch")
    open_task = Task.objects.create(job=job, role="strategist", name="plan", status="running")
    Job.objects.filter(pk=job.pk).update(runner=dead_worker())

    assert end_abandoned_jobs() == [job.pk]
    assert end_abandoned_jobs() == []

    job.refresh_from_db()
    assert job.status == RunStatus.FAILED and job.finished_at is not None
    assert job.error == "worker worker-dead stopped before this job finished"
    open_task.refresh_from_db()
    assert (open_task.status, open_task.error) == (RunStatus.FAILED, job.error)


def test_a_pending_job_of_a_dead_process_is_ended_once_its_lease_is_over():
    job = new_job("post", "A post")
    Job.objects.filter(pk=job.pk).update(
        runner="laptop:77", updated_at=timezone.now() - timedelta(minutes=10)
    )

    assert end_abandoned_jobs(lease_seconds=3600) == []
    assert end_abandoned_jobs(lease_seconds=300) == [job.pk]
    assert Job.objects.get(pk=job.pk).error == "process laptop:77 stopped before this job started"


def test_jobs_of_live_workers_and_of_unfinished_sessions_are_left_alone():
    busy = start_job("daily", "A long daily run")
    Job.objects.filter(pk=busy.pk).update(
        runner=live_worker(), updated_at=timezone.now() - timedelta(days=1)
    )
    session = enqueue_session(brief="A slogan for a bike repair café")
    Job.objects.filter(pk=session.job_id).update(runner=dead_worker())

    assert end_abandoned_jobs() == []


@pytest.mark.django_db(transaction=True)
def test_workers_recovering_at_once_take_each_task_and_session_back_exactly_once():
    if connection.vendor == "sqlite" and connection.is_in_memory_db():
        pytest.skip("threads need PostgreSQL or a SQLite file (CLARION_TEST_FILE_DB=1)")
    worker = dead_worker()
    for _ in range(12):
        enqueue_session(brief="A slogan for a bike repair café")
    DBTaskResult.objects.update(status="RUNNING", worker_ids=[worker], started_at=timezone.now())
    IterationSession.objects.update(status="running", runner=worker)
    barrier = threading.Barrier(4, timeout=30)
    results: list[dict[str, Any]] = []
    errors: list[BaseException] = []

    def look() -> None:
        try:
            barrier.wait()
            results.append(recover())
        except BaseException as exc:
            errors.append(exc)
        finally:
            connection.close()

    threads = [threading.Thread(target=look) for _ in range(4)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join(60)

    assert errors == []
    requeued = [pk for done in results for pk in done["tasks"]["requeued"]]
    assert sorted(requeued) == sorted(
        str(pk) for pk in DBTaskResult.objects.values_list("pk", flat=True)
    )
    resumed = [pk for done in results for pk in done["sessions"].resumed]
    assert sorted(resumed) == sorted(IterationSession.objects.values_list("pk", flat=True))
    assert DBTaskResult.objects.count() == 12  # each session's own task, none added
    assert set(DBTaskResult.objects.values_list("status", flat=True)) == {"READY"}
    assert set(IterationSession.objects.values_list("recoveries", flat=True)) == {1}


def test_a_session_task_that_reads_its_session_just_before_it_is_handed_back_still_runs_it(
    monkeypatch,
):
    """The worker's clean-up pass and the re-queued task race for a dead worker's session."""
    from clarion.writing import tasks

    task = running_task(dead_worker())
    session = IterationSession.objects.get()
    IterationSession.objects.filter(pk=session.pk).update(status="running", runner="worker-dead")
    recover_orphaned_tasks()  # the task goes back on the queue first, as in recover()
    real = tasks.Liveness.of
    handed: list[Any] = []

    def of_then_hand_back(runners: Any, **kwargs: Any) -> Any:
        liveness = real(runners, **kwargs)
        if not handed:  # between this read and the take, the clean-up pass hands it back
            monkeypatch.setattr(tasks.Liveness, "of", real)
            handed.append(recover()["sessions"])
        return liveness

    monkeypatch.setattr(tasks.Liveness, "of", of_then_hand_back)

    outcome = tasks.run_session_task.call(session.pk)

    assert handed[0].resumed == [session.pk]
    assert DBTaskResult.objects.filter(pk=task.pk).count() == 1  # no second task queued
    session.refresh_from_db()
    assert outcome == session.completion_reason
    assert session.status == "completed" and session.completion_reason in ("approved", "max_turns")
    assert session.recoveries == 1

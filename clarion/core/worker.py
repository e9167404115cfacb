"""``clarion worker``: runs queued background tasks, writes a heartbeat, and cleans up after the dead.

On start and on every heartbeat the worker recovers what dead processes left
behind (``recover``): task rows still marked running by a worker whose heartbeat
stopped are queued again (our tasks take ids and reload their rows, so running
one twice is harmless) or, after ``CLARION_MAX_RECOVERIES`` deaths, failed with
the reason; writing sessions are resumed or cancelled by what they are for;
jobs are ended; campaigns whose content generation stopped say so.
"""

from __future__ import annotations

import contextvars
import logging
import os
import signal
import socket
import threading
import time
import uuid
from collections.abc import Callable, Iterable
from datetime import datetime, timedelta
from typing import Any

from django.conf import settings
from django.db import close_old_connections, connection
from django.utils import timezone
from django_tasks import TaskResultStatus
from django_tasks_db.management.commands.db_worker import Worker
from django_tasks_db.models import DBTaskResult

from clarion.agents.jobs import end_abandoned_jobs
from clarion.audit.context import acting, worker_actor
from clarion.automation.services import run_due_schedules
from clarion.campaigns.recovery import recover_content_sessions, recover_stalled_campaigns
from clarion.core import liveness
from clarion.core.liveness import Liveness
from clarion.core.models import WorkerHeartbeat
from clarion.publishing.schedule import tick as publishing_tick
from clarion.webhooks.delivery import tick as webhooks_tick
from clarion.writing.recovery import recover_stale_sessions

logger = logging.getLogger(__name__)


class WorkerLost(Exception):
    """The worker running a task died (the recorded error of a task failed for it)."""


def new_worker_id() -> str:
    return f"{socket.gethostname()[:40]}-{os.getpid()}-{uuid.uuid4().hex[:6]}"


def beat(worker_id: str, *, started_at: datetime, tasks_run: int, stopped: bool = False) -> None:
    now = timezone.now()
    WorkerHeartbeat.objects.update_or_create(
        worker_id=worker_id,
        defaults={
            "hostname": socket.gethostname(),
            "pid": os.getpid(),
            "started_at": started_at,
            "last_seen": now,
            "tasks_run": tasks_run,
            "stopped_at": now if stopped else None,
        },
    )


def recover_orphaned_tasks(
    *,
    own_id: str | None = None,
    running: Iterable[str] | str | None = (),
    now: datetime | None = None,
) -> dict[str, list[str]]:
    """Queue again (or fail) the task rows left running by dead workers; return their ids.

    A row is orphaned when the last worker that claimed it (``worker_ids``) has
    no live heartbeat; a row of ``own_id`` that is not the task it is ``running``
    (its outcome was never written) is too. A task claimed more than
    ``CLARION_MAX_RECOVERIES`` times after its worker died is failed with the
    reason: it is likely what kills them. Every change is a conditional UPDATE
    on the row's status and claim time, so when several workers look at once
    each row is recovered once.
    """
    now = now or timezone.now()
    running_now = {running} if isinstance(running, str) else set(running or ())
    rows = list(
        DBTaskResult.objects.filter(status=TaskResultStatus.RUNNING).values_list(
            "id", "worker_ids", "started_at", "task_path"
        )
    )
    holders = [ids[-1] for _, ids, _, _ in rows if ids]
    alive = Liveness.of(holders, now=now)
    grace = timedelta(seconds=settings.CLARION_WORKER_HEARTBEAT_SECONDS)
    result: dict[str, list[str]] = {"requeued": [], "failed": []}
    for pk, worker_ids, started_at, task_path in rows:
        holder = worker_ids[-1] if worker_ids else ""
        if holder and holder == own_id:
            if str(pk) in running_now or (started_at and started_at > now - grace):
                continue  # ours, running now (or just claimed)
        elif not alive.gone(holder, touched=started_at):
            continue
        claim = DBTaskResult.objects.filter(
            pk=pk, status=TaskResultStatus.RUNNING, started_at=started_at
        )
        deaths = len(worker_ids)
        if deaths > settings.CLARION_MAX_RECOVERIES:
            reason = (
                f"{alive.describe(holder)} stopped while running this task; it was run "
                f"{deaths} times and every worker running it died, so it is not run again "
                f"(CLARION_MAX_RECOVERIES={settings.CLARION_MAX_RECOVERIES})"
            )
            changed = claim.update(
                status=TaskResultStatus.FAILED,
                finished_at=now,
                return_value=None,
                exception_class_path=f"{WorkerLost.__module__}.{WorkerLost.__qualname__}",
                traceback=f"{WorkerLost.__qualname__}: {reason}",
            )
            if changed:
                logger.error("task %s (%s) failed: %s", pk, task_path, reason)
                result["failed"].append(str(pk))
        elif claim.update(status=TaskResultStatus.READY, started_at=None, finished_at=None):
            logger.warning(
                "task %s (%s) queued again: %s stopped", pk, task_path, alive.describe(holder)
            )
            result["requeued"].append(str(pk))
    return result


def recover(*, own_id: str | None = None, running: Iterable[str] = ()) -> dict[str, Any]:
    """One clean-up pass: tasks first (a re-queued task resumes its own work), then
    sessions, jobs and campaigns. A step that fails is logged and the others still run."""
    steps: list[tuple[str, Callable[[], Any]]] = [
        ("tasks", lambda: recover_orphaned_tasks(own_id=own_id, running=running)),
        ("sessions", recover_stale_sessions),
        ("content sessions", recover_content_sessions),
        ("jobs", end_abandoned_jobs),
        ("campaigns", recover_stalled_campaigns),
    ]
    done: dict[str, Any] = {}
    for name, step in steps:
        try:
            done[name] = step()
        except Exception:  # one broken step must not keep the others from running
            logger.exception("recovering %s failed", name)
        else:
            if _did_something(done[name]):
                logger.warning("recovered %s: %s", name, done[name])
    return done


def _did_something(result: Any) -> bool:
    if isinstance(result, dict):
        return any(result.values())
    return bool(result)


class ClarionWorker(Worker):
    """django-tasks-db's worker loop, one per slot of a ``clarion worker`` process.

    It tells which task it is running (for ``recover``) and prints one line when a
    task starts and one when it ends.
    """

    running_id: str | None = None
    slot: int = 0
    say: Callable[[str], None] | None = None

    def run_task(self, db_task_result: DBTaskResult) -> None:
        self.running_id = str(db_task_result.id)
        name = _task_name(db_task_result)
        started = time.monotonic()
        self._say(f"[{self.slot}] start {name}")
        try:
            super().run_task(db_task_result)
        finally:
            self.running_id = None
            seconds = time.monotonic() - started
            if db_task_result.status == TaskResultStatus.SUCCESSFUL:
                outcome = str(db_task_result.return_value or "done")[:120]
                self._say(f"[{self.slot}] done  {name} in {seconds:.1f} s: {outcome}")
            else:
                error = (db_task_result.traceback or "").strip().splitlines()
                self._say(
                    f"[{self.slot}] FAILED {name} after {seconds:.1f} s: "
                    f"{error[-1][:200] if error else 'no reason recorded'}"
                )

    def _say(self, line: str) -> None:
        if self.say is not None:
            self.say(line)


def _task_name(result: DBTaskResult) -> str:
    short = result.task_path.rsplit(".", 1)[-1]
    args = (result.args_kwargs or {}).get("args") or []
    shown = ", ".join(str(a) for a in args)[:60]
    return f"{short}({shown}) #{str(result.id)[:8]}"


class _Heartbeat(threading.Thread):
    def __init__(self, workers: list[ClarionWorker], worker_id: str) -> None:
        super().__init__(name="clarion-heartbeat", daemon=True)
        self.workers = workers
        self.worker_id = worker_id
        self.started_at = timezone.now()
        self.stopped = threading.Event()

    def tasks_run(self) -> int:
        return sum(w._run_tasks for w in self.workers)

    def running(self) -> set[str]:
        return {w.running_id for w in self.workers if w.running_id is not None}

    def run(self) -> None:
        # run_worker beat, recovered and ticked the publishing clock just before: wait first.
        try:
            while not self.stopped.wait(settings.CLARION_WORKER_HEARTBEAT_SECONDS):
                try:
                    close_old_connections()
                    beat(self.worker_id, started_at=self.started_at, tasks_run=self.tasks_run())
                    recover(own_id=self.worker_id, running=self.running())
                    publishing_tick()  # daily runs at each brand's local time, due posts
                    webhooks_tick()  # overdue events, webhook retries
                    run_due_schedules()  # approved automations, once per period
                except Exception:  # a missed beat must never stop the worker
                    logger.exception("heartbeat failed")
        finally:
            connection.close()


def default_concurrency() -> int:
    """Tasks at once by default: twice the model bound, so that sessions keep it full."""
    return max(1, 2 * settings.CLARION_LLM_MAX_CONCURRENCY)


def prepare_models() -> None:
    """Build the model clients of the active agents before the first task.

    A client's first use imports its provider's SDK and builds its schemas (about a
    second of CPU): done once here, the first tasks do not pay it while holding a
    model slot. A model that cannot be built is left for its task to report.
    """
    from clarion.agents import llm
    from clarion.agents.models import Agent

    specs = set(Agent.objects.filter(is_active=True).values_list("model", flat=True))
    for spec in sorted(specs):
        try:
            llm.get_model(llm.choose_model(spec or None))
        except Exception as exc:  # reported by the task that needs it, with the fix
            logger.info("model %r not prepared: %s", spec or "default", exc)


def run_worker(
    *,
    queues: list[str],
    interval: float,
    batch: bool,
    max_tasks: int | None,
    concurrency: int = 1,
    say: Callable[[str], None] | None = None,
) -> None:
    """Run queued tasks, ``concurrency`` at a time, until stopped (or, ``batch``, until
    the queue is empty).

    Each slot is a thread with its own database connection taking the next task
    (claims are atomic, as between processes). The first Ctrl+C / SIGTERM lets the
    running tasks finish and takes no new ones; a second one stops at once.
    """
    # What tasks record in the audit log is done by the worker (its threads inherit this).
    with acting(worker_actor()):
        _run_worker(
            queues=queues,
            interval=interval,
            batch=batch,
            max_tasks=max_tasks,
            concurrency=concurrency,
            say=say,
        )


def _run_worker(
    *,
    queues: list[str],
    interval: float,
    batch: bool,
    max_tasks: int | None,
    concurrency: int,
    say: Callable[[str], None] | None,
) -> None:
    worker_id = new_worker_id()
    per_slot = None if max_tasks is None else max(1, -(-max_tasks // concurrency))
    workers = []
    for slot in range(concurrency):
        worker = ClarionWorker(
            queue_names=queues,
            interval=interval,
            batch=batch,
            backend_name="default",
            startup_delay=not batch and slot > 0,
            max_tasks=per_slot,
            worker_id=worker_id,
            excluded_queue_names=[],
        )
        worker.slot, worker.say = slot + 1, say
        workers.append(worker)
    heartbeat = _Heartbeat(workers, worker_id)
    liveness.set_worker_id(worker_id)
    try:
        beat(worker_id, started_at=heartbeat.started_at, tasks_run=0)
        recover(own_id=worker_id)  # work orphaned by dead processes goes back on the queue first
        prepare_models()
        publishing_tick()  # and the day's publishing work that is due
        webhooks_tick()
        run_due_schedules()
        _start_in_this_context(heartbeat)
        try:
            _run_slots(workers)
        finally:
            heartbeat.stopped.set()
            heartbeat.join(timeout=5)
            beat(
                worker_id,
                started_at=heartbeat.started_at,
                tasks_run=heartbeat.tasks_run(),
                stopped=True,
            )
    finally:
        liveness.set_worker_id(None)


def _start_in_this_context(thread: threading.Thread) -> None:
    """Start ``thread`` with a copy of this thread's context variables (who acts, for the
    audit log): a new thread starts with none."""
    context = contextvars.copy_context()
    run = thread.run
    thread.run = lambda: context.run(run)  # type: ignore[method-assign]
    thread.start()


def _run_slots(workers: list[ClarionWorker]) -> None:
    if len(workers) == 1:
        workers[0].configure_signals()
        workers[0].run()
        return
    stopping = threading.Event()

    def stop(signum: int, frame: Any) -> None:
        if stopping.is_set():
            logger.warning("Received %s again - stopping now.", signal.strsignal(signum))
            os._exit(1)
        logger.warning(
            "Received %s - finishing the running tasks (press Ctrl+C again to force)",
            signal.strsignal(signum),
        )
        stopping.set()
        for worker in workers:
            worker.running = False

    def slot(worker: ClarionWorker) -> None:
        try:
            worker.run()
        finally:
            connection.close()

    threads = [
        threading.Thread(target=slot, args=(w,), name=f"clarion-worker-{w.slot}", daemon=True)
        for w in workers
    ]
    previous = {sig: signal.signal(sig, stop) for sig in (signal.SIGINT, signal.SIGTERM)}
    try:
        for thread in threads:
            _start_in_this_context(thread)
        while any(t.is_alive() for t in threads):
            for thread in threads:
                thread.join(timeout=0.2)
    finally:
        for sig, handler in previous.items():
            signal.signal(sig, handler)

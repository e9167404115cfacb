"""``clarion worker``: runs queued background tasks and writes a heartbeat row."""

from __future__ import annotations

import logging
import os
import socket
import threading
import uuid
from datetime import datetime

from django.conf import settings
from django.db import close_old_connections, connection
from django.utils import timezone
from django_tasks_db.management.commands.db_worker import Worker

from clarion.core.models import WorkerHeartbeat
from clarion.publishing.schedule import tick as publishing_tick
from clarion.writing.services import requeue_stale_sessions

logger = logging.getLogger(__name__)


def new_worker_id() -> str:
    return f"{socket.gethostname()[:40]}-{os.getpid()}-{uuid.uuid4().hex[:6]}"


def beat(worker_id: str, *, started_at: datetime, tasks_run: int) -> None:
    WorkerHeartbeat.objects.update_or_create(
        worker_id=worker_id,
        defaults={
            "hostname": socket.gethostname(),
            "pid": os.getpid(),
            "started_at": started_at,
            "last_seen": timezone.now(),
            "tasks_run": tasks_run,
        },
    )


class _Heartbeat(threading.Thread):
    def __init__(self, worker: Worker, worker_id: str) -> None:
        super().__init__(name="clarion-heartbeat", daemon=True)
        self.worker = worker
        self.worker_id = worker_id
        self.started_at = timezone.now()
        self.stopped = threading.Event()

    def run(self) -> None:
        first = True  # run_worker ticked the publishing clock already, before any task
        try:
            while not self.stopped.is_set():
                try:
                    close_old_connections()
                    beat(
                        self.worker_id, started_at=self.started_at, tasks_run=self.worker._run_tasks
                    )
                    requeued = requeue_stale_sessions()
                    if requeued:
                        logger.warning("queued orphaned sessions again: %s", requeued)
                    if not first:
                        publishing_tick()  # daily runs at each brand's local time, due posts
                except Exception:  # a missed beat must never stop the worker
                    logger.exception("heartbeat failed")
                first = False
                self.stopped.wait(settings.CLARION_WORKER_HEARTBEAT_SECONDS)
        finally:
            connection.close()


def run_worker(*, queues: list[str], interval: float, batch: bool, max_tasks: int | None) -> None:
    worker_id = new_worker_id()
    worker = Worker(
        queue_names=queues,
        interval=interval,
        batch=batch,
        backend_name="default",
        startup_delay=not batch,
        max_tasks=max_tasks,
        worker_id=worker_id,
        excluded_queue_names=[],
    )
    heartbeat = _Heartbeat(worker, worker_id)
    beat(worker_id, started_at=heartbeat.started_at, tasks_run=0)
    requeue_stale_sessions()  # work orphaned by a dead process goes back on the queue first
    publishing_tick()  # and the day's publishing work that is due
    heartbeat.start()
    worker.configure_signals()
    try:
        worker.run()
    finally:
        heartbeat.stopped.set()
        heartbeat.join(timeout=5)
        beat(worker_id, started_at=heartbeat.started_at, tasks_run=worker._run_tasks)

"""Who is alive: the id of this process, and which ``clarion worker`` processes still beat.

The rows a process works on (task results, writing sessions, jobs) record its
id. A ``clarion worker`` writes a heartbeat every
``CLARION_WORKER_HEARTBEAT_SECONDS``; one that has missed ``MISSED_BEATS`` beats,
or stopped, is dead, and whatever it held is recovered at once. A slow worker
still beats (its heartbeat is a thread of its own), so it is never taken for a
dead one. Other processes (a command, the web server) keep no heartbeat: what
they hold is recovered when its lease (``CLARION_SESSION_LEASE_SECONDS``) runs out.
"""

from __future__ import annotations

import os
import socket
from collections.abc import Iterable
from dataclasses import dataclass
from datetime import datetime, timedelta

from django.conf import settings
from django.utils import timezone

MISSED_BEATS = 3

_worker_id: str | None = None


def set_worker_id(worker_id: str | None) -> None:
    """Record that this process is the ``clarion worker`` ``worker_id`` (None: it no longer is)."""
    global _worker_id
    _worker_id = worker_id


def process_id() -> str:
    """The id this process writes on the rows it works on: its worker id, else ``host:pid``."""
    return _worker_id or f"{socket.gethostname()[:40]}:{os.getpid()}"


def dead_after() -> timedelta:
    """How long a worker's heartbeat may be silent before the worker counts as dead."""
    return timedelta(seconds=MISSED_BEATS * settings.CLARION_WORKER_HEARTBEAT_SECONDS)


def lease() -> timedelta:
    """How long a row held by a process without a heartbeat may go untouched."""
    return timedelta(seconds=settings.CLARION_SESSION_LEASE_SECONDS)


@dataclass(frozen=True)
class Liveness:
    """A snapshot of which of some processes are alive, taken with one query."""

    now: datetime
    workers: dict[str, bool]
    """Every asked-about id that is a ``clarion worker``, and whether it is alive."""
    lease: timedelta

    @classmethod
    def of(
        cls,
        runners: Iterable[str],
        *,
        now: datetime | None = None,
        lease_seconds: int | None = None,
    ) -> Liveness:
        from clarion.core.models import WorkerHeartbeat

        now = now or timezone.now()
        cutoff = now - dead_after()
        ids = sorted({runner for runner in runners if runner})
        rows = WorkerHeartbeat.objects.filter(worker_id__in=ids).values_list(
            "worker_id", "last_seen", "stopped_at"
        )
        return cls(
            now=now,
            workers={wid: stopped is None and seen >= cutoff for wid, seen, stopped in rows},
            lease=lease() if lease_seconds is None else timedelta(seconds=lease_seconds),
        )

    def is_worker(self, runner: str) -> bool:
        return runner in self.workers

    def gone(self, runner: str, *, touched: datetime | None) -> bool:
        """Whether the process holding a row is gone.

        A worker is gone as soon as its heartbeat is; any other process (or an
        unknown one) once the row has gone untouched for the lease.
        """
        if runner in self.workers:
            return not self.workers[runner]
        return touched is None or touched < self.now - self.lease

    def describe(self, runner: str) -> str:
        """The holder in words, for the reason stored on what is recovered."""
        if not runner:
            return "the process running it"
        kind = "worker" if runner in self.workers else "process"
        return f"{kind} {runner}"

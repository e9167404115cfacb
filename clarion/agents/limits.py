"""One concurrency bound per model for the whole installation, not per process.

``CLARION_LLM_MAX_CONCURRENCY`` is how many requests may be in flight to one model
from every worker process and the web server together. The slots live where
every process already meets — the database — so no new service is needed:

- **PostgreSQL**: a slot is a session-level advisory lock (``pg_try_advisory_lock``)
  held on one dedicated connection per process. PostgreSQL drops a connection's
  locks the moment it closes, so a process that crashes frees its slots at once;
  TCP keepalives (about 30 s) bound how long a vanished machine keeps them.
- **SQLite** (one machine): a slot is an exclusive ``flock`` on a file under
  ``CLARION_HOME/locks/``; the kernel releases it when the process dies.

A process first takes a slot of its own in-process semaphore (so its threads do
not all poll), then a shared slot, polling every few tens of milliseconds while
all are taken. pydantic-ai's ``ConcurrencyLimitedModel`` calls ``acquire`` before
and ``release`` after each model request.

``CLARION_LLM_REQUESTS_PER_MINUTE`` adds a budget per provider (for rate-limited
APIs): each request takes one from the current minute, counted in a row per
provider and minute on PostgreSQL (one conditional upsert) or in a small file
under an ``flock`` on SQLite. A request that finds the minute spent waits for the
next one, holding its concurrency slot.
"""

from __future__ import annotations

import asyncio
import fcntl
import hashlib
import json
import logging
import os
import random
import threading
import time
from pathlib import Path
from typing import Any, Protocol

from django.conf import settings
from django.db import connections
from pydantic_ai.concurrency import AbstractConcurrencyLimiter

logger = logging.getLogger(__name__)

POLL_SECONDS = 0.02


class SlotBackend(Protocol):
    def try_acquire(self) -> object | None:
        """A slot, or None when every slot is taken."""
        ...

    def release(self, slot: object) -> None: ...

    def close(self) -> None:
        """Give back every slot and any connection."""
        ...

    def take_request(self, provider: str, minute: int, limit: int) -> bool:
        """Count one request in ``minute`` for ``provider``; False when ``limit`` is reached."""
        ...


def _key(name: str) -> int:
    """A stable 31-bit number for a model name (the advisory lock's first key)."""
    return int.from_bytes(hashlib.sha256(name.encode()).digest()[:4], "big") & 0x7FFFFFFF


class AdvisoryLockSlots:
    """Slots as PostgreSQL advisory locks on one dedicated connection."""

    def __init__(self, name: str, size: int) -> None:
        self.key = _key(name)
        self.size = size
        self._lock = threading.Lock()
        self._connection: Any = None
        self._held: set[int] = set()

    def _connect(self) -> Any:
        import psycopg

        db = connections["default"].settings_dict
        params: dict[str, Any] = {
            "dbname": db["NAME"],
            "autocommit": True,
            "keepalives": 1,
            "keepalives_idle": 10,
            "keepalives_interval": 5,
            "keepalives_count": 3,
            "application_name": "clarion-llm-slots",
        }
        for option, field in (("user", "USER"), ("password", "PASSWORD"), ("host", "HOST")):
            if db.get(field):
                params[option] = db[field]
        if db.get("PORT"):
            params["port"] = int(db["PORT"])
        return psycopg.connect(**params)

    def try_acquire(self) -> object | None:
        with self._lock:
            if self._connection is None or self._connection.closed:
                self._connection = self._connect()
                self._held.clear()  # locks die with their connection
            start = random.randrange(self.size)
            for offset in range(self.size):
                slot = (start + offset) % self.size
                if slot in self._held:
                    continue
                row = self._connection.execute(
                    "SELECT pg_try_advisory_lock(%s, %s)", (self.key, slot)
                ).fetchone()
                if row and row[0]:
                    self._held.add(slot)
                    return slot
            return None

    def release(self, slot: object) -> None:
        with self._lock:
            if slot not in self._held or self._connection is None:
                return
            self._held.discard(slot)
            try:
                self._connection.execute("SELECT pg_advisory_unlock(%s, %s)", (self.key, slot))
            except Exception:  # the connection is gone, and its locks with it
                logger.warning("could not release model slot %s", slot, exc_info=True)
                self._connection = None

    def take_request(self, provider: str, minute: int, limit: int) -> bool:
        from clarion.agents.models import ModelRequestWindow

        table = ModelRequestWindow._meta.db_table
        with self._lock:
            if self._connection is None or self._connection.closed:
                self._connection = self._connect()
                self._held.clear()
            row = self._connection.execute(
                f"INSERT INTO {table} (provider, minute, requests) VALUES (%s, %s, 1) "
                f"ON CONFLICT (provider, minute) DO UPDATE SET requests = {table}.requests + 1 "
                f"WHERE {table}.requests < %s RETURNING requests",
                (provider, minute, limit),
            ).fetchone()
            if row is not None and row[0] == 1:  # a new minute: forget the old ones
                self._connection.execute(
                    f"DELETE FROM {table} WHERE provider = %s AND minute < %s",
                    (provider, minute - 60),
                )
            return row is not None

    def close(self) -> None:
        with self._lock:
            if self._connection is not None and not self._connection.closed:
                self._connection.close()  # its advisory locks go with it
            self._connection = None
            self._held.clear()


class FileLockSlots:
    """Slots as exclusive flocks on files: every process on this machine shares them."""

    def __init__(self, name: str, size: int, directory: Path) -> None:
        self.size = size
        self.directory = directory
        self.paths = [directory / f"llm-{_key(name):08x}-{n}.lock" for n in range(size)]
        directory.mkdir(parents=True, exist_ok=True, mode=0o700)

    def try_acquire(self) -> object | None:
        start = random.randrange(self.size)
        for offset in range(self.size):
            path = self.paths[(start + offset) % self.size]
            fd = os.open(path, os.O_RDWR | os.O_CREAT, 0o600)
            try:
                fcntl.flock(fd, fcntl.LOCK_EX | fcntl.LOCK_NB)
            except BlockingIOError:
                os.close(fd)
                continue
            return fd
        return None

    def release(self, slot: object) -> None:
        assert isinstance(slot, int)
        try:
            fcntl.flock(slot, fcntl.LOCK_UN)
        finally:
            os.close(slot)

    def close(self) -> None:
        return  # slots are file descriptors, given back by release()

    def take_request(self, provider: str, minute: int, limit: int) -> bool:
        path = self.directory / f"rpm-{_key(provider):08x}.json"
        fd = os.open(path, os.O_RDWR | os.O_CREAT, 0o600)
        try:
            fcntl.flock(fd, fcntl.LOCK_EX)
            raw = os.read(fd, 4096).decode() or "{}"
            try:
                counts = {int(k): int(v) for k, v in json.loads(raw).items()}
            except (ValueError, AttributeError):
                counts = {}
            used = counts.get(minute, 0)
            if used >= limit:
                return False
            counts = {minute: used + 1}  # older minutes no longer matter
            data = json.dumps(counts).encode()
            os.lseek(fd, 0, os.SEEK_SET)
            os.ftruncate(fd, 0)
            os.write(fd, data)
            return True
        finally:
            fcntl.flock(fd, fcntl.LOCK_UN)
            os.close(fd)


class SharedLimiter(AbstractConcurrencyLimiter):
    """At most ``size`` requests in flight to one model across every process, and at most
    ``per_minute`` requests a minute to its provider (0: no budget)."""

    def __init__(
        self, backend: SlotBackend, size: int, *, provider: str = "", per_minute: int = 0
    ) -> None:
        self.backend = backend
        self.size = size
        self.provider = provider
        self.per_minute = per_minute
        self._local: asyncio.Semaphore | None = None
        self._held: list[object] = []
        self._lock = threading.Lock()

    def _semaphore(self) -> asyncio.Semaphore:
        if self._local is None:
            self._local = asyncio.Semaphore(self.size)
        return self._local

    async def acquire(self, source: str) -> None:
        local = self._semaphore()
        await local.acquire()
        try:
            while True:
                slot = self.backend.try_acquire()
                if slot is not None:
                    with self._lock:
                        self._held.append(slot)
                    break
                await asyncio.sleep(POLL_SECONDS * (0.5 + random.random()))
        except BaseException:
            local.release()
            raise
        try:
            await self._spend_budget()
        except BaseException:
            self.release()
            raise

    async def _spend_budget(self) -> None:
        """Take one request from the provider's budget for this minute, waiting if it is spent."""
        if self.per_minute <= 0:
            return
        while True:
            now = time.time()
            minute = int(now // 60)
            if self.backend.take_request(self.provider, minute, self.per_minute):
                return
            await asyncio.sleep((minute + 1) * 60 - now + random.random() * 0.2)

    def release(self) -> None:
        with self._lock:
            slot = self._held.pop() if self._held else None
        try:
            if slot is not None:
                self.backend.release(slot)
        finally:
            if self._local is not None:
                self._local.release()

    def close(self) -> None:
        self.backend.close()


def requests_per_minute(provider: str) -> int:
    """The budget ``CLARION_LLM_REQUESTS_PER_MINUTE`` sets for ``provider`` (0: none).

    Either one number for every provider, or ``provider=number`` pairs.
    """
    setting: dict[str, int] = settings.CLARION_LLM_REQUESTS_PER_MINUTE
    return setting.get(provider, setting.get("*", 0))


def shared_limiter(name: str, size: int) -> SharedLimiter:
    """The installation-wide bound for the model called ``name`` (``provider:model``)."""
    if connections["default"].vendor == "postgresql":
        backend: SlotBackend = AdvisoryLockSlots(name, size)
    else:
        backend = FileLockSlots(name, size, Path(settings.CLARION_HOME) / "locks")
    provider = name.split(":", 1)[0]
    return SharedLimiter(backend, size, provider=provider, per_minute=requests_per_minute(provider))

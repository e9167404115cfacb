"""Working many items at once in threads, each with its own database connection.

Model-bound work (writing posts, filling plan topics) keeps the model's bound full
by running more callers than the bound: a caller spends part of its time on
database writes between model calls, so the pool holds twice the bound.
"""

from __future__ import annotations

import queue
import threading
from collections.abc import Callable, Iterable
from typing import TypeVar

from django.conf import settings
from django.db import connection, connections
from django.db.backends.sqlite3.base import DatabaseWrapper as SQLiteDatabase

T = TypeVar("T")


def model_pool_size(items: int) -> int:
    """Threads for ``items`` model-bound jobs: enough that the bound always has callers waiting."""
    return max(1, min(items, 2 * settings.CLARION_LLM_MAX_CONCURRENCY))


def threads_share_the_database() -> bool:
    """Whether pool threads, each with its own connection, can work on this database.

    Not inside a transaction: the threads could not see the caller's uncommitted
    rows (and on SQLite would wait on its write lock). Not on an in-memory SQLite
    database (the test database): its connections share one cache whose table
    locks fail at once instead of waiting. In both cases the work runs in the
    calling thread, one item after the other.
    """
    if connection.in_atomic_block:
        return False
    database = connections[connection.alias]
    return not (isinstance(database, SQLiteDatabase) and database.is_in_memory_db())


def run_all(items: Iterable[T], work: Callable[[T], object], *, threads: int) -> None:
    """Call ``work`` on every item, ``threads`` at a time (in this thread when it cannot share).

    Each thread takes the next item when it is free, and closes its connection at the end.
    """
    todo: queue.SimpleQueue[T] = queue.SimpleQueue()
    count = 0
    for item in items:
        todo.put(item)
        count += 1
    threads = min(threads, count)
    if threads <= 1 or not threads_share_the_database():
        while not todo.empty():
            work(todo.get_nowait())
        return

    def drain() -> None:
        try:
            while True:
                try:
                    item = todo.get_nowait()
                except queue.Empty:
                    return
                work(item)
        finally:
            connection.close()

    pool = [threading.Thread(target=drain, daemon=True) for _ in range(threads)]
    for thread in pool:
        thread.start()
    for thread in pool:
        thread.join()

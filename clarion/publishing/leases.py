"""Keeping claims alive while they are worked: one renewing thread per process.

A claim's lease is short (``CLARION_PUBLISH_LEASE_SECONDS``) so that the rows of a
process that dies are recovered quickly; while a row is worked — writing a post
can take minutes with a real model — this thread renews its lease every third of
a lease. Renewal is conditional (the token is still the row's, the lease has not
run out), so it can never take a row back from a worker that recovered it; the
fence before each send is what decides whether a worker may send.
"""

from __future__ import annotations

import logging
import threading
from collections import Counter
from collections.abc import Iterator
from contextlib import contextmanager

from django.conf import settings
from django.db import connection

from clarion.publishing import ledger

logger = logging.getLogger(__name__)


class LeaseKeeper:
    def __init__(self) -> None:
        self._tokens: Counter[str] = Counter()
        self._lock = threading.Lock()
        self._wake = threading.Event()
        self._thread: threading.Thread | None = None

    @contextmanager
    def holding(self, token: str) -> Iterator[None]:
        """Renew the lease of the row claimed under ``token`` for the duration of the block."""
        with self._lock:
            self._tokens[token] += 1
            if self._thread is None or not self._thread.is_alive():
                self._thread = threading.Thread(
                    target=self._run, name="clarion-leases", daemon=True
                )
                self._thread.start()
        try:
            yield
        finally:
            with self._lock:
                self._tokens[token] -= 1
                if self._tokens[token] <= 0:
                    del self._tokens[token]

    def held(self) -> list[str]:
        with self._lock:
            return list(self._tokens)

    def _run(self) -> None:
        """Renew until nothing is held, then end (the next hold starts a new thread)."""
        try:
            while True:
                self._wake.wait(max(settings.CLARION_PUBLISH_LEASE_SECONDS / 3, 0.2))
                self._wake.clear()
                with self._lock:
                    tokens = list(self._tokens)
                    if not tokens:
                        self._thread = None
                        return
                try:
                    kept = ledger.renew_all(tokens)
                except Exception:  # a missed renewal only shortens a lease; the fence decides
                    logger.warning("could not renew %d lease(s)", len(tokens), exc_info=True)
                    connection.close()
                    continue
                lost = set(tokens) - kept
                if lost:
                    logger.info("%d claim(s) ran out or were taken over", len(lost))
        finally:
            connection.close()


keeper = LeaseKeeper()

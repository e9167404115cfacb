"""A fake webhook receiver for tests: a real HTTP server on loopback that records what it gets.

``WebhookReceiver`` answers every ``POST`` (any path) and keeps each request's
headers and body, and whether its ``Clarion-Signature`` verifies with ``secret``
(the recipe in the README: HMAC-SHA256 over ``f"{t}.{body}"``, ``t`` within the
tolerance)::

    with WebhookReceiver(secret=secret) as receiver:
        ...  # register receiver.url, deliver
        assert receiver.events() == ["publication.published"]
        assert all(r.verified for r in receiver.received)

Faults on demand: ``fail_next(status, count=…)`` answers the next requests with an
error; ``always_fail(status)`` answers every request with it; ``hang_next(seconds)``
waits before answering (longer than the client's timeout: the client gives up).
``slow`` delays every answer (so that concurrent senders overlap).
"""

from __future__ import annotations

import hashlib
import hmac
import json
import threading
import time
from collections import deque
from dataclasses import dataclass, field
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from typing import Any

from clarion.testing.loopback import LoopbackServer

__all__ = ["Received", "WebhookReceiver", "verify_signature"]

TOLERANCE_SECONDS = 300


def verify_signature(secret: str, header: str, body: bytes, *, tolerance: float = 300) -> bool:
    """The receiver's check, written out as the README documents it (independent of Clarion's
    sending code): parse ``t`` and ``v1``, reject an old ``t``, compare the HMAC in constant time."""
    fields = dict(part.split("=", 1) for part in header.split(",") if "=" in part)
    if "t" not in fields or "v1" not in fields or not fields["t"].isdigit():
        return False
    if abs(time.time() - int(fields["t"])) > tolerance:
        return False
    signed = fields["t"].encode() + b"." + body
    expected = hmac.new(secret.encode(), signed, hashlib.sha256).hexdigest()
    return hmac.compare_digest(expected, fields["v1"])


@dataclass(frozen=True)
class Received:
    path: str
    headers: dict[str, str]
    body: bytes
    status: int  # what the receiver answered (0: it hung up without answering)
    verified: bool

    @property
    def event(self) -> str:
        return self.headers.get("clarion-event", "")

    @property
    def delivery(self) -> str:
        return self.headers.get("clarion-delivery", "")

    def json(self) -> Any:
        return json.loads(self.body)


@dataclass
class _State:
    lock: threading.Lock = field(default_factory=threading.Lock)
    received: list[Received] = field(default_factory=list)
    statuses: deque[int] = field(default_factory=deque)
    hangs: deque[float] = field(default_factory=deque)
    always: int | None = None
    in_flight: int = 0
    most_in_flight: int = 0


class _HTTPServer(ThreadingHTTPServer):
    daemon_threads = True
    allow_reuse_address = True

    def __init__(self, owner: WebhookReceiver) -> None:
        self.owner = owner
        super().__init__(("127.0.0.1", 0), _Handler)

    def handle_error(self, request: Any, client_address: Any) -> None:
        return  # clients that gave up (timeouts) hang up on us: expected


class _Handler(BaseHTTPRequestHandler):
    protocol_version = "HTTP/1.1"
    server_version = "FakeReceiver/1.0"
    server: _HTTPServer

    def log_message(self, format: str, *args: Any) -> None:
        return

    def do_POST(self) -> None:
        owner = self.server.owner
        state = owner._state
        body = self.rfile.read(int(self.headers.get("Content-Length") or 0))
        headers = {k.lower(): v for k, v in self.headers.items()}
        verified = owner.secret is not None and verify_signature(
            owner.secret, headers.get("clarion-signature", ""), body
        )
        with state.lock:
            status = state.statuses.popleft() if state.statuses else (state.always or 200)
            hang = state.hangs.popleft() if state.hangs else 0.0
            state.in_flight += 1
            state.most_in_flight = max(state.most_in_flight, state.in_flight)
        try:
            if owner.slow:
                time.sleep(owner.slow)
            if hang:
                time.sleep(hang)
            with state.lock:
                state.received.append(
                    Received(self.path, headers, body, 0 if hang else status, verified)
                )
            if hang:
                self.close_connection = True
                return
            answer = json.dumps({"ok": 200 <= status < 300}).encode()
            self.send_response(status)
            self.send_header("Content-Type", "application/json")
            self.send_header("Content-Length", str(len(answer)))
            self.end_headers()
            self.wfile.write(answer)
        finally:
            with state.lock:
                state.in_flight -= 1


class WebhookReceiver(LoopbackServer[_HTTPServer]):
    """Receives webhooks on loopback; every request is handled in its own thread."""

    def __init__(self, *, secret: str | None = None, slow: float = 0.0) -> None:
        self.secret = secret
        self.slow = slow
        self._state = _State()
        super().__init__()

    def _make_server(self) -> _HTTPServer:
        return _HTTPServer(self)

    @property
    def url(self) -> str:
        return f"{self.base_url}/hooks/clarion"

    # -- faults -----------------------------------------------------------------

    def fail_next(self, status: int = 500, *, count: int = 1) -> None:
        with self._state.lock:
            self._state.statuses.extend(status for _ in range(count))

    def always_fail(self, status: int = 500) -> None:
        with self._state.lock:
            self._state.always = status

    def hang_next(self, seconds: float, *, count: int = 1) -> None:
        with self._state.lock:
            self._state.hangs.extend(seconds for _ in range(count))

    # -- what came in -------------------------------------------------------------

    @property
    def received(self) -> list[Received]:
        with self._state.lock:
            return list(self._state.received)

    @property
    def most_in_flight(self) -> int:
        with self._state.lock:
            return self._state.most_in_flight

    def events(self) -> list[str]:
        return [r.event for r in self.received]

    def wait_for(self, count: int, *, timeout: float = 5.0) -> list[Received]:
        deadline = time.monotonic() + timeout
        while time.monotonic() < deadline:
            if len(self.received) >= count:
                break
            time.sleep(0.02)
        return self.received

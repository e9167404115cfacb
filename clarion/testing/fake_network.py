"""A protocol-faithful fake Mastodon server for tests and benchmarks.

``FakeNetwork`` listens on ``127.0.0.1`` (the OS picks the port) and speaks the
part of Mastodon's REST API a publisher needs (see ``reference/social-apis.md``)::

    with FakeNetwork(token="secret") as network:
        httpx.post(f"{network.base_url}/api/v1/statuses", data={"status": "Hi"},
                   headers={"Authorization": "Bearer secret", "Idempotency-Key": "k1"})
        assert network.created == 1

- ``POST /api/v1/statuses`` (form or JSON): 200 with a Status; the
  ``Idempotency-Key`` header returns the original Status for a repeated key
  (turn that off with ``honour_idempotency=False`` to behave like a network that
  has no idempotency, such as X or LinkedIn); over 500 graphemes → 422.
- ``GET /api/v1/accounts/verify_credentials``, ``GET /api/v1/accounts/:id/statuses``
  (newest first, ``limit`` ≤ 40, paged with ``max_id`` / ``since_id`` / ``min_id``
  and a ``Link`` header), ``GET /api/v1/statuses/:id``.
- A Status's ``content`` is HTML as Mastodon renders it: line endings made ``\n``,
  paragraphs (runs of blank lines collapse into one break) in ``<p>``, single
  line breaks as ``<br />``, links wrapped in ``<a>`` with their display text cut
  into ``invisible`` / ``ellipsis`` spans.
- Bearer auth on every route (401 ``{"error": …}`` otherwise); ``X-RateLimit-*``
  headers with an ISO-8601 reset.

Faults on demand: ``fail_next(status)`` answers the next create requests with an
error (429 carries a reset); ``rate_limit_first_attempts(reset)`` answers the first
attempt at every distinct text with 429; ``timeout_after_send()`` stores the next
post and then never answers (the client's "unknown outcome"); ``answer_delay``
stores every post and then waits before answering (slow after storing).
Counters: ``requests``, ``created``, ``duplicates`` (posts whose text an account
had posted before), ``statuses``.
"""

from __future__ import annotations

import contextlib
import html
import json
import socket
import threading
import time
from collections import Counter, deque
from dataclasses import dataclass, field
from datetime import UTC, datetime, timedelta
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from typing import Any
from urllib.parse import parse_qs, urlsplit

import regex

from clarion.testing.loopback import LoopbackServer

__all__ = ["FakeNetwork", "Status"]

MAX_CHARACTERS = 500
RATE_LIMIT = 300


@dataclass(frozen=True)
class Status:
    id: str
    text: str
    idempotency_key: str
    created_at: str

    def as_json(self, base_url: str, username: str) -> dict[str, Any]:
        return {
            "id": self.id,
            "created_at": self.created_at,
            "url": f"{base_url}/@{username}/{self.id}",
            "uri": f"{base_url}/users/{username}/statuses/{self.id}",
            "content": render_content(self.text),
            "visibility": "public",
            "favourites_count": 0,
            "reblogs_count": 0,
            "replies_count": 0,
            "account": {"id": "1", "username": username, "acct": username},
        }


_URL = regex.compile(r"https?://[^\s<>\"]+")


def _link(url: str) -> str:
    """A link as Mastodon renders it: scheme hidden, the display cut after 30 characters."""
    scheme, _, rest = url.partition("://")
    shown, hidden = rest[:30], rest[30:]
    ellipsis = "ellipsis" if hidden else ""
    return (
        f'<a href="{html.escape(url)}" rel="nofollow noopener" target="_blank">'
        f'<span class="invisible">{scheme}://</span>'
        f'<span class="{ellipsis}">{html.escape(shown)}</span>'
        f'<span class="invisible">{html.escape(hidden)}</span></a>'
    )


def _paragraph(text: str) -> str:
    pieces: list[str] = []
    last = 0
    for match in _URL.finditer(text):
        pieces.append(html.escape(text[last : match.start()]))
        pieces.append(_link(match.group(0)))
        last = match.end()
    pieces.append(html.escape(text[last:]))
    return "".join(pieces).replace("\n", "<br />")


def render_content(text: str) -> str:
    """A status's text as the HTML Mastodon serves back."""
    text = text.replace("\r\n", "\n").replace("\r", "\n").strip("\n")
    paragraphs = [p for p in regex.split(r"\n\s*\n", text) if p.strip()]
    return "".join(f"<p>{_paragraph(p.strip(chr(10)))}</p>" for p in paragraphs)


@dataclass
class _Fault:
    status: int
    body: dict[str, Any]
    reset_seconds: float = 300.0


@dataclass
class _State:
    lock: threading.Lock = field(default_factory=threading.Lock)
    requests: int = 0
    statuses: list[Status] = field(default_factory=list)
    by_key: dict[str, Status] = field(default_factory=dict)
    texts: Counter[str] = field(default_factory=Counter)
    faults: deque[_Fault] = field(default_factory=deque)
    hang_after_send: deque[float] = field(default_factory=deque)
    first_attempt_reset: float | None = None
    attempted: set[str] = field(default_factory=set)


class _HTTPServer(ThreadingHTTPServer):
    daemon_threads = True
    allow_reuse_address = True
    request_queue_size = 128

    def __init__(self, owner: FakeNetwork) -> None:
        self.owner = owner
        super().__init__(("127.0.0.1", 0), _Handler)

    def handle_error(self, request: Any, client_address: Any) -> None:
        return  # clients hanging up (timeouts, shutdown) are expected


class _Handler(BaseHTTPRequestHandler):
    protocol_version = "HTTP/1.1"
    server_version = "FakeMastodon/1.0"
    timeout = 30.0
    disable_nagle_algorithm = True
    server: _HTTPServer

    def log_message(self, format: str, *args: Any) -> None:
        return

    def _send(
        self,
        status: int,
        payload: Any,
        *,
        reset_seconds: float = 300.0,
        extra: dict[str, str] | None = None,
    ) -> None:
        data = json.dumps(payload).encode()
        reset_at = datetime.now(UTC) + timedelta(seconds=reset_seconds)
        reset = reset_at.isoformat().replace("+00:00", "Z")
        try:
            self.send_response(status)
            self.send_header("Content-Type", "application/json; charset=utf-8")
            self.send_header("Content-Length", str(len(data)))
            self.send_header("X-RateLimit-Limit", str(RATE_LIMIT))
            self.send_header("X-RateLimit-Remaining", str(RATE_LIMIT - 1))
            self.send_header("X-RateLimit-Reset", reset)
            for name, value in (extra or {}).items():
                self.send_header(name, value)
            self.end_headers()
            self.wfile.write(data)
            self.wfile.flush()
        except OSError:
            self.close_connection = True

    def _body(self) -> bytes:
        length = int(self.headers.get("Content-Length") or 0)
        return self.rfile.read(length) if length > 0 else b""

    def _authorised(self) -> bool:
        owner = self.server.owner
        if self.headers.get("Authorization", "") != f"Bearer {owner.token}":
            self._send(401, {"error": "The access token is invalid"})
            return False
        return True

    def do_GET(self) -> None:
        owner = self.server.owner
        with owner._state.lock:
            owner._state.requests += 1
        if not self._authorised():
            return
        parts = urlsplit(self.path)
        path = parts.path.rstrip("/")
        query = parse_qs(parts.query)
        if path == "/api/v1/accounts/verify_credentials":
            self._send(200, {"id": "1", "username": owner.username, "acct": owner.username})
        elif path == "/api/v1/accounts/1/statuses":
            try:
                limit = min(max(int(query.get("limit", ["20"])[0]), 1), 40)
                bounds = {
                    k: int(query[k][0]) for k in ("max_id", "since_id", "min_id") if k in query
                }
            except ValueError:
                self._send(400, {"error": "Invalid parameter"})
                return
            with owner._state.lock:
                statuses = list(owner._state.statuses)
            page = _page(statuses, limit=limit, **bounds)
            links = []
            if page:
                url = f"{owner.base_url}/api/v1/accounts/1/statuses?limit={limit}"
                links.append(f'<{url}&max_id={page[-1].id}>; rel="next"')
                links.append(f'<{url}&min_id={page[0].id}>; rel="prev"')
            self._send(
                200,
                [s.as_json(owner.base_url, owner.username) for s in page],
                extra={"Link": ", ".join(links)} if links else None,
            )
        elif path.startswith("/api/v1/statuses/"):
            wanted = path.rsplit("/", 1)[-1]
            with owner._state.lock:
                found = next((s for s in owner._state.statuses if s.id == wanted), None)
            if found is None:
                self._send(404, {"error": "Record not found"})
            else:
                self._send(200, found.as_json(owner.base_url, owner.username))
        else:
            self._send(404, {"error": "Record not found"})

    def do_POST(self) -> None:
        owner = self.server.owner
        state = owner._state
        raw = self._body()
        with state.lock:
            state.requests += 1
        if not self._authorised():
            return
        if urlsplit(self.path).path.rstrip("/") != "/api/v1/statuses":
            self._send(404, {"error": "Record not found"})
            return
        text = _status_text(raw, self.headers.get("Content-Type", ""))
        if owner.latency:
            time.sleep(owner.latency)
        key = self.headers.get("Idempotency-Key", "")
        with state.lock:
            fault = state.faults.popleft() if state.faults else None
            if (
                fault is None
                and state.first_attempt_reset is not None
                and text not in state.attempted
            ):
                state.attempted.add(text)
                fault = _Fault(429, {"error": "Too many requests"}, state.first_attempt_reset)
        if fault is not None:
            self._send(fault.status, fault.body, reset_seconds=fault.reset_seconds)
            return
        if not text.strip():
            self._send(422, {"error": "Validation failed: Text can't be blank"})
            return
        if _length(text) > MAX_CHARACTERS:
            message = f"Validation failed: Text character limit of {MAX_CHARACTERS} exceeded"
            self._send(422, {"error": message})
            return
        with state.lock:
            existing = state.by_key.get(key) if key and owner.honour_idempotency else None
            if existing is None:
                existing = Status(
                    id=str(100_000 + len(state.statuses) + 1),
                    text=text,
                    idempotency_key=key,
                    created_at=datetime.now(UTC).isoformat().replace("+00:00", "Z"),
                )
                state.statuses.append(existing)
                state.texts[text] += 1
                if key:
                    state.by_key.setdefault(key, existing)
            hang = state.hang_after_send.popleft() if state.hang_after_send else None
        if owner.answer_delay:  # stored; the answer is slow to come
            time.sleep(owner.answer_delay)
        if hang is not None:  # stored, but the client never hears back
            time.sleep(hang)
            self.close_connection = True
            with contextlib.suppress(OSError):
                self.connection.shutdown(socket.SHUT_RDWR)
            return
        self._send(200, existing.as_json(owner.base_url, owner.username))


def _page(
    statuses: list[Status],
    *,
    limit: int,
    max_id: int | None = None,
    since_id: int | None = None,
    min_id: int | None = None,
) -> list[Status]:
    """Mastodon's paging: newest first below ``max_id`` and above ``since_id``; with
    ``min_id``, the ``limit`` statuses right after it (still newest first)."""
    chosen = [
        s
        for s in statuses
        if (max_id is None or int(s.id) < max_id)
        and (since_id is None or int(s.id) > since_id)
        and (min_id is None or int(s.id) > min_id)
    ]
    if min_id is not None:
        return list(reversed(chosen[:limit]))
    return list(reversed(chosen))[:limit]


def _status_text(raw: bytes, content_type: str) -> str:
    if "json" in content_type:
        try:
            body = json.loads(raw.decode("utf-8") or "{}")
        except (UnicodeDecodeError, json.JSONDecodeError):
            return ""
        value = body.get("status", "") if isinstance(body, dict) else ""
        return value if isinstance(value, str) else ""
    form = parse_qs(raw.decode("utf-8", errors="replace"), keep_blank_values=True)
    return form.get("status", [""])[0]


def _length(text: str) -> int:
    """Mastodon's count: grapheme clusters, every URL as 23."""
    urls = regex.findall(r"https?://\S+", text)
    rest = regex.sub(r"https?://\S+", "", text)
    return len(regex.findall(r"\X", rest)) + 23 * len(urls)


class FakeNetwork(LoopbackServer[_HTTPServer]):
    """A fake Mastodon instance on loopback; every request is handled in its own thread."""

    def __init__(
        self,
        *,
        token: str = "fake-token",
        username: str = "clarion",
        latency: float = 0.0,
        honour_idempotency: bool = True,
        answer_delay: float = 0.0,
    ) -> None:
        self.token = token
        self.username = username
        self.latency = latency
        self.honour_idempotency = honour_idempotency
        self.answer_delay = answer_delay
        self._state = _State()
        super().__init__()

    def _make_server(self) -> _HTTPServer:
        return _HTTPServer(self)

    # -- fault injection ------------------------------------------------------

    def fail_next(self, status: int = 503, *, count: int = 1, reset_seconds: float = 0) -> None:
        """Answer the next ``count`` create requests with ``status`` and Mastodon's error body.

        ``X-RateLimit-Reset`` is ``reset_seconds`` from now (what a 429 asks a client to wait).
        """
        message = {
            401: "The access token is invalid",
            422: "Validation failed",
            429: "Too many requests",
        }.get(status, "Service unavailable" if status >= 500 else "Error")
        body: dict[str, Any] = {"error": message}
        with self._state.lock:
            self._state.faults.extend(
                _Fault(status, body, float(reset_seconds)) for _ in range(count)
            )

    def rate_limit_first_attempts(self, *, reset_seconds: float = 20.0) -> None:
        """Answer the first attempt at every distinct text with 429 (reset ``reset_seconds``)."""
        with self._state.lock:
            self._state.first_attempt_reset = float(reset_seconds)

    def timeout_after_send(self, *, count: int = 1, hang: float = 2.0) -> None:
        """Store the next ``count`` posts, then hang ``hang`` seconds and close without answering."""
        with self._state.lock:
            self._state.hang_after_send.extend(hang for _ in range(count))

    # -- counters -------------------------------------------------------------

    @property
    def requests(self) -> int:
        with self._state.lock:
            return self._state.requests

    @property
    def created(self) -> int:
        with self._state.lock:
            return len(self._state.statuses)

    @property
    def duplicates(self) -> int:
        with self._state.lock:
            return sum(n - 1 for n in self._state.texts.values() if n > 1)

    @property
    def statuses(self) -> list[Status]:
        with self._state.lock:
            return list(self._state.statuses)

    def reset(self) -> None:
        with self._state.lock:
            self._state.requests = 0
            self._state.statuses.clear()
            self._state.by_key.clear()
            self._state.texts.clear()
            self._state.faults.clear()
            self._state.hang_after_send.clear()
            self._state.attempted.clear()
            self._state.first_attempt_reset = None

"""A protocol-faithful fake OpenAI Chat Completions server for tests and benchmarks.

``FakeChatServer`` listens on ``127.0.0.1`` (the OS picks the port) and speaks enough
of the OpenAI HTTP API for the official SDK and pydantic-ai's ``OpenAIChatModel`` to
work against it unchanged::

    with FakeChatServer(latency=0.05) as server:
        client = OpenAI(base_url=server.base_url, api_key="x")
        ...
        assert server.max_in_flight <= 4

Every request is handled in its own thread, so concurrent requests really overlap and
``max_in_flight`` shows the peak concurrency a client produced. By default the server
answers Clarion's agent prompts with the offline engine (``clarion.agents.offline``);
pass ``responder`` to script the answers. ``fail_next`` and ``delay_next`` inject
errors and slow responses.
"""

from __future__ import annotations

import contextlib
import importlib
import json
import socket
import threading
import time
import uuid
from collections import deque
from collections.abc import Callable
from dataclasses import dataclass, field
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from typing import Any

from clarion.testing.loopback import LoopbackServer

__all__ = ["ChatRequest", "FakeChatServer", "Reply", "count_tokens", "message_text"]

_ROLES = frozenset({"system", "developer", "user", "assistant", "tool", "function"})
_RECEIVED_CAP = 1000
_MAX_BODY = 64 * 1024 * 1024


@dataclass(frozen=True)
class ChatRequest:
    """One parsed chat-completions request, as a responder sees it."""

    model: str
    messages: list[dict[str, Any]]
    tools: list[dict[str, Any]]
    tool_names: list[str]
    tool_choice: Any
    user_text: str
    """The text of the last user message ("" when there is none)."""
    body: dict[str, Any]
    """The raw JSON body."""

    def forced_tool(self) -> str | None:
        """The function name ``tool_choice`` forces, if it forces one."""
        choice = self.tool_choice
        if isinstance(choice, dict):
            function = choice.get("function")
            if isinstance(function, dict) and isinstance(function.get("name"), str):
                return str(function["name"])
        return None


@dataclass(frozen=True)
class Reply:
    """What the fake model answers: text, a tool call, or both."""

    text: str | None = None
    tool_call: tuple[str, dict[str, Any]] | None = None
    prompt_tokens: int | None = None
    """Overrides the counted prompt tokens."""
    completion_tokens: int | None = None
    """Overrides the counted completion tokens."""

    def __post_init__(self) -> None:
        if self.text is None and self.tool_call is None:
            raise ValueError("a Reply needs text or a tool_call")


Responder = Callable[[ChatRequest], Reply]


def message_text(message: dict[str, Any]) -> str:
    """The text of a message: its string content or its text parts joined by newlines."""
    content = message.get("content")
    if isinstance(content, str):
        return content
    if isinstance(content, list):
        texts = [
            str(part.get("text", ""))
            for part in content
            if isinstance(part, dict) and part.get("type") == "text"
        ]
        return "\n".join(texts)
    return ""


def count_tokens(text: str) -> int:
    """Whitespace-separated words in ``text``, at least 1."""
    return max(1, len(text.split()))


def default_responder(request: ChatRequest) -> Reply:
    """Answer Clarion's agent prompts with the offline engine.

    The newest user message carrying a ``<request>`` block is decoded; with tools on
    offer the output tool (``final_result*`` first, else the forced or first tool) is
    called with the offline engine's answer, otherwise its ``text`` is returned.
    """
    from clarion.agents.prompting import extract_request

    payload: dict[str, Any] | None = None
    for message in reversed(request.messages):
        if message.get("role") != "user":
            continue
        text = message_text(message)
        if "<request>" not in text:
            continue
        payload = extract_request(text)
        if payload is not None:
            break
    if payload is None:
        return Reply(text="ok")

    offline = importlib.import_module("clarion.agents.offline")
    args: dict[str, Any] = offline.respond(payload)
    if request.tool_names and request.tool_choice != "none":
        name = _output_tool(request)
        return Reply(tool_call=(name, args))
    answer = args.get("text") if isinstance(args, dict) else None
    return Reply(text=answer if isinstance(answer, str) and answer else "ok")


def _output_tool(request: ChatRequest) -> str:
    forced = request.forced_tool()
    if forced is not None and forced in request.tool_names:
        return forced
    for name in request.tool_names:
        if name.startswith("final_result"):
            return name
    return request.tool_names[0]


def _error(
    message: str,
    *,
    type_: str = "invalid_request_error",
    param: str | None = None,
    code: str | None = None,
) -> dict[str, Any]:
    return {"error": {"message": message, "type": type_, "param": param, "code": code}}


class _BadRequest(Exception):
    def __init__(self, message: str, param: str | None = None) -> None:
        super().__init__(message)
        self.message = message
        self.param = param


@dataclass
class _Fault:
    status: int
    body: dict[str, Any]


@dataclass
class _State:
    lock: threading.Lock = field(default_factory=threading.Lock)
    requests: int = 0
    failures: int = 0
    prompt_tokens: int = 0
    completion_tokens: int = 0
    in_flight: int = 0
    max_in_flight: int = 0
    received: deque[dict[str, Any]] = field(default_factory=lambda: deque(maxlen=_RECEIVED_CAP))
    faults: deque[_Fault] = field(default_factory=deque)
    delays: deque[float] = field(default_factory=deque)


class _HTTPServer(ThreadingHTTPServer):
    daemon_threads = True
    allow_reuse_address = True

    def __init__(self, owner: FakeChatServer) -> None:
        self.owner = owner
        self.connections: set[socket.socket] = set()
        self.connections_lock = threading.Lock()
        super().__init__(("127.0.0.1", 0), _Handler)

    def handle_error(self, request: Any, client_address: Any) -> None:
        # Clients hanging up (timeouts, shutdown) are expected; stay quiet.
        return

    def close_connections(self) -> None:
        with self.connections_lock:
            connections = list(self.connections)
        for connection in connections:
            with contextlib.suppress(OSError):
                connection.shutdown(socket.SHUT_RDWR)


class _Handler(BaseHTTPRequestHandler):
    protocol_version = "HTTP/1.1"
    server_version = "FakeChatServer/1.0"
    timeout = 60.0  # idle keep-alive connections give up after a minute
    # Headers and body go out in separate writes; with Nagle's algorithm the body
    # would wait for the client's delayed ACK (~40 ms) on every response.
    disable_nagle_algorithm = True
    server: _HTTPServer

    # -- plumbing -----------------------------------------------------------

    def setup(self) -> None:
        super().setup()
        with self.server.connections_lock:
            self.server.connections.add(self.connection)

    def finish(self) -> None:
        with self.server.connections_lock:
            self.server.connections.discard(self.connection)
        with contextlib.suppress(OSError):
            super().finish()

    def log_message(self, format: str, *args: Any) -> None:
        return

    def _read_body(self) -> bytes:
        if "chunked" in self.headers.get("Transfer-Encoding", "").lower():
            chunks: list[bytes] = []
            while True:
                size_line = self.rfile.readline(65537)
                size = int(size_line.split(b";", 1)[0].strip() or b"0", 16)
                if size == 0:
                    while self.rfile.readline(65537) not in (b"\r\n", b"\n", b""):
                        pass
                    break
                chunks.append(self.rfile.read(size))
                self.rfile.readline(65537)
            return b"".join(chunks)
        length = int(self.headers.get("Content-Length") or 0)
        if length < 0 or length > _MAX_BODY:
            raise _BadRequest("invalid Content-Length")
        return self.rfile.read(length) if length else b""

    def _send_json(self, status: int, payload: dict[str, Any]) -> None:
        data = json.dumps(payload).encode()
        try:
            self.send_response(status)
            self.send_header("Content-Type", "application/json")
            self.send_header("Content-Length", str(len(data)))
            self.send_header("x-request-id", f"req_{uuid.uuid4().hex[:24]}")
            self.end_headers()
            self.wfile.write(data)
            self.wfile.flush()
        except OSError:
            # The client went away (e.g. it timed out); nothing left to tell it.
            self.close_connection = True

    @staticmethod
    def _path(raw: str) -> str:
        path = raw.split("?", 1)[0].split("#", 1)[0]
        return path.rstrip("/") or "/"

    # -- routes ---------------------------------------------------------------

    def do_GET(self) -> None:
        path = self._path(self.path)
        if path == "/_stats":  # for benchmarks running the server in another process
            owner = self.server.owner
            self._send_json(
                200,
                {
                    "requests": owner.requests,
                    "failures": owner.failures,
                    "in_flight": owner.in_flight,
                    "max_in_flight": owner.max_in_flight,
                },
            )
        elif path == "/v1/models":
            owner = self.server.owner
            model = {"id": owner.model_name, "object": "model", "created": 0, "owned_by": "clarion"}
            self._send_json(200, {"object": "list", "data": [model]})
        elif path.startswith("/v1/models/"):
            name = path.removeprefix("/v1/models/")
            owner = self.server.owner
            if name == owner.model_name:
                model = {"id": name, "object": "model", "created": 0, "owned_by": "clarion"}
                self._send_json(200, model)
            else:
                message = f"The model '{name}' does not exist"
                self._send_json(404, _error(message, param="model", code="model_not_found"))
        else:
            self._not_found()

    def do_POST(self) -> None:
        try:
            raw = self._read_body()
        except (ValueError, _BadRequest) as exc:
            self.close_connection = True
            self._send_json(400, _error(str(exc) or "could not read the request body"))
            return
        path = self._path(self.path)
        if path == "/_stats/reset":  # a benchmark starting a run of its own
            self.server.owner.reset()
            self._send_json(200, {"reset": True})
            return
        if path != "/v1/chat/completions":
            self._not_found()
            return
        self._chat_completions(raw)

    def _method_not_allowed(self) -> None:
        try:
            self._read_body()
        except (ValueError, _BadRequest):
            self.close_connection = True
        self._send_json(405, _error(f"Method {self.command} not allowed for {self.path}"))

    do_PUT = do_PATCH = do_DELETE = _method_not_allowed

    def _not_found(self) -> None:
        message = f"Unknown request URL: {self.command} {self._path(self.path)}."
        self._send_json(404, _error(message, code="unknown_url"))

    # -- chat completions -----------------------------------------------------

    def _chat_completions(self, raw: bytes) -> None:
        owner = self.server.owner
        state = owner._state
        try:
            body = json.loads(raw.decode("utf-8"))
        except (UnicodeDecodeError, json.JSONDecodeError) as exc:
            message = f"We could not parse the JSON body of your request. ({exc})"
            self._send_json(400, _error(message))
            return
        try:
            request = _parse_chat_request(body, default_model=owner.model_name)
        except _BadRequest as exc:
            self._send_json(400, _error(exc.message, param=exc.param))
            return

        with state.lock:
            state.received.append(body)
            state.in_flight += 1
            state.max_in_flight = max(state.max_in_flight, state.in_flight)
            fault = state.faults.popleft() if state.faults else None
            extra = state.delays.popleft() if state.delays else 0.0
        try:
            delay = owner.latency + extra
            if delay > 0:
                time.sleep(delay)
            if fault is not None:
                with state.lock:
                    state.failures += 1
                self._send_json(fault.status, fault.body)
                return
            try:
                reply = owner.responder(request)
                payload, prompt_tokens, completion_tokens = _completion(request, reply)
            except Exception as exc:
                with state.lock:
                    state.failures += 1
                message = f"responder failed: {type(exc).__name__}: {exc}"
                self._send_json(500, _error(message, type_="server_error"))
                return
            with state.lock:
                state.requests += 1
                state.prompt_tokens += prompt_tokens
                state.completion_tokens += completion_tokens
            self._send_json(200, payload)
        finally:
            with state.lock:
                state.in_flight -= 1


def _parse_chat_request(body: Any, *, default_model: str) -> ChatRequest:
    if not isinstance(body, dict):
        raise _BadRequest("The request body must be a JSON object.")
    if body.get("stream"):
        raise _BadRequest("This fake server does not support streaming.", param="stream")
    model = body.get("model", default_model)
    if not isinstance(model, str) or not model:
        raise _BadRequest("'model' must be a non-empty string.", param="model")
    messages = body.get("messages")
    if not isinstance(messages, list) or not messages:
        raise _BadRequest("'messages' must be a non-empty array.", param="messages")
    for index, message in enumerate(messages):
        param = f"messages.[{index}]"
        if not isinstance(message, dict):
            raise _BadRequest(f"{param} must be an object.", param=param)
        role = message.get("role")
        if role not in _ROLES:
            raise _BadRequest(f"Invalid value for {param}.role: {role!r}.", param=f"{param}.role")
        content = message.get("content")
        if content is not None and not isinstance(content, str | list):
            raise _BadRequest(f"{param}.content must be a string or an array.", param=param)
    tools = body.get("tools") or []
    if not isinstance(tools, list):
        raise _BadRequest("'tools' must be an array.", param="tools")
    names: list[str] = []
    for index, tool in enumerate(tools):
        function = tool.get("function") if isinstance(tool, dict) else None
        name = function.get("name") if isinstance(function, dict) else None
        if (
            not isinstance(tool, dict)
            or tool.get("type") != "function"
            or not isinstance(name, str)
        ):
            param = f"tools.[{index}]"
            raise _BadRequest(f"{param} must be a function tool with a name.", param=param)
        names.append(name)
    user_text = ""
    for message in reversed(messages):
        if message.get("role") == "user":
            user_text = message_text(message)
            break
    return ChatRequest(
        model=model,
        messages=messages,
        tools=tools,
        tool_names=names,
        tool_choice=body.get("tool_choice"),
        user_text=user_text,
        body=body,
    )


def _completion(request: ChatRequest, reply: Reply) -> tuple[dict[str, Any], int, int]:
    if not isinstance(reply, Reply):
        raise TypeError(f"a responder must return a Reply, not {type(reply).__name__}")
    message: dict[str, Any] = {"role": "assistant", "content": reply.text, "refusal": None}
    completion_text = reply.text or ""
    finish_reason = "stop"
    if reply.tool_call is not None:
        name, args = reply.tool_call
        arguments = json.dumps(args)
        call_id = f"call_{uuid.uuid4().hex[:24]}"
        function = {"name": name, "arguments": arguments}
        message["tool_calls"] = [{"id": call_id, "type": "function", "function": function}]
        completion_text = f"{completion_text} {name} {arguments}"
        finish_reason = "tool_calls"
    prompt_text = "\n".join(message_text(m) for m in request.messages)
    prompt_tokens = (
        reply.prompt_tokens if reply.prompt_tokens is not None else count_tokens(prompt_text)
    )
    completion_tokens = (
        reply.completion_tokens
        if reply.completion_tokens is not None
        else count_tokens(completion_text)
    )
    payload = {
        "id": f"chatcmpl-{uuid.uuid4().hex[:24]}",
        "object": "chat.completion",
        "created": int(time.time()),
        "model": request.model,
        "system_fingerprint": "fp_clarion_fake",
        "choices": [
            {"index": 0, "message": message, "logprobs": None, "finish_reason": finish_reason}
        ],
        "usage": {
            "prompt_tokens": prompt_tokens,
            "completion_tokens": completion_tokens,
            "total_tokens": prompt_tokens + completion_tokens,
        },
    }
    return payload, prompt_tokens, completion_tokens


class FakeChatServer(LoopbackServer[_HTTPServer]):
    """A fake OpenAI chat-completions endpoint on ``127.0.0.1``.

    Thread-safe counters: ``requests`` (chat requests answered successfully),
    ``failures`` (injected or responder errors), ``prompt_tokens``,
    ``completion_tokens``, ``in_flight``, ``max_in_flight`` (peak concurrent chat
    requests) and ``received`` (the last 1000 parsed chat bodies, failures included).
    """

    def __init__(
        self,
        *,
        latency: float = 0.0,
        responder: Responder | None = None,
        model_name: str = "fake-model",
    ) -> None:
        self.latency = latency
        self.responder: Responder = responder or default_responder
        self.model_name = model_name
        self._state = _State()
        super().__init__()

    # -- lifecycle (start, stop, port: LoopbackServer) -------------------------

    def _make_server(self) -> _HTTPServer:
        return _HTTPServer(self)

    def _after_shutdown(self, httpd: _HTTPServer) -> None:
        httpd.close_connections()

    @property
    def base_url(self) -> str:
        return f"{super().base_url}/v1"

    # -- fault injection ------------------------------------------------------

    def fail_next(
        self, count: int = 1, status: int = 500, body: dict[str, Any] | None = None
    ) -> None:
        """Make the next ``count`` chat requests fail with ``status`` and an error body."""
        if body is None:
            type_ = "server_error" if status >= 500 else _client_error_type(status)
            body = {"error": {"message": "injected failure", "type": type_, "code": None}}
        with self._state.lock:
            self._state.faults.extend(_Fault(status, body) for _ in range(count))

    def delay_next(self, count: int = 1, seconds: float = 1.0) -> None:
        """Delay the next ``count`` chat requests by ``seconds`` on top of ``latency``."""
        with self._state.lock:
            self._state.delays.extend(seconds for _ in range(count))

    # -- counters -------------------------------------------------------------

    @property
    def requests(self) -> int:
        with self._state.lock:
            return self._state.requests

    @property
    def failures(self) -> int:
        with self._state.lock:
            return self._state.failures

    @property
    def prompt_tokens(self) -> int:
        with self._state.lock:
            return self._state.prompt_tokens

    @property
    def completion_tokens(self) -> int:
        with self._state.lock:
            return self._state.completion_tokens

    @property
    def in_flight(self) -> int:
        with self._state.lock:
            return self._state.in_flight

    @property
    def max_in_flight(self) -> int:
        with self._state.lock:
            return self._state.max_in_flight

    @property
    def received(self) -> list[dict[str, Any]]:
        with self._state.lock:
            return list(self._state.received)

    def reset(self) -> None:
        """Zero the counters and drop pending faults and delays."""
        with self._state.lock:
            state = self._state
            state.requests = state.failures = 0
            state.prompt_tokens = state.completion_tokens = 0
            state.max_in_flight = state.in_flight
            state.received.clear()
            state.faults.clear()
            state.delays.clear()


def _client_error_type(status: int) -> str:
    return {401: "invalid_api_key", 429: "rate_limit_exceeded"}.get(status, "invalid_request_error")

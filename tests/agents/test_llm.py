from __future__ import annotations

import threading
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer

import pydantic_ai.models
import pytest
from django.core.checks import run_checks
from pydantic import BaseModel
from pydantic_ai import Agent as PydanticAgent

from clarion.agents import llm
from clarion.agents.models import Task
from clarion.agents.runtime import model_loop
from clarion.testing.chat_server import FakeChatServer, Reply
from clarion.writing.services import run_session, start_session


@pytest.mark.parametrize("spec", ["gpt-4o", "openai:", "nope:model", "ollama"])
def test_a_bad_model_spec_is_refused_with_the_choices(spec):
    with pytest.raises(llm.LLMConfigError, match="auto, offline"):
        llm.parse_spec(spec)


def test_openai_compatible_needs_a_base_url(settings):
    settings.CLARION_LLM_BASE_URL = ""
    with pytest.raises(llm.LLMConfigError, match="CLARION_LLM_BASE_URL"):
        llm.parse_spec("openai-compatible:m")


@pytest.mark.parametrize(
    ("value", "base_url", "check_id"),
    [("banana", "", "clarion.E001"), ("openai-compatible:m", "", "clarion.E002")],
)
def test_bad_llm_settings_are_reported_by_system_checks(settings, value, base_url, check_id):
    settings.CLARION_LLM = value
    settings.CLARION_LLM_BASE_URL = base_url
    assert check_id in {message.id for message in run_checks()}


def test_good_llm_settings_pass_the_system_checks(settings):
    settings.CLARION_LLM = "anthropic:claude-sonnet-4-5"
    assert not [m for m in run_checks() if m.id.startswith("clarion.E")]


class _TagsHandler(BaseHTTPRequestHandler):
    def do_GET(self) -> None:
        body = b'{"models":[{"name":"llama3.2:latest"}]}'
        self.send_response(200 if self.path == "/api/tags" else 404)
        self.send_header("Content-Type", "application/json")
        self.send_header("Content-Length", str(len(body)))
        self.end_headers()
        self.wfile.write(body)

    def log_message(self, *args: object) -> None:
        pass


def test_auto_uses_ollama_when_it_answers(settings):
    server = ThreadingHTTPServer(("127.0.0.1", 0), _TagsHandler)
    threading.Thread(target=server.serve_forever, daemon=True).start()
    try:
        settings.CLARION_LLM = "auto"
        settings.CLARION_OLLAMA_URL = f"http://127.0.0.1:{server.server_address[1]}"
        choice = llm.choose_model()
        assert choice.spec == "ollama:llama3.2"
        assert "Ollama answered" in choice.reason
        assert llm.probe_model(choice) == (True, "Ollama answers and has llama3.2")
    finally:
        server.shutdown()


def test_auto_falls_back_to_offline_when_no_ollama_answers(settings):
    with socket_closed_port() as port:
        settings.CLARION_LLM = "auto"
        settings.CLARION_OLLAMA_URL = f"http://127.0.0.1:{port}"
        choice = llm.choose_model()
    assert choice.spec == "offline"
    assert "no Ollama server" in choice.reason


class socket_closed_port:
    """A loopback port nobody listens on."""

    def __enter__(self) -> int:
        import socket

        self.sock = socket.socket()
        self.sock.bind(("127.0.0.1", 0))
        return self.sock.getsockname()[1]

    def __exit__(self, *exc: object) -> None:
        self.sock.close()


@pytest.fixture
def chat_server(settings, monkeypatch):
    monkeypatch.setattr(pydantic_ai.models, "ALLOW_MODEL_REQUESTS", True)
    with FakeChatServer() as server:
        settings.CLARION_LLM = "openai-compatible:fake-model"
        settings.CLARION_LLM_BASE_URL = server.base_url
        llm.reset_models()
        yield server


@pytest.mark.django_db
def test_a_session_runs_against_an_openai_compatible_server_and_records_tokens(chat_server):
    session = run_session(start_session(brief="A slogan for a bike repair café"))

    assert session.completion_reason in ("approved", "max_turns")
    assert session.model_name == "openai-compatible:fake-model"
    assert chat_server.requests == 2 * session.turns.count()
    tasks = Task.objects.filter(job=session.job)
    assert sum(t.input_tokens for t in tasks) == chat_server.prompt_tokens
    assert sum(t.output_tokens for t in tasks) == chat_server.completion_tokens
    assert all(t.input_tokens > 0 for t in tasks)


@pytest.mark.django_db
def test_server_errors_are_retried_and_recorded(chat_server, settings):
    settings.CLARION_LLM_MAX_RETRIES = 2
    chat_server.fail_next(2, status=503)

    session = run_session(start_session(brief="A slogan for a bike repair café", max_turns=1))

    first = Task.objects.filter(job=session.job).first()
    assert first.attempts == 3
    assert [c.status for c in first.calls.all()] == ["model_error", "model_error", "ok"]
    assert session.completion_reason in ("approved", "max_turns")


class Answer(BaseModel):
    word: str


def test_concurrent_calls_respect_the_per_model_bound(chat_server, settings):
    settings.CLARION_LLM_MAX_CONCURRENCY = 2
    llm.reset_models()
    slow = FakeChatServer(
        latency=0.1,
        responder=lambda request: Reply(tool_call=(request.tool_names[0], {"word": "hi"})),
    )
    with slow:
        settings.CLARION_LLM_BASE_URL = slow.base_url
        llm.reset_models()
        model = llm.get_model(llm.choose_model())
        agent = PydanticAgent(output_type=Answer)
        results: list[str] = []

        def call() -> None:
            results.append(model_loop.run(agent.run("say hi", model=model)).output.word)

        threads = [threading.Thread(target=call) for _ in range(6)]
        for thread in threads:
            thread.start()
        for thread in threads:
            thread.join()
    assert results == ["hi"] * 6
    assert slow.max_in_flight == 2

"""The fake OpenAI chat-completions server speaks the protocol the real clients expect."""

from __future__ import annotations

import json
import sys
import threading
import time
import types
from collections.abc import Iterator
from typing import Any

import httpx
import openai
import pydantic_ai.models
import pytest
from openai import OpenAI
from openai.types.chat import ChatCompletionMessageFunctionToolCall
from pydantic import BaseModel
from pydantic_ai import Agent
from pydantic_ai.models.openai import OpenAIChatModel
from pydantic_ai.providers.openai import OpenAIProvider

from clarion.testing.chat_server import ChatRequest, FakeChatServer, Reply

WEATHER_TOOL: Any = {
    "type": "function",
    "function": {
        "name": "get_weather",
        "description": "The weather in a city.",
        "parameters": {
            "type": "object",
            "properties": {"city": {"type": "string"}},
            "required": ["city"],
        },
    },
}


@pytest.fixture
def server() -> Iterator[FakeChatServer]:
    with FakeChatServer() as running:
        yield running


def client_for(server: FakeChatServer, **kwargs: Any) -> OpenAI:
    return OpenAI(base_url=server.base_url, api_key="x", max_retries=0, **kwargs)


def test_text_completion(server: FakeChatServer) -> None:
    completion = client_for(server).chat.completions.create(
        model="fake-model",
        messages=[
            {"role": "system", "content": "Be brief."},
            {"role": "user", "content": "Hello there"},
        ],
    )

    assert completion.id.startswith("chatcmpl-")
    assert completion.object == "chat.completion"
    assert completion.model == "fake-model"
    choice = completion.choices[0]
    assert choice.index == 0
    assert choice.finish_reason == "stop"
    assert choice.message.role == "assistant"
    assert choice.message.content == "ok"
    assert not choice.message.tool_calls
    assert completion.usage is not None
    assert completion.usage.prompt_tokens == 4  # "Be brief." + "Hello there"
    assert completion.usage.completion_tokens == 1
    assert completion.usage.total_tokens == 5
    assert server.requests == 1
    assert server.received[0]["messages"][1]["content"] == "Hello there"


def test_tool_call_with_custom_responder() -> None:
    seen: list[ChatRequest] = []

    def responder(request: ChatRequest) -> Reply:
        seen.append(request)
        return Reply(tool_call=("get_weather", {"city": "Paris"}))

    with FakeChatServer(responder=responder) as server:
        completion = client_for(server).chat.completions.create(
            model="gpt-fake",
            messages=[
                {"role": "developer", "content": "Use tools."},
                {"role": "user", "content": [{"type": "text", "text": "Weather in Paris?"}]},
            ],
            tools=[WEATHER_TOOL],
            tool_choice="required",
        )

    choice = completion.choices[0]
    assert choice.finish_reason == "tool_calls"
    assert completion.model == "gpt-fake"
    calls = choice.message.tool_calls
    assert calls is not None
    assert len(calls) == 1
    call = calls[0]
    assert isinstance(call, ChatCompletionMessageFunctionToolCall)
    assert call.id.startswith("call_")
    assert call.type == "function"
    assert call.function.name == "get_weather"
    assert json.loads(call.function.arguments) == {"city": "Paris"}

    (request,) = seen
    assert request.model == "gpt-fake"
    assert request.tool_names == ["get_weather"]
    assert request.tool_choice == "required"
    assert request.user_text == "Weather in Paris?"
    assert request.body["tools"] == [WEATHER_TOOL]


def test_usage_overrides_and_counters() -> None:
    replies = iter(
        [Reply(text="one two three"), Reply(text="x", prompt_tokens=50, completion_tokens=7)]
    )

    with FakeChatServer(responder=lambda _request: next(replies)) as server:
        client = client_for(server)
        first = client.chat.completions.create(
            model="m", messages=[{"role": "user", "content": "a b c d e"}]
        )
        second = client.chat.completions.create(
            model="m", messages=[{"role": "user", "content": "hi"}]
        )

        assert first.usage is not None
        assert (first.usage.prompt_tokens, first.usage.completion_tokens) == (5, 3)
        assert second.usage is not None
        assert (second.usage.prompt_tokens, second.usage.completion_tokens) == (50, 7)
        assert second.usage.total_tokens == 57
        assert server.requests == 2
        assert server.prompt_tokens == 55
        assert server.completion_tokens == 10


def test_fail_next_raises_internal_server_error(server: FakeChatServer) -> None:
    client = client_for(server)
    server.fail_next()

    with pytest.raises(openai.InternalServerError) as excinfo:
        client.chat.completions.create(model="m", messages=[{"role": "user", "content": "hi"}])
    assert excinfo.value.status_code == 500
    assert excinfo.value.body == {
        "message": "injected failure",
        "type": "server_error",
        "code": None,
    }

    ok = client.chat.completions.create(model="m", messages=[{"role": "user", "content": "hi"}])
    assert ok.choices[0].message.content == "ok"
    assert server.requests == 1
    assert server.failures == 1
    assert len(server.received) == 2


def test_fail_next_with_custom_status(server: FakeChatServer) -> None:
    server.fail_next(2, status=429)
    client = client_for(server)
    for _ in range(2):
        with pytest.raises(openai.RateLimitError):
            client.chat.completions.create(model="m", messages=[{"role": "user", "content": "x"}])
    server.fail_next(status=400, body={"error": {"message": "nope", "type": "bad", "code": "x"}})
    with pytest.raises(openai.BadRequestError, match="nope"):
        client.chat.completions.create(model="m", messages=[{"role": "user", "content": "x"}])


def test_delay_next_triggers_client_timeout(server: FakeChatServer) -> None:
    server.delay_next(1, 1.0)
    client = client_for(server, timeout=0.2)

    with pytest.raises(openai.APITimeoutError):
        client.chat.completions.create(model="m", messages=[{"role": "user", "content": "x"}])

    ok = client.chat.completions.create(model="m", messages=[{"role": "user", "content": "x"}])
    assert ok.choices[0].message.content == "ok"


def test_streaming_is_rejected(server: FakeChatServer) -> None:
    response = httpx.post(
        f"{server.base_url}/chat/completions",
        json={"model": "m", "stream": True, "messages": [{"role": "user", "content": "x"}]},
    )
    assert response.status_code == 400
    error = response.json()["error"]
    assert error["type"] == "invalid_request_error"
    assert error["param"] == "stream"
    assert error["code"] is None
    assert error["message"]


def test_bad_json_unknown_paths_and_models(server: FakeChatServer) -> None:
    bad = httpx.post(
        f"{server.base_url}/chat/completions",
        content=b"{not json",
        headers={"Content-Type": "application/json"},
    )
    assert bad.status_code == 400
    assert bad.json()["error"]["type"] == "invalid_request_error"

    missing = httpx.get(f"{server.base_url}/nowhere")
    assert missing.status_code == 404
    assert "error" in missing.json()

    models = client_for(server).models.list()
    assert [model.id for model in models.data] == ["fake-model"]
    raw = httpx.get(f"{server.base_url}/models").json()
    assert raw["object"] == "list"
    assert raw["data"][0] == {
        "id": "fake-model",
        "object": "model",
        "created": 0,
        "owned_by": "clarion",
    }
    assert server.requests == 0


def test_concurrent_requests_overlap() -> None:
    with FakeChatServer(latency=0.2) as server:
        client = client_for(server)
        errors: list[BaseException] = []

        def one() -> None:
            try:
                client.chat.completions.create(
                    model="m", messages=[{"role": "user", "content": "hi"}]
                )
            except BaseException as exc:  # pragma: no cover - reported below
                errors.append(exc)

        threads = [threading.Thread(target=one) for _ in range(8)]
        for thread in threads:
            thread.start()
        for thread in threads:
            thread.join(timeout=10)

        assert not errors
        assert server.requests == 8
        assert server.max_in_flight >= 2
        # The server counts a request done just after the client has its answer.
        deadline = time.monotonic() + 5
        while server.in_flight and time.monotonic() < deadline:
            time.sleep(0.01)
        assert server.in_flight == 0


def test_stop_and_restart_with_start_stop() -> None:
    server = FakeChatServer()
    with pytest.raises(RuntimeError):
        _ = server.base_url
    server.start()
    try:
        assert server.base_url.startswith("http://127.0.0.1:")
        assert server.base_url.endswith("/v1")
        reply = client_for(server).chat.completions.create(
            model="m", messages=[{"role": "user", "content": "x"}]
        )
        assert reply.choices[0].message.content == "ok"
    finally:
        server.stop()
    server.stop()  # idempotent


def test_default_responder_uses_offline_engine(
    server: FakeChatServer, monkeypatch: pytest.MonkeyPatch
) -> None:
    calls: list[dict[str, Any]] = []

    def respond(request: dict[str, Any]) -> dict[str, Any]:
        calls.append(request)
        return {"text": f"Draft for {request['brief']}", "angle": "bold"}

    fake = types.ModuleType("clarion.agents.offline")
    fake.respond = respond  # type: ignore[attr-defined]
    monkeypatch.setitem(sys.modules, "clarion.agents.offline", fake)

    prompt = (
        'Write it.\n<request>\n{"task": "write", "brief": "coffee", "max_length": 80}\n</request>'
    )
    messages: Any = [
        {"role": "system", "content": "You write."},
        {"role": "user", "content": prompt},
    ]
    tools: Any = [
        WEATHER_TOOL,
        {"type": "function", "function": {"name": "final_result", "parameters": {}}},
    ]
    client = client_for(server)

    with_tools = client.chat.completions.create(model="m", messages=messages, tools=tools)
    calls_made = with_tools.choices[0].message.tool_calls
    assert calls_made is not None
    call = calls_made[0]
    assert isinstance(call, ChatCompletionMessageFunctionToolCall)
    assert call.function.name == "final_result"
    assert json.loads(call.function.arguments) == {
        "text": "Draft for coffee",
        "angle": "bold",
    }

    text_only = client.chat.completions.create(model="m", messages=messages)
    assert text_only.choices[0].message.content == "Draft for coffee"
    assert calls == [{"task": "write", "brief": "coffee", "max_length": 80}] * 2


class Answer(BaseModel):
    city: str
    temperature: int


def test_pydantic_ai_agent_against_fake_server(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setattr(pydantic_ai.models, "ALLOW_MODEL_REQUESTS", True)
    seen: list[ChatRequest] = []

    def responder(request: ChatRequest) -> Reply:
        seen.append(request)
        name = next(n for n in request.tool_names if n.startswith("final_result"))
        return Reply(
            tool_call=(name, {"city": "Oslo", "temperature": 3}),
            prompt_tokens=42,
            completion_tokens=9,
        )

    with FakeChatServer(responder=responder) as server:
        model = OpenAIChatModel(
            "fake-model", provider=OpenAIProvider(base_url=server.base_url, api_key="x")
        )
        agent = Agent(model, output_type=Answer, instructions="Report the weather.")
        started = time.monotonic()
        result = agent.run_sync("What is the weather in Oslo?")
        assert time.monotonic() - started < 30

    assert result.output == Answer(city="Oslo", temperature=3)
    usage = result.usage  # a property in pydantic-ai 2.x (calling it is deprecated)
    assert usage.requests == 1
    assert usage.input_tokens == 42
    assert usage.output_tokens == 9
    (request,) = seen
    assert request.user_text == "What is the weather in Oslo?"
    assert server.requests == 1
    assert server.prompt_tokens == 42

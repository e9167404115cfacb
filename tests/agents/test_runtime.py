"""Model failures: bad answers go straight back to the model, transport errors wait, budgets hold."""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

import pydantic_ai.models
import pytest
from pydantic_ai.messages import ModelMessage, ModelResponse, TextPart, ToolCallPart
from pydantic_ai.models.function import AgentInfo, FunctionModel

from clarion.agents import llm, runtime
from clarion.agents.models import AgentCall, CallStatus, Job, RunStatus, Task
from clarion.agents.runtime import AgentCallFailed
from clarion.agents.schemas import WriteRequest
from clarion.agents.writer import write_draft
from clarion.campaigns import services
from clarion.core.errors import Unavailable
from clarion.testing.chat_server import FakeChatServer, Reply
from tests.campaigns.test_strategy import plan, post
from tests.scripted import draft

pytestmark = pytest.mark.django_db

Answer = Callable[[AgentInfo], ModelResponse]


def not_json(info: AgentInfo) -> ModelResponse:
    return ModelResponse(parts=[TextPart("Sure! Here is your slogan: ride on.")])


def empty(info: AgentInfo) -> ModelResponse:
    return ModelResponse(parts=[])


def wrong_schema(info: AgentInfo) -> ModelResponse:
    return ModelResponse(parts=[ToolCallPart(info.output_tools[0].name, {"slogan": "Ride on."})])


def unknown_tool(info: AgentInfo) -> ModelResponse:
    return ModelResponse(parts=[ToolCallPart("publish_now", {"text": "Ride on."})])


def good(info: AgentInfo) -> ModelResponse:
    return ModelResponse(parts=[ToolCallPart(info.output_tools[0].name, draft("Ride on."))])


class Model:
    """A FunctionModel giving the listed answers in turn (the last one repeats)."""

    def __init__(self, *answers: Answer) -> None:
        self.answers = list(answers)
        self.requests = 0
        self.model = FunctionModel(self._respond, model_name="scripted")

    def _respond(self, messages: list[ModelMessage], info: AgentInfo) -> ModelResponse:
        answer = self.answers[min(self.requests, len(self.answers) - 1)]
        self.requests += 1
        return answer(info)


@pytest.fixture
def waits(monkeypatch, settings) -> list[float]:
    """Every backoff the runtime waits; the backoff is long, so a stray real sleep would show."""
    settings.CLARION_LLM_RETRY_BACKOFF = 60.0
    recorded: list[float] = []
    monkeypatch.setattr(runtime, "_wait", recorded.append)
    return recorded


def write(job: Job | None = None) -> Any:
    job = job or Job.objects.create(kind="slogan", title="test")
    return write_draft(
        WriteRequest(brief="A slogan for a bike shop", max_length=280), job=job, task_name="writer"
    )


@pytest.mark.parametrize(
    ("answer", "problem"),
    [
        (not_json, "Invalid JSON"),
        (empty, "the answer was empty"),
        (wrong_schema, "text: Field required"),
        (unknown_tool, "Unknown tool name: 'publish_now'"),
    ],
)
def test_a_garbage_answer_is_asked_again_at_once_and_the_failure_says_what_happened(
    answer, problem, settings, waits
):
    settings.CLARION_LLM_OUTPUT_RETRIES = 2
    model = Model(answer)
    job = Job.objects.create(kind="slogan", title="test")

    with llm.use_model(model.model), pytest.raises(AgentCallFailed) as failed:
        write(job)

    assert model.requests == 3
    assert waits == []
    message = str(failed.value)
    assert "the model's answers did not match the expected format after 3 tries" in message
    assert problem in message
    assert "limit" not in message.lower()
    call = AgentCall.objects.get(task__job=job)
    assert (call.status, call.requests) == (CallStatus.INVALID_OUTPUT, 3)
    assert Job.objects.get(pk=job.pk).requests == 3


def test_answers_broken_in_different_ways_share_one_bound(settings, waits):
    settings.CLARION_LLM_OUTPUT_RETRIES = 3
    model = Model(not_json, unknown_tool, empty, wrong_schema, not_json)

    with llm.use_model(model.model), pytest.raises(AgentCallFailed) as failed:
        write()

    assert model.requests == 4
    assert waits == []
    assert "did not match the expected format after 4 tries: text: Field required" in str(
        failed.value
    )


def test_a_bad_answer_followed_by_a_good_one_succeeds_without_waiting(waits):
    model = Model(empty, good)

    with llm.use_model(model.model):
        assert write().text == "Ride on."

    assert model.requests == 2
    assert waits == []
    task = Task.objects.get()
    assert (task.status, task.requests) == (RunStatus.SUCCEEDED, 2)


def test_the_job_budget_stops_bad_answers_and_is_reported_as_the_budget(settings, waits):
    settings.CLARION_LLM_OUTPUT_RETRIES = 5
    settings.CLARION_LLM_RUN_REQUEST_LIMIT = 2
    model = Model(not_json)

    with llm.use_model(model.model), pytest.raises(AgentCallFailed) as failed:
        write()

    assert model.requests == 2
    assert "run limit reached: 2 requests" in str(failed.value)
    assert "CLARION_LLM_RUN_REQUEST_LIMIT=2" in str(failed.value)
    assert AgentCall.objects.get().status == CallStatus.LIMIT_EXCEEDED


def test_the_job_token_budget_is_reported_as_the_budget(settings, waits):
    settings.CLARION_LLM_RUN_TOKEN_LIMIT = 5
    model = Model(good)

    with llm.use_model(model.model), pytest.raises(AgentCallFailed) as failed:
        write()

    assert "run limit reached" in str(failed.value)
    assert "CLARION_LLM_RUN_TOKEN_LIMIT=5" in str(failed.value)
    assert waits == []


@pytest.fixture
def chat_server(settings, monkeypatch):
    monkeypatch.setattr(pydantic_ai.models, "ALLOW_MODEL_REQUESTS", True)
    with FakeChatServer() as server:
        settings.CLARION_LLM = "openai-compatible:fake-model"
        settings.CLARION_LLM_BASE_URL = server.base_url
        llm.reset_models()
        yield server


def test_a_server_error_is_retried_after_a_growing_backoff(chat_server, settings, waits):
    settings.CLARION_LLM_MAX_RETRIES = 3
    settings.CLARION_LLM_RETRY_BACKOFF = 0.5
    chat_server.fail_next(2, status=503)

    assert write().text

    assert waits == [0.5, 1.0]
    assert (chat_server.failures, chat_server.requests) == (2, 1)
    statuses = list(AgentCall.objects.values_list("status", flat=True))
    assert statuses == [CallStatus.MODEL_ERROR, CallStatus.MODEL_ERROR, CallStatus.OK]


def test_a_server_that_keeps_failing_fails_the_call_after_the_transport_retries(
    chat_server, settings, waits
):
    settings.CLARION_LLM_MAX_RETRIES = 2
    chat_server.fail_next(5, status=429)

    with pytest.raises(AgentCallFailed, match=r"writer failed after 3 attempt\(s\)"):
        write()

    assert len(waits) == 2
    assert chat_server.failures == 3


def test_a_refused_request_is_not_retried(chat_server, settings, waits):
    chat_server.fail_next(1, status=400)

    with pytest.raises(
        AgentCallFailed, match="writer failed: ModelRequestRejectedError: status_code: 400"
    ):
        write()

    assert waits == []
    assert chat_server.failures == 1


def test_broken_json_from_a_server_is_asked_again_without_backoff(chat_server, settings, waits):
    settings.CLARION_LLM_OUTPUT_RETRIES = 1
    chat_server.responder = lambda request: Reply(text='{"text": "Ride')

    with pytest.raises(AgentCallFailed, match="expected format after 2 tries"):
        write()

    assert chat_server.requests == 2
    assert waits == []


def test_a_plan_that_fails_the_code_checks_is_asked_for_exactly_the_configured_times(
    brand, scripted, settings, waits
):
    settings.CLARION_STRATEGY_PLAN_ATTEMPTS = 4
    broken = plan([post("a1")], [post("b1", "zz")])  # b1 follows a post that does not exist
    scripted.script("plan", broken)

    with pytest.raises(Unavailable, match="still invalid after 4 attempt"):
        services.create_campaign(brand=brand, goal="Grow", phase_count=2)

    assert len(scripted.requests_for("plan")) == 4
    assert scripted.retry_prompts == []  # rejected in code, asked anew with the reasons
    assert "rejected" in (scripted.requests_for("plan")[-1]["feedback"] or "")
    assert waits == []


def test_a_plan_that_fails_validation_is_asked_for_output_retries_plus_one_times(
    brand, scripted, settings, waits
):
    settings.CLARION_LLM_OUTPUT_RETRIES = 2
    settings.CLARION_LLM_MAX_RETRIES = 3
    scripted.script("plan", {"phases": "none", "rationale": "scripted"})

    with pytest.raises(Unavailable, match="did not match the expected format after 3 tries"):
        services.create_campaign(brand=brand, goal="Grow", phase_count=2)

    assert len(scripted.requests_for("plan")) + len(scripted.retry_prompts) == 3
    assert waits == []

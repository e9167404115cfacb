"""The public entry points: ``respond`` answers one request, ``offline_model`` wraps it.

``offline_model`` is a pydantic-ai ``FunctionModel`` that finds the Clarion request (the
``<request>`` JSON block) in the prompt and answers it with ``respond``.
"""

from __future__ import annotations

from collections.abc import Callable, Sequence
from typing import Any

from pydantic_ai.messages import (
    ModelMessage,
    ModelRequest,
    ModelResponse,
    TextPart,
    ToolCallPart,
    UserPromptPart,
)
from pydantic_ai.models.function import AgentInfo, FunctionModel

from clarion.agents.offline import analyst, strategist
from clarion.agents.offline import topics as offline_topics
from clarion.agents.offline.reviewer import _review
from clarion.agents.offline.writer import _write
from clarion.agents.prompting import extract_request
from clarion.agents.schemas import ChatRequest, PlanRequest, ReviewRequest, WriteRequest

Handler = Callable[[dict[str, Any]], dict[str, Any]]

# One entry per request ``task``: the function that answers it.
HANDLERS: dict[str, Handler] = {
    "write": lambda request: _write(WriteRequest.model_validate(request)).model_dump(),
    "review": lambda request: _review(ReviewRequest.model_validate(request)).model_dump(),
    "plan": lambda request: strategist.plan(PlanRequest.model_validate(request)).model_dump(),
    "chat": lambda request: strategist.chat(ChatRequest.model_validate(request)).model_dump(),
    "topics": offline_topics.answer,
    "lesson": analyst.answer,
}


def respond(request: dict[str, Any]) -> dict[str, Any]:
    """Answer one Clarion request dict with the handler registered for its ``task``."""
    task = request.get("task", "write")
    handler = HANDLERS.get(task)
    if handler is None:
        raise ValueError(
            f"the offline engine cannot handle task {task!r}; expected one of {sorted(HANDLERS)}"
        )
    return handler(request)


def _find_request(messages: Sequence[ModelMessage]) -> dict[str, Any] | None:
    for message in reversed(messages):
        if not isinstance(message, ModelRequest):
            continue
        for part in reversed(message.parts):
            if isinstance(part, UserPromptPart):
                contents = [part.content] if isinstance(part.content, str) else part.content
                for content in contents:
                    found = extract_request(content) if isinstance(content, str) else None
                    if found is not None:
                        return found
    return None


def _answer(messages: list[ModelMessage], info: AgentInfo) -> ModelResponse:
    request = _find_request(messages)
    if request is None:
        if info.output_tools:
            raise ValueError(
                "the offline engine needs a Clarion request (a <request> JSON block) in the prompt"
            )
        message = "The offline engine only answers Clarion requests: send a <request> JSON block."
        return ModelResponse(parts=[TextPart(content=message)])
    answer = respond(request)
    if info.output_tools:
        return ModelResponse(parts=[ToolCallPart(tool_name=info.output_tools[0].name, args=answer)])
    return ModelResponse(
        parts=[TextPart(content=answer.get("text") or answer.get("feedback") or "")]
    )


def offline_model() -> FunctionModel:
    """The built-in model: answers writer and reviewer prompts without any LLM server."""
    return FunctionModel(_answer, model_name="offline")

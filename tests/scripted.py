"""Scripted LLM replies for tests: a FunctionModel that answers by task."""

from __future__ import annotations

from collections import defaultdict
from collections.abc import Callable
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

from clarion.agents.prompting import extract_request

Reply = dict[str, Any] | Exception | Callable[[dict[str, Any]], dict[str, Any]]


def draft(text: str, **extra: Any) -> dict[str, Any]:
    return {
        "text": text,
        "angle": extra.get("angle", "benefit"),
        "hook_style": extra.get("hook_style", "question"),
        "notes": "",
    }


def verdict(
    decision: str = "approve",
    score: int = 8,
    fixes: list[str] | None = None,
    feedback: str = "Looks good.",
) -> dict[str, Any]:
    scores = dict.fromkeys(
        ("clarity", "brand_fit", "audience_fit", "hook", "call_to_action"), score
    )
    return {"decision": decision, "scores": scores, "feedback": feedback, "fixes": fixes or []}


class ScriptedModel:
    """Replies popped in order per task ('write', 'review', 'plan', …); the last reply repeats."""

    def __init__(self) -> None:
        self.replies: dict[str, list[Reply]] = defaultdict(list)
        self.requests: list[dict[str, Any]] = []
        self.instructions: list[str] = []
        self.retry_prompts: list[str] = []
        self.model = FunctionModel(self._respond, model_name="scripted")

    def script(self, task: str, *replies: Reply) -> None:
        self.replies[task].extend(replies)

    def requests_for(self, task: str) -> list[dict[str, Any]]:
        return [r for r in self.requests if r.get("task") == task]

    def _respond(self, messages: list[ModelMessage], info: AgentInfo) -> ModelResponse:
        request = None
        for message in reversed(messages):
            if isinstance(message, ModelRequest):
                for part in message.parts:
                    if isinstance(part, UserPromptPart) and isinstance(part.content, str):
                        request = request or extract_request(part.content)
        assert request is not None, "no Clarion request in the prompt"
        last = messages[-1]
        assert isinstance(last, ModelRequest)
        if any(isinstance(p, UserPromptPart) for p in last.parts):
            self.requests.append(request)
            self.instructions.append(last.instructions or "")
        else:  # the model is asked again, with the validation error
            self.retry_prompts.append(" ".join(str(getattr(p, "content", "")) for p in last.parts))
        queue = self.replies[request["task"]]
        reply = queue.pop(0) if len(queue) > 1 else queue[0]
        if isinstance(reply, Exception):
            raise reply
        args = reply(request) if callable(reply) else reply
        if info.output_tools:
            return ModelResponse(parts=[ToolCallPart(info.output_tools[0].name, args)])
        return ModelResponse(parts=[TextPart(str(args))])

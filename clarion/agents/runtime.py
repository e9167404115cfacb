"""Running one agent call: bounded, retried, and recorded as a Task with its AgentCalls.

All traffic to a model server goes through one event loop in a background
thread, so the per-model concurrency bound holds across every thread of the
process, while the rest of Clarion stays plain synchronous Django code. Callers'
context variables (pydantic-ai's ``Agent.override`` in tests) travel with each
call. The built-in offline engine is not a chat model and has no server to
wait for: it answers the request object itself, in the calling thread, without
a prompt rendered and parsed back or a pydantic-ai run around it (which cost
more than the answer); the call is recorded the same way.
"""

from __future__ import annotations

import asyncio
import contextvars
import logging
import threading
import time
from collections.abc import Callable, Coroutine
from dataclasses import dataclass, field
from types import SimpleNamespace
from typing import Any, TypeVar, cast

import httpx
from django.conf import settings
from django.db.models import F, Q, QuerySet
from django.utils import timezone
from pydantic import BaseModel, ValidationError
from pydantic_ai import Agent as PydanticAgent
from pydantic_ai import UsageLimits, capture_run_messages
from pydantic_ai.exceptions import (
    ContentFilterError,
    ModelAPIError,
    ModelHTTPError,
    ModelQuotaExceededError,
    ModelRequestRejectedError,
    ModelRequestTimeout,
    ModelTimeoutError,
    OutputTokenLimitExceeded,
    UnexpectedModelBehavior,
    UsageLimitExceeded,
)
from pydantic_ai.messages import ModelMessage, ModelRequest
from pydantic_ai.usage import RunUsage

from clarion.agents import llm
from clarion.agents import records as records_module
from clarion.agents.models import Agent, CallStatus, Job, RunStatus, Task
from clarion.agents.prompting import render_request
from clarion.agents.records import Attempt, Recorder
from clarion.core.redact import redact_text

logger = logging.getLogger(__name__)

OutputT = TypeVar("OutputT", bound=BaseModel)
T = TypeVar("T")


class AgentCallFailed(RuntimeError):
    """An agent call failed for good (after its retries); the task records why."""

    def __init__(self, task: Task, message: str) -> None:
        super().__init__(message)
        self.task = task


class AnswerRejected(ValueError):
    """The model kept giving answers that break the rules checked in code.

    Subclasses name what was asked for (``subject``) and how the model is told
    that its previous answer was turned down (``feedback``).
    """

    subject = "the answer"
    feedback = "The previous answer was rejected: "

    def __init__(self, problems: list[str], attempts: int) -> None:
        self.problems = problems
        self.attempts = attempts
        super().__init__(
            f"{self.subject} was still invalid after {attempts} attempt(s): " + "; ".join(problems)
        )


class NoActiveAgent(LookupError):
    """No active agent serves a role."""


class _ModelLoop:
    """One asyncio loop in a daemon thread, shared by every model call."""

    def __init__(self) -> None:
        self._loop: asyncio.AbstractEventLoop | None = None
        self._lock = threading.Lock()

    def _ensure(self) -> asyncio.AbstractEventLoop:
        with self._lock:
            if self._loop is None or self._loop.is_closed():
                loop = asyncio.new_event_loop()
                thread = threading.Thread(target=loop.run_forever, name="clarion-llm", daemon=True)
                thread.start()
                self._loop = loop
            return self._loop

    def run(self, coro: Coroutine[Any, Any, T]) -> T:
        loop = self._ensure()
        context = contextvars.copy_context()
        future = context.run(asyncio.run_coroutine_threadsafe, coro, loop)
        return future.result()


model_loop = _ModelLoop()


def serving_agents(roles: list[str], workspace_id: int | None) -> QuerySet[Agent]:
    """The active agents of ``roles`` that may serve ``workspace_id``'s work, in the order
    they are chosen: the workspace's own roster first (lowest id first), then the
    installation's team, which serves a workspace that has no agent of the role."""
    own = Q(workspace__isnull=True)
    if workspace_id is not None:
        own |= Q(workspace_id=workspace_id)
    return Agent.objects.filter(own, role__in=roles, is_active=True).order_by(
        F("workspace_id").asc(nulls_last=True), "id"
    )


def active_agent(role: str, workspace_id: int | None = None) -> Agent:
    """The agent serving ``role`` for ``workspace_id`` (None: the installation's own work)."""
    agent = serving_agents([role], workspace_id).first()
    if agent is None:
        raise NoActiveAgent(f"no active {role} agent: hire one or reactivate a fired one")
    return agent


_TRANSPORT = "transport"  # the request did not get through: wait, then try again
_INVALID = "invalid"  # the model answered, but not in the expected format: ask again at once
_BUDGET = "budget"  # the job's request or token budget is spent
_FATAL = "fatal"  # another try would fail the same way


def _classify(exc: BaseException) -> tuple[str, str]:
    """The AgentCall status for ``exc`` and what kind of failure it is.

    Only transport failures (timeouts, connection errors, 408, 429 and 5xx
    answers) are worth waiting for; a model that answered badly is asked again at
    once; the rest (a refused request, a bad key, a content filter) is final.
    """
    if isinstance(exc, UsageLimitExceeded):
        return CallStatus.LIMIT_EXCEEDED, _BUDGET
    if isinstance(exc, OutputTokenLimitExceeded | ContentFilterError):
        return CallStatus.INVALID_OUTPUT, _FATAL
    if isinstance(exc, UnexpectedModelBehavior):
        return CallStatus.INVALID_OUTPUT, _INVALID
    if isinstance(
        exc, TimeoutError | asyncio.TimeoutError | ModelTimeoutError | ModelRequestTimeout
    ):
        return CallStatus.TIMEOUT, _TRANSPORT
    if isinstance(exc, ModelHTTPError):
        status = exc.status_code
        transient = status in (408, 429) or status >= 500
        return CallStatus.MODEL_ERROR, (_TRANSPORT if transient else _FATAL)
    if isinstance(exc, ModelRequestRejectedError | ModelQuotaExceededError):
        return CallStatus.MODEL_ERROR, _FATAL
    if isinstance(exc, ModelAPIError | httpx.TransportError | ConnectionError):
        timed_out = "timeout" in type(exc).__name__.lower() or "timed out" in str(exc).lower()
        return (CallStatus.TIMEOUT if timed_out else CallStatus.MODEL_ERROR), _TRANSPORT
    return CallStatus.MODEL_ERROR, _FATAL


def _describe(exc: BaseException) -> str:
    text = redact_text(str(exc).strip().splitlines()[0]) if str(exc).strip() else ""
    return f"{type(exc).__name__}: {text}"[:1000] if text else type(exc).__name__


def _retry_parts(message: ModelMessage) -> list[Any]:
    """The parts of a request that send a rejected answer back to the model."""
    if not isinstance(message, ModelRequest):
        return []
    return [
        part
        for part in message.parts
        if part.part_kind in ("retry-feedback", "retry-prompt")
        or (part.part_kind == "tool-return" and getattr(part, "outcome", "") == "retried")
    ]


def _rejected_answers(messages: list[ModelMessage]) -> tuple[int, str]:
    """How many answers of a run were sent back as invalid, and why the last one was."""
    rejected = [parts for parts in map(_retry_parts, messages) if parts]
    if not rejected:
        return 0, ""
    return len(rejected), "; ".join(_problem(part) for part in rejected[-1])[:500]


def _problem(part: Any) -> str:
    content = part.content
    if isinstance(content, list):  # pydantic validation errors
        details = [
            (".".join(str(x) for x in error.get("loc", ())) + ": " if error.get("loc") else "")
            + str(error.get("msg", ""))
            for error in content[:3]
            if isinstance(error, dict)
        ]
        return ", ".join(details) or "invalid output"
    text = str(content).strip().splitlines()
    if not text or text[0].startswith("Please return text or"):  # pydantic-ai's words for it
        return "the answer was empty"
    return text[0]


def _last_problem(exc: BaseException) -> str:
    """What was wrong with the answer that used up the output retries (pydantic-ai chains it)."""
    cause = exc.__cause__
    if cause is None:
        return ""
    part = getattr(cause, "tool_retry", None)
    if part is not None:
        return _problem(part)
    if isinstance(cause, ValidationError):
        return _problem(SimpleNamespace(content=cause.errors(include_url=False)))
    text = str(cause).strip().splitlines()
    return text[0][:500] if text else ""


@dataclass
class _Outcome:
    """One run of a pydantic-ai agent: its output, or the error and the messages exchanged."""

    output: Any = None
    error: Exception | None = None
    messages: list[ModelMessage] = field(default_factory=list)


async def _run_once(
    pydantic_agent: PydanticAgent[None, Any], prompt: str, **options: Any
) -> _Outcome:
    with capture_run_messages() as messages:
        try:
            result = await pydantic_agent.run(prompt, **options)
        except Exception as exc:
            return _Outcome(error=exc, messages=list(messages))
    return _Outcome(output=result.output)


def _answer_offline(
    pydantic_agent: PydanticAgent[None, Any], request: BaseModel, instructions: str, usage: RunUsage
) -> _Outcome:
    """The offline engine's answer to ``request``, validated as the model's would be.

    It gets the request as the prompt would carry it (JSON values, no empty fields);
    tokens are estimated at four characters each, as the engine reads no tokens.
    """
    from clarion.agents.offline import respond

    body = request.model_dump(mode="json", exclude_none=True)
    usage.requests += 1
    usage.input_tokens += (len(instructions) + len(request.model_dump_json(exclude_none=True))) // 4
    try:
        answer = respond(body)
        output = pydantic_agent.output_type.model_validate(answer)  # type: ignore[union-attr]
    except ValidationError as exc:
        return _Outcome(error=UnexpectedModelBehavior(f"invalid answer: {exc}"))
    except Exception as exc:
        return _Outcome(error=exc)
    usage.output_tokens += max(1, len(output.model_dump_json()) // 4)
    return _Outcome(output=output)


def _budget_spent(job: Job) -> str:
    job.refresh_from_db(fields=["requests", "input_tokens", "output_tokens"])
    return (
        f"run limit reached: {job.requests} requests, {job.input_tokens + job.output_tokens} "
        f"tokens (limits CLARION_LLM_RUN_REQUEST_LIMIT={settings.CLARION_LLM_RUN_REQUEST_LIMIT}, "
        f"CLARION_LLM_RUN_TOKEN_LIMIT={settings.CLARION_LLM_RUN_TOKEN_LIMIT})"
    )


def _wait(seconds: float) -> None:
    """Back off before another try after a transport failure."""
    time.sleep(seconds)


def call_agent(
    *,
    pydantic_agent: PydanticAgent[None, OutputT],
    role: str,
    request: BaseModel,
    job: Job,
    task_name: str,
    agent: Agent | None = None,
    recorder: Recorder | None = None,
) -> OutputT:
    """Ask the agent serving ``role`` for ``pydantic_agent``'s output type.

    An answer that does not parse or validate goes back to the model with the
    reason at once, at most ``CLARION_LLM_OUTPUT_RETRIES`` times in all (whatever
    was wrong with it: not JSON, empty, the wrong fields, an unknown tool). Only
    transport failures (timeouts, connection errors, 408, 429, 5xx) are tried
    again after a backoff, up to ``CLARION_LLM_MAX_RETRIES`` times. The job's
    request and token budget bounds everything. Every run of the model is an
    AgentCall; the Task holds the totals — written at once, or kept by
    ``recorder`` (``records.Buffered``) until its owner flushes. Raises
    AgentCallFailed, whose message says in words what went wrong.
    """
    agent = agent or active_agent(role, job.workspace_id)
    choice = llm.choose_model(agent.model or None)
    model = llm.get_model(choice)
    label = llm.model_label(choice)
    offline = llm.answers_in_process(choice)
    records: Recorder = recorder or records_module.Immediate(job)
    task = records.open_task(
        Task(
            job=job,
            agent=agent,
            role=role,
            name=task_name,
            model_name=label,
            started_at=timezone.now(),
        )
    )
    prompt = "" if offline else render_request(request)
    answers = settings.CLARION_LLM_OUTPUT_RETRIES + 1  # answers the model may give in all
    transport_tries = settings.CLARION_LLM_MAX_RETRIES + 1
    rejected = transport_failures = attempt = 0
    reason = ""
    while True:
        attempt += 1
        requests_left, tokens_left = records.budget_left()
        if requests_left <= 0 or tokens_left <= 0:
            reason = _budget_spent(job)
            records.record(task, Attempt(attempt, CallStatus.LIMIT_EXCEEDED, 0, 0, 0, 0, reason))
            break
        answers_left = answers - rejected
        usage = RunUsage()
        started = time.monotonic()
        outcome = (
            _answer_offline(pydantic_agent, request, agent.prompt, usage)
            if offline
            else model_loop.run(
                _run_once(
                    pydantic_agent,
                    prompt,
                    model=model,
                    instructions=agent.prompt,
                    model_settings={"temperature": agent.temperature},
                    # The per-call cap also bounds invalid answers that pydantic-ai counts
                    # apart (an unknown tool name, say): the output retries alone do not.
                    usage_limits=UsageLimits(
                        request_limit=min(requests_left, answers_left),
                        total_tokens_limit=tokens_left,
                    ),
                    usage=usage,
                    retries=answers_left - 1,
                    timeout=settings.CLARION_LLM_TIMEOUT,
                )
            )
        )
        if outcome.error is None:
            records.record(
                task, _attempt(attempt, CallStatus.OK, usage, started), final=RunStatus.SUCCEEDED
            )
            return cast(OutputT, outcome.output)
        exc = outcome.error
        status, kind = _classify(exc)
        sent_back, problem = _rejected_answers(outcome.messages)
        if kind == _BUDGET and "tokens_limit" not in str(exc) and requests_left > answers_left:
            # Our per-call cap stopped the run, not the job's budget: the answers were bad.
            status, kind = CallStatus.INVALID_OUTPUT, _INVALID
        elif kind == _INVALID:
            sent_back += 1  # the last answer, never sent back
            problem = _last_problem(exc) or problem
        rejected += sent_back
        if kind == _TRANSPORT:
            transport_failures += 1
        reason = _describe(exc)
        if kind == _INVALID:
            tries = "try" if rejected == 1 else "tries"
            reason = (
                f"the model's answers did not match the expected format after {rejected} "
                f"{tries}: {problem or reason}"
            )
        records.record(task, _attempt(attempt, status, usage, started, reason))
        if kind == _BUDGET:
            reason = _budget_spent(job)
        logger.warning("%s attempt %d failed: %s", task_name, attempt, reason)
        if kind == _INVALID and rejected < answers:
            continue  # straight back to the model: no backoff for a bad answer
        if kind == _TRANSPORT and transport_failures < transport_tries and rejected < answers:
            _wait(settings.CLARION_LLM_RETRY_BACKOFF * (2 ** (transport_failures - 1)))
            continue
        if kind == _TRANSPORT:
            reason = f"failed after {attempt} attempt(s): {reason}"
        break
    records.fail(task, reason or "failed")
    separator = " " if reason.startswith("failed after") else " failed: "
    raise AgentCallFailed(task, f"{task_name}{separator}{reason}")


def _attempt(number: int, status: str, usage: RunUsage, started: float, error: str = "") -> Attempt:
    return Attempt(
        attempt=number,
        status=status,
        requests=max(usage.requests, 1),
        input_tokens=usage.input_tokens,
        output_tokens=usage.output_tokens,
        duration_ms=int((time.monotonic() - started) * 1000),
        error=error,
    )


RequestT = TypeVar("RequestT", bound=BaseModel)


def call_until_valid(
    *,
    pydantic_agent: PydanticAgent[None, OutputT],
    role: str,
    request: RequestT,
    job: Job,
    problems_of: Callable[[OutputT], list[str]],
    attempts: int,
    task_name: Callable[[int], str],
    rejected: type[AnswerRejected] = AnswerRejected,
    agent: Agent | None = None,
) -> OutputT:
    """Call the agent until ``problems_of`` finds nothing wrong with its answer.

    A rejected answer goes back with the reasons in the request's ``feedback``
    field; after ``attempts`` answers, ``rejected`` is raised with the last problems.
    """
    problems: list[str] = []
    for attempt in range(1, attempts + 1):
        output = call_agent(
            pydantic_agent=pydantic_agent,
            role=role,
            request=request,
            job=job,
            task_name=task_name(attempt),
            agent=agent,
        )
        problems = problems_of(output)
        if not problems:
            return output
        request = request.model_copy(update={"feedback": rejected.feedback + "; ".join(problems)})
    raise rejected(problems, attempts)

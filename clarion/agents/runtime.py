"""Running one agent call: bounded, retried, and recorded as a Task with its AgentCalls.

All model traffic goes through one event loop in a background thread, so the
per-model concurrency bound holds across every thread of the process, while the
rest of Clarion stays plain synchronous Django code. Callers' context variables
(pydantic-ai's ``Agent.override`` in tests) travel with each call.
"""

from __future__ import annotations

import asyncio
import contextvars
import logging
import threading
import time
from collections.abc import Callable, Coroutine
from typing import Any, TypeVar

from django.conf import settings
from django.db import transaction
from django.db.models import F
from django.utils import timezone
from pydantic import BaseModel
from pydantic_ai import Agent as PydanticAgent
from pydantic_ai import UsageLimits
from pydantic_ai.exceptions import (
    ModelAPIError,
    ModelHTTPError,
    UnexpectedModelBehavior,
    UsageLimitExceeded,
)
from pydantic_ai.usage import RunUsage

from clarion.agents import llm
from clarion.agents.models import Agent, AgentCall, CallStatus, Job, RunStatus, Task
from clarion.agents.prompting import render_request

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


def active_agent(role: str) -> Agent:
    agent = Agent.objects.filter(role=role, is_active=True).order_by("id").first()
    if agent is None:
        raise NoActiveAgent(f"no active {role} agent: hire one or reactivate a fired one")
    return agent


def _classify(exc: BaseException) -> tuple[str, bool]:
    """The AgentCall status for ``exc`` and whether another attempt may help."""
    if isinstance(exc, UsageLimitExceeded):
        return CallStatus.LIMIT_EXCEEDED, False
    if isinstance(exc, TimeoutError | asyncio.TimeoutError):
        return CallStatus.TIMEOUT, True
    if isinstance(exc, ModelHTTPError):
        retryable = exc.status_code == 429 or exc.status_code >= 500 or exc.status_code == 408
        return CallStatus.MODEL_ERROR, retryable
    if isinstance(exc, ModelAPIError):
        timed_out = "timeout" in type(exc).__name__.lower() or "timed out" in str(exc).lower()
        return (CallStatus.TIMEOUT if timed_out else CallStatus.MODEL_ERROR), True
    if isinstance(exc, UnexpectedModelBehavior):
        return CallStatus.INVALID_OUTPUT, True
    return CallStatus.MODEL_ERROR, True


def _describe(exc: BaseException) -> str:
    text = str(exc).strip().splitlines()[0] if str(exc).strip() else ""
    return f"{type(exc).__name__}: {text}"[:1000] if text else type(exc).__name__


def _budget_left(job: Job) -> tuple[int, int]:
    job.refresh_from_db(fields=["requests", "input_tokens", "output_tokens"])
    requests_left = settings.CLARION_LLM_RUN_REQUEST_LIMIT - job.requests
    tokens_left = settings.CLARION_LLM_RUN_TOKEN_LIMIT - (job.input_tokens + job.output_tokens)
    return requests_left, tokens_left


def call_agent(
    *,
    pydantic_agent: PydanticAgent[None, OutputT],
    role: str,
    request: BaseModel,
    job: Job,
    task_name: str,
    agent: Agent | None = None,
) -> OutputT:
    """Ask the agent serving ``role`` for ``pydantic_agent``'s output type.

    Model errors and timeouts get bounded retries with backoff; invalid output is
    sent back to the model with the validation error by pydantic-ai. Every attempt
    is an AgentCall row; the Task holds the totals. Raises AgentCallFailed.
    """
    agent = agent or active_agent(role)
    choice = llm.choose_model(agent.model or None)
    model = llm.get_model(choice)
    label = llm.model_label(choice)
    task = Task.objects.create(
        job=job,
        agent=agent,
        role=role,
        name=task_name,
        status=RunStatus.RUNNING,
        model_name=label,
        started_at=timezone.now(),
    )
    prompt = render_request(request)
    attempts = settings.CLARION_LLM_MAX_RETRIES + 1
    last_error = ""
    for attempt in range(1, attempts + 1):
        requests_left, tokens_left = _budget_left(job)
        if requests_left <= 0 or tokens_left <= 0:
            last_error = (
                f"run limit reached: {job.requests} requests, {job.input_tokens + job.output_tokens} tokens "
                f"(limits CLARION_LLM_RUN_REQUEST_LIMIT={settings.CLARION_LLM_RUN_REQUEST_LIMIT}, "
                f"CLARION_LLM_RUN_TOKEN_LIMIT={settings.CLARION_LLM_RUN_TOKEN_LIMIT})"
            )
            AgentCall.objects.create(
                task=task,
                agent=agent,
                model_name=label,
                attempt=attempt,
                status=CallStatus.LIMIT_EXCEEDED,
                error=last_error,
            )
            break
        usage = RunUsage()
        limits = UsageLimits(
            request_limit=min(requests_left, settings.CLARION_LLM_OUTPUT_RETRIES + 1),
            total_tokens_limit=tokens_left,
        )
        started = time.monotonic()
        try:
            result = model_loop.run(
                pydantic_agent.run(
                    prompt,
                    model=model,
                    instructions=agent.prompt,
                    model_settings={"temperature": agent.temperature},
                    usage_limits=limits,
                    usage=usage,
                    retries=settings.CLARION_LLM_OUTPUT_RETRIES,
                    timeout=settings.CLARION_LLM_TIMEOUT,
                )
            )
        except Exception as exc:
            status, retryable = _classify(exc)
            last_error = _describe(exc)
            _record(task, job, agent, label, attempt, status, usage, started, last_error)
            logger.warning("%s attempt %d/%d failed: %s", task_name, attempt, attempts, last_error)
            if not retryable or attempt == attempts:
                break
            time.sleep(settings.CLARION_LLM_RETRY_BACKOFF * (2 ** (attempt - 1)))
            continue
        _record(
            task,
            job,
            agent,
            label,
            attempt,
            CallStatus.OK,
            usage,
            started,
            "",
            final=RunStatus.SUCCEEDED,
        )
        return result.output
    Task.objects.filter(pk=task.pk).update(
        status=RunStatus.FAILED, finished_at=timezone.now(), error=last_error or "failed"
    )
    task.refresh_from_db()
    raise AgentCallFailed(
        task, f"{task_name} failed after {task.attempts} attempt(s): {last_error}"
    )


def _record(
    task: Task,
    job: Job,
    agent: Agent,
    label: str,
    attempt: int,
    status: str,
    usage: RunUsage,
    started: float,
    error: str,
    *,
    final: str | None = None,
) -> None:
    """Store one attempt and add its cost to the task and the job (``final`` ends the task)."""
    duration_ms = int((time.monotonic() - started) * 1000)
    ending: dict[str, Any] = {"status": final, "finished_at": timezone.now()} if final else {}
    with transaction.atomic():  # one commit for the attempt and both totals
        AgentCall.objects.create(
            task=task,
            agent=agent,
            model_name=label,
            attempt=attempt,
            status=status,
            requests=max(usage.requests, 1),
            input_tokens=usage.input_tokens,
            output_tokens=usage.output_tokens,
            duration_ms=duration_ms,
            error=error,
        )
        Task.objects.filter(pk=task.pk).update(
            attempts=attempt,
            requests=F("requests") + max(usage.requests, 1),
            input_tokens=F("input_tokens") + usage.input_tokens,
            output_tokens=F("output_tokens") + usage.output_tokens,
            duration_ms=F("duration_ms") + duration_ms,
            **ending,
        )
        Job.objects.filter(pk=job.pk).update(
            requests=F("requests") + max(usage.requests, 1),
            input_tokens=F("input_tokens") + usage.input_tokens,
            output_tokens=F("output_tokens") + usage.output_tokens,
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

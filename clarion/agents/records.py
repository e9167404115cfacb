"""Where agent calls are recorded: a Task per call, an AgentCall per attempt, the Job's totals.

``Immediate`` writes each attempt as it ends (one transaction: the attempt, the
task's and the job's totals), so a long call is visible while it runs.
``Buffered`` keeps the records in memory and writes them all at once when its
owner flushes — the writer ↔ reviewer loop flushes with the turn it stores — in
a handful of statements whatever the number of calls. Both keep the same rows.

Budgets (``CLARION_LLM_RUN_REQUEST_LIMIT`` / ``_TOKEN_LIMIT``) are checked against
the job's totals: read from the database before every attempt by ``Immediate``;
read once and then counted in memory by ``Buffered`` (so calls other processes
make on the same job meanwhile are seen at its next flush).
"""

from __future__ import annotations

import threading
from dataclasses import dataclass, field
from typing import Any, Protocol

from django.conf import settings
from django.db import transaction
from django.db.models import F
from django.utils import timezone

from clarion.agents.models import AgentCall, Job, RunStatus, Task


@dataclass
class Attempt:
    """One run of the model within a call, as it is recorded."""

    attempt: int
    status: str
    requests: int
    input_tokens: int
    output_tokens: int
    duration_ms: int
    error: str = ""


class Recorder(Protocol):
    job: Job

    def open_task(self, task: Task) -> Task: ...

    def budget_left(self) -> tuple[int, int]: ...

    def record(self, task: Task, attempt: Attempt, *, final: str | None = None) -> None: ...

    def fail(self, task: Task, reason: str) -> None: ...


def _limits(requests: int, tokens: int) -> tuple[int, int]:
    return (
        settings.CLARION_LLM_RUN_REQUEST_LIMIT - requests,
        settings.CLARION_LLM_RUN_TOKEN_LIMIT - tokens,
    )


def _call(task: Task, attempt: Attempt) -> AgentCall:
    return AgentCall(
        task=task,
        agent_id=task.agent_id,
        model_name=task.model_name,
        attempt=attempt.attempt,
        status=attempt.status,
        requests=attempt.requests,
        input_tokens=attempt.input_tokens,
        output_tokens=attempt.output_tokens,
        duration_ms=attempt.duration_ms,
        error=attempt.error,
    )


def _add(task: Task, attempt: Attempt) -> None:
    task.attempts = attempt.attempt
    task.requests += attempt.requests
    task.input_tokens += attempt.input_tokens
    task.output_tokens += attempt.output_tokens
    task.duration_ms += attempt.duration_ms


class Immediate:
    """Every attempt written as it ends."""

    def __init__(self, job: Job) -> None:
        self.job = job

    def open_task(self, task: Task) -> Task:
        task.status = RunStatus.RUNNING
        task.save()
        return task

    def budget_left(self) -> tuple[int, int]:
        job = self.job
        job.refresh_from_db(fields=["requests", "input_tokens", "output_tokens"])
        return _limits(job.requests, job.input_tokens + job.output_tokens)

    def record(self, task: Task, attempt: Attempt, *, final: str | None = None) -> None:
        ending: dict[str, Any] = {"status": final, "finished_at": timezone.now()} if final else {}
        with transaction.atomic():  # one commit for the attempt and both totals
            AgentCall.objects.create(
                task=task,
                agent_id=task.agent_id,
                model_name=task.model_name,
                attempt=attempt.attempt,
                status=attempt.status,
                requests=attempt.requests,
                input_tokens=attempt.input_tokens,
                output_tokens=attempt.output_tokens,
                duration_ms=attempt.duration_ms,
                error=attempt.error,
            )
            Task.objects.filter(pk=task.pk).update(
                attempts=attempt.attempt,
                requests=F("requests") + attempt.requests,
                input_tokens=F("input_tokens") + attempt.input_tokens,
                output_tokens=F("output_tokens") + attempt.output_tokens,
                duration_ms=F("duration_ms") + attempt.duration_ms,
                **ending,
            )
            Job.objects.filter(pk=self.job.pk).update(
                requests=F("requests") + attempt.requests,
                input_tokens=F("input_tokens") + attempt.input_tokens,
                output_tokens=F("output_tokens") + attempt.output_tokens,
                updated_at=timezone.now(),  # renews the job's lease
            )
        _add(task, attempt)
        if final:
            task.status = final

    def fail(self, task: Task, reason: str) -> None:
        Task.objects.filter(pk=task.pk).update(
            status=RunStatus.FAILED, finished_at=timezone.now(), error=reason or "failed"
        )
        task.refresh_from_db()


@dataclass
class Buffered:
    """Records kept in memory until ``flush`` (call it inside the owner's transaction)."""

    job: Job
    fresh_job: bool = False  # the job was made for this owner: its totals start at zero
    tasks: list[tuple[Task, list[AgentCall]]] = field(default_factory=list)
    _known: tuple[int, int] | None = None  # the job's totals when last read
    _pending: list[int] = field(default_factory=lambda: [0, 0, 0])  # requests, in, out
    _lock: threading.Lock = field(default_factory=threading.Lock)

    def open_task(self, task: Task) -> Task:
        task.status = RunStatus.RUNNING
        with self._lock:
            self.tasks.append((task, []))
        return task

    def budget_left(self) -> tuple[int, int]:
        if self._known is None:
            if self.fresh_job:
                self._known = (0, 0)
            else:
                job = self.job
                job.refresh_from_db(fields=["requests", "input_tokens", "output_tokens"])
                self._known = (job.requests, job.input_tokens + job.output_tokens)
        requests, tokens = self._known
        with self._lock:
            return _limits(
                requests + self._pending[0], tokens + self._pending[1] + self._pending[2]
            )

    def record(self, task: Task, attempt: Attempt, *, final: str | None = None) -> None:
        with self._lock:
            for held, calls in self.tasks:
                if held is task:
                    calls.append(_call(task, attempt))
                    break
            self._pending[0] += attempt.requests
            self._pending[1] += attempt.input_tokens
            self._pending[2] += attempt.output_tokens
        _add(task, attempt)
        if final:
            task.status, task.finished_at = final, timezone.now()

    def fail(self, task: Task, reason: str) -> None:
        task.status, task.finished_at, task.error = RunStatus.FAILED, timezone.now(), reason
        self.flush()  # a failed call is reported with its task: write it now

    def flush(self, **job_changes: Any) -> None:
        """Write the buffered tasks and attempts and add them to the job's totals (three or
        four statements); ``job_changes`` are written on the job in the same UPDATE."""
        with self._lock:
            tasks, self.tasks = self.tasks, []
            requests, input_tokens, output_tokens = self._pending
            self._pending = [0, 0, 0]
        if tasks:
            Task.objects.bulk_create([task for task, _ in tasks])
            calls = []
            for task, attempts in tasks:
                for call in attempts:
                    call.task = task  # now with its id
                    calls.append(call)
            if calls:
                AgentCall.objects.bulk_create(calls)
        if requests or input_tokens or output_tokens or job_changes:
            Job.objects.filter(pk=self.job.pk).update(
                requests=F("requests") + requests,
                input_tokens=F("input_tokens") + input_tokens,
                output_tokens=F("output_tokens") + output_tokens,
                updated_at=timezone.now(),
                **job_changes,
            )
            job = self.job  # the caller's copy shows the totals it just added
            job.requests += requests
            job.input_tokens += input_tokens
            job.output_tokens += output_tokens
        if self._known is not None:
            known_requests, known_tokens = self._known
            self._known = (
                known_requests + requests,
                known_tokens + input_tokens + output_tokens,
            )

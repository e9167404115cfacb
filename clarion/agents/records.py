"""Where agent calls are recorded: a Task per call, an AgentCall per attempt, the Job's totals.

``Immediate`` writes each attempt as it ends (one transaction: the attempt, the
task's and the job's totals), so a long call is visible while it runs.
``Buffered`` keeps the records in memory and writes them all at once when its
owner flushes — the writer ↔ reviewer loop flushes with the turn it stores — in
a handful of statements whatever the number of calls. Both keep the same rows.

When a task ends, its reward (+10 completed, -5 failed) is set and its agent's
figures (tasks completed and failed, success rate, average duration, reward and
cost) move by F-expressions in the same transaction: one UPDATE for every agent
whose tasks ended, whatever the number of agents.

Budgets (``CLARION_LLM_RUN_REQUEST_LIMIT`` / ``_TOKEN_LIMIT``) are checked against
the job's totals: read from the database before every attempt by ``Immediate``;
read once and then counted in memory by ``Buffered`` (so calls other processes
make on the same job meanwhile are seen at its next flush).
"""

from __future__ import annotations

import threading
from dataclasses import dataclass, field
from decimal import Decimal
from typing import Any, Protocol

from django.conf import settings
from django.db import transaction
from django.db.models import Case, DecimalField, F, FloatField, IntegerField, Value, When
from django.db.models.expressions import Combinable
from django.db.models.functions import Cast
from django.utils import timezone

from clarion.agents.models import (
    REWARD_FAILURE,
    REWARD_SUCCESS,
    Agent,
    AgentCall,
    Job,
    RunStatus,
    Task,
)
from clarion.agents.prices import cost_of


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
    cost_usd: Decimal = Decimal(0)


@dataclass
class _Ended:
    """What the tasks of one agent that ended add to its figures."""

    completed: int = 0
    failed: int = 0
    seconds: float = 0.0
    reward: int = 0
    cost: Decimal = Decimal(0)

    def add(self, task: Task) -> None:
        if task.status == RunStatus.SUCCEEDED:
            self.completed += 1
        else:
            self.failed += 1
        self.seconds += task.duration_ms / 1000
        self.reward += task.reward
        self.cost += task.cost_usd


def _reward(status: str) -> int:
    return REWARD_SUCCESS if status == RunStatus.SUCCEEDED else REWARD_FAILURE


def _per_agent(ended: dict[int, _Ended], attr: str, output: Any) -> Combinable:
    values = {pk: getattr(e, attr) for pk, e in ended.items()}
    if len(values) == 1:
        return Value(next(iter(values.values())), output_field=output)
    whens = [When(pk=pk, then=Value(value, output_field=output)) for pk, value in values.items()]
    return Case(*whens, default=Value(0, output_field=output), output_field=output)


def locked_in_order(ids: list[int]) -> Any:
    """``ids`` as a subquery that locks their rows in id order (PostgreSQL; SQLite has one
    writer at a time). An UPDATE of several agents visits their rows in heap order, which
    changes as rows are rewritten: two such UPDATEs at once could each wait for the other."""
    if len(ids) == 1:
        return ids
    return Agent.objects.filter(pk__in=ids).order_by("pk").select_for_update().values("pk")


def update_agent_figures(ended: dict[int, _Ended]) -> None:
    """Move the figures of every agent in ``ended`` in one UPDATE (F-expressions: two
    processes ending tasks of one agent at once both count)."""
    if not ended:
        return
    done = _per_agent(ended, "completed", IntegerField())
    failed = _per_agent(ended, "failed", IntegerField())
    before = F("total_tasks_completed") + F("total_tasks_failed")
    after = Cast(before + done + failed, FloatField())
    Agent.objects.filter(pk__in=locked_in_order(list(ended))).update(
        total_tasks_completed=F("total_tasks_completed") + done,
        total_tasks_failed=F("total_tasks_failed") + failed,
        success_rate=Cast(F("total_tasks_completed") + done, FloatField()) / after,
        avg_duration_seconds=(
            F("avg_duration_seconds") * Cast(before, FloatField())
            + _per_agent(ended, "seconds", FloatField())
        )
        / after,
        total_reward=F("total_reward") + _per_agent(ended, "reward", IntegerField()),
        total_cost_usd=F("total_cost_usd")
        + _per_agent(ended, "cost", DecimalField(max_digits=14, decimal_places=6)),
    )


def _ended(tasks: list[Task]) -> dict[int, _Ended]:
    ended: dict[int, _Ended] = {}
    for task in tasks:
        if task.agent_id is not None and task.status in (RunStatus.SUCCEEDED, RunStatus.FAILED):
            ended.setdefault(task.agent_id, _Ended()).add(task)
    return ended


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
        cost_usd=attempt.cost_usd,
        error=attempt.error,
    )


def _priced(task: Task, attempt: Attempt) -> Attempt:
    attempt.cost_usd = cost_of(task.model_name, attempt.input_tokens, attempt.output_tokens)
    return attempt


def _add(task: Task, attempt: Attempt) -> None:
    task.attempts = attempt.attempt
    task.requests += attempt.requests
    task.input_tokens += attempt.input_tokens
    task.output_tokens += attempt.output_tokens
    task.duration_ms += attempt.duration_ms
    task.cost_usd += attempt.cost_usd


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
        _priced(task, attempt)
        ending: dict[str, Any] = (
            {"status": final, "finished_at": timezone.now(), "reward": _reward(final)}
            if final
            else {}
        )
        with transaction.atomic():  # one commit for the attempt, the totals and the figures
            _call(task, attempt).save()
            Task.objects.filter(pk=task.pk).update(
                attempts=attempt.attempt,
                requests=F("requests") + attempt.requests,
                input_tokens=F("input_tokens") + attempt.input_tokens,
                output_tokens=F("output_tokens") + attempt.output_tokens,
                duration_ms=F("duration_ms") + attempt.duration_ms,
                cost_usd=F("cost_usd") + attempt.cost_usd,
                **ending,
            )
            Job.objects.filter(pk=self.job.pk).update(
                requests=F("requests") + attempt.requests,
                input_tokens=F("input_tokens") + attempt.input_tokens,
                output_tokens=F("output_tokens") + attempt.output_tokens,
                cost_usd=F("cost_usd") + attempt.cost_usd,
                updated_at=timezone.now(),  # renews the job's lease
            )
            _add(task, attempt)
            if final:
                task.status, task.reward = final, _reward(final)
                update_agent_figures(_ended([task]))

    def fail(self, task: Task, reason: str) -> None:
        with transaction.atomic():
            Task.objects.filter(pk=task.pk).update(
                status=RunStatus.FAILED,
                finished_at=timezone.now(),
                error=reason or "failed",
                reward=REWARD_FAILURE,
            )
            task.refresh_from_db()
            update_agent_figures(_ended([task]))


@dataclass
class Buffered:
    """Records kept in memory until ``flush`` (call it inside the owner's transaction)."""

    job: Job
    fresh_job: bool = False  # the job was made for this owner: its totals start at zero
    tasks: list[tuple[Task, list[AgentCall]]] = field(default_factory=list)
    _known: tuple[int, int] | None = None  # the job's totals when last read
    _pending: list[int] = field(default_factory=lambda: [0, 0, 0])  # requests, in, out
    _cost: Decimal = Decimal(0)
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
        _priced(task, attempt)
        with self._lock:
            for held, calls in self.tasks:
                if held is task:
                    calls.append(_call(task, attempt))
                    break
            self._pending[0] += attempt.requests
            self._pending[1] += attempt.input_tokens
            self._pending[2] += attempt.output_tokens
            self._cost += attempt.cost_usd
        _add(task, attempt)
        if final:
            task.status, task.finished_at, task.reward = final, timezone.now(), _reward(final)

    def fail(self, task: Task, reason: str) -> None:
        task.status, task.finished_at, task.error = RunStatus.FAILED, timezone.now(), reason
        task.reward = REWARD_FAILURE
        self.flush()  # a failed call is reported with its task: write it now

    def flush(self, **job_changes: Any) -> None:
        """Write the buffered tasks and attempts, add them to the job's totals and move the
        figures of the agents whose tasks ended (three to five statements); ``job_changes``
        are written on the job in the same UPDATE."""
        with self._lock:
            tasks, self.tasks = self.tasks, []
            requests, input_tokens, output_tokens = self._pending
            cost, self._cost = self._cost, Decimal(0)
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
            update_agent_figures(_ended([task for task, _ in tasks]))
        if requests or input_tokens or output_tokens or job_changes:
            Job.objects.filter(pk=self.job.pk).update(
                requests=F("requests") + requests,
                input_tokens=F("input_tokens") + input_tokens,
                output_tokens=F("output_tokens") + output_tokens,
                cost_usd=F("cost_usd") + cost,
                updated_at=timezone.now(),
                **job_changes,
            )
            job = self.job  # the caller's copy shows the totals it just added
            job.requests += requests
            job.input_tokens += input_tokens
            job.output_tokens += output_tokens
            job.cost_usd += cost
        if self._known is not None:
            known_requests, known_tokens = self._known
            self._known = (
                known_requests + requests,
                known_tokens + input_tokens + output_tokens,
            )

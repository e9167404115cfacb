"""A workspace's roster: hiring, firing, rehiring and changing agents, and how each is doing.

Every change is one a person asked for, so each is audited. Firing never leaves a
role without an agent: the last active agent of a role cannot be fired (hire
another first), and two people firing the two writers at once cannot both win
(the role's active agents are locked while the check and the change happen).
"""

from __future__ import annotations

import math
from dataclasses import dataclass
from datetime import datetime, timedelta
from decimal import Decimal
from typing import Any

from django.db import IntegrityError, transaction
from django.db.models import Count, Q, QuerySet, Sum
from django.utils import timezone

from clarion.accounts.models import Workspace
from clarion.accounts.scope import get_scoped
from clarion.agents import llm
from clarion.agents.models import Agent, AgentCall, AgentRole, CallStatus, Team
from clarion.agents.records import locked_in_order
from clarion.agents.roster import MARKETING, ROLE_EMOJI, role_prompt
from clarion.audit import services as audit
from clarion.core.errors import Conflict, InvalidInput

HIRE = "agent.hire"
FIRE = "agent.fire"
REHIRE = "agent.rehire"
UPDATE = "agent.update"

# The evidence the recommendation needs: fewer ended tasks than this is "monitor".
MIN_TASKS = 10
# One-sided 95 % credible bounds on the success rate decide the rest.
CONFIDENCE = 0.95
FIRE_BELOW = 0.5  # even the optimistic bound is below a coin flip
INVESTIGATE_BELOW = 0.9  # the optimistic bound is below 90 %
DOUBLE_DOWN_ABOVE = 0.95  # the pessimistic bound is above 95 %


def roster_of(workspace: Workspace, *, active: bool | None = None) -> QuerySet[Agent]:
    agents = Agent.objects.filter(workspace=workspace).select_related("team")
    if active is not None:
        agents = agents.filter(is_active=active)
    return agents.order_by("role", "id")


def agent_of(workspace: Workspace, agent_id: int) -> Agent:
    return get_scoped(
        Agent.objects.select_related("team"), workspace, missing=f"no agent {agent_id}", pk=agent_id
    )


def _team(slug: str | None) -> Team:
    team = Team.objects.filter(slug=slug or MARKETING).first()
    if team is None:
        known = ", ".join(Team.objects.values_list("slug", flat=True))
        raise InvalidInput("team", f"no team {slug!r}; the teams are: {known}")
    return team


def checked_model(spec: str) -> str:
    """A model spec, checked for its form (ValueError says what is wrong); whether its
    provider is set up shows at its first call, as for CLARION_LLM."""
    spec = spec.strip()
    provider, sep, name = spec.partition(":")
    if (
        spec
        and spec not in ("auto", "offline")
        and (not sep or provider not in llm.PROVIDERS or not name.strip())
    ):
        choices = "auto, offline, " + ", ".join(f"{p}:<model>" for p in llm.PROVIDERS)
        raise ValueError(f"{spec!r} is not a model spec; use one of: {choices}")
    return spec


def _model(spec: str) -> str:
    try:
        return checked_model(spec)
    except ValueError as exc:
        raise InvalidInput("llm_preference", str(exc)) from None


def _name(workspace: Workspace, name: str, *, other_than: int | None = None) -> str:
    name = " ".join(name.split())
    if not name:
        raise InvalidInput("name", "must not be empty")
    taken = Agent.objects.filter(workspace=workspace, name__iexact=name)
    if other_than is not None:
        taken = taken.exclude(pk=other_than)
    if taken.exists():
        raise Conflict(f"an agent named {name!r} is already on this workspace's roster")
    return name


def _temperature(value: float) -> float:
    if not (math.isfinite(value) and 0 <= value <= 2):
        raise InvalidInput("temperature", "must be between 0 and 2")
    return value


def hire(
    workspace: Workspace,
    *,
    name: str,
    role: str,
    team: str | None = None,
    emoji: str = "",
    llm_preference: str = "",
    prompt: str = "",
    temperature: float = 0.7,
) -> Agent:
    """Add an agent to the roster, active at once; its prompt defaults to the role's own."""
    if role not in AgentRole.values:
        raise InvalidInput("role", f"must be one of {', '.join(AgentRole.values)}")
    agent = Agent(
        workspace=workspace,
        team=_team(team),
        name=_name(workspace, name),
        role=role,
        emoji=emoji.strip() or ROLE_EMOJI.get(role, ""),
        model=_model(llm_preference),
        prompt=prompt.strip() or role_prompt(role),
        temperature=_temperature(temperature),
    )
    try:
        with transaction.atomic():
            agent.save()
            audit.record(action=HIRE, target=agent, workspace=workspace, details={"role": role})
    except IntegrityError:
        raise Conflict(
            f"an agent named {agent.name!r} is already on this workspace's roster"
        ) from None
    return agent


def fire(workspace: Workspace, agent_id: int) -> Agent:
    """Take the agent off its role; another active agent of the role serves it from now on.

    Refused (Conflict) for the last active agent of a role, and for one already fired.
    """
    agent = agent_of(workspace, agent_id)
    with transaction.atomic():
        # Lock the role's active agents (a write first: SQLite takes its lock here too).
        role = Agent.objects.filter(workspace=workspace, role=agent.role, is_active=True)
        ids = list(role.values_list("pk", flat=True))
        Agent.objects.filter(pk__in=locked_in_order(ids)).update(updated_at=timezone.now())
        active = list(role.values_list("pk", flat=True))
        if agent.pk not in active:
            raise Conflict(f"{agent.name} is not on duty: it was fired already")
        if len(active) == 1:
            raise Conflict(
                f"{agent.name} is the only active {agent.role}: hire or rehire another "
                f"{agent.role} before firing it"
            )
        agent.is_active, agent.fired_at = False, timezone.now()
        agent.save(update_fields=["is_active", "fired_at", "updated_at"])
        audit.record(action=FIRE, target=agent, workspace=workspace, details={"role": agent.role})
    return agent


def rehire(workspace: Workspace, agent_id: int) -> Agent:
    agent = agent_of(workspace, agent_id)
    if agent.is_active:
        raise Conflict(f"{agent.name} is on duty already")
    with transaction.atomic():
        agent.is_active, agent.fired_at = True, None
        agent.save(update_fields=["is_active", "fired_at", "updated_at"])
        audit.record(action=REHIRE, target=agent, workspace=workspace, details={"role": agent.role})
    return agent


def update(workspace: Workspace, agent_id: int, changes: dict[str, Any]) -> Agent:
    """Change an agent's name, team, emoji, model, prompt or temperature (only those given)."""
    agent = agent_of(workspace, agent_id)
    before = {field: getattr(agent, field) for field in ("name", "emoji", "model", "temperature")}
    if "name" in changes:
        agent.name = _name(workspace, changes["name"], other_than=agent.pk)
    if "team" in changes:
        agent.team = _team(changes["team"])
    if "emoji" in changes:
        agent.emoji = changes["emoji"].strip()
    if "llm_preference" in changes:
        agent.model = _model(changes["llm_preference"])
    if "prompt" in changes:
        prompt = changes["prompt"].strip()
        if not prompt:
            raise InvalidInput("prompt", "must not be empty")
        agent.prompt = prompt
    if "temperature" in changes:
        agent.temperature = _temperature(changes["temperature"])
    changed = sorted(
        {k for k in changes if k not in before}
        | {k for k, v in before.items() if getattr(agent, k) != v}
    )
    try:
        with transaction.atomic():
            agent.save()
            audit.record(
                action=UPDATE, target=agent, workspace=workspace, details={"changed": changed}
            )
    except IntegrityError:
        raise Conflict(
            f"an agent named {agent.name!r} is already on this workspace's roster"
        ) from None
    return agent


@dataclass(frozen=True)
class Evaluation:
    """What an agent's record says, and what to do about it (seed 003's recommendation)."""

    recommendation: str  # monitor, continue, double_down, investigate, fire
    reason: str
    tasks: int
    low: float | None  # one-sided 95 % credible bounds on the success rate
    high: float | None


def evaluate(agent: Agent) -> Evaluation:
    """Monitor / continue / double down / investigate / fire, from a Beta posterior.

    The success rate has a Beta(1 + completed, 1 + failed) posterior; its one-sided
    95 % bounds decide: fire when even the high bound is under 50 %, investigate when
    it is under 90 %, double down when the low bound is over 95 %, continue otherwise;
    under ten ended tasks there is too little evidence: monitor.
    """
    from scipy.stats import beta

    done, failed = agent.total_tasks_completed, agent.total_tasks_failed
    tasks = done + failed
    if tasks < MIN_TASKS:
        what = "no task has ended yet" if not tasks else f"only {_tasks(tasks)} ended so far"
        return Evaluation(
            "monitor", f"{what}: too few to judge (it takes {MIN_TASKS}).", tasks, None, None
        )
    posterior = beta(1 + done, 1 + failed)
    low, high = float(posterior.ppf(1 - CONFIDENCE)), float(posterior.ppf(CONFIDENCE))
    record = f"{done} of {_tasks(tasks)} completed"
    bounds = f"its success rate is, with 95 % confidence, between {low:.0%} and {high:.0%}"
    if high < FIRE_BELOW:
        verdict, advice = "fire", "it fails more often than it succeeds: replace it"
    elif high < INVESTIGATE_BELOW:
        verdict, advice = "investigate", "it fails too often: read its failed tasks"
    elif low > DOUBLE_DOWN_ABOVE:
        verdict, advice = "double_down", "it is reliable: give it more of the work"
    else:
        verdict, advice = "continue", "it does its work"
    return Evaluation(verdict, f"{record}; {bounds}: {advice}.", tasks, low, high)


def _tasks(n: int) -> str:
    return f"{n} task" if n == 1 else f"{n} tasks"


def performance(workspace: Workspace) -> list[tuple[Agent, Evaluation]]:
    """The active agents with their figures and recommendation (seed 003's
    ``v_agent_performance``), by team and name."""
    agents = roster_of(workspace, active=True).order_by("team__domain", "name")
    return [(agent, evaluate(agent)) for agent in agents]


# --- LLM usage ---


@dataclass
class Usage:
    """Calls, tokens, cost and latency of one model or one agent over a period."""

    key: str
    calls: int = 0
    failed: int = 0
    requests: int = 0
    input_tokens: int = 0
    output_tokens: int = 0
    cost_usd: Decimal = Decimal(0)
    p50_ms: int | None = None
    p95_ms: int | None = None
    priced: bool = True


def _percentile(values: list[int], share: float) -> int | None:
    """The nearest-rank percentile of sorted ``values``."""
    if not values:
        return None
    rank = max(1, math.ceil(share * len(values)))
    return values[rank - 1]


def llm_stats(
    workspace: Workspace, *, since: datetime, until: datetime | None = None
) -> dict[str, Any]:
    """Model calls of the workspace's work between ``since`` and ``until``, per model and per
    agent: calls (attempts), failures, requests, tokens, cost and latency p50 / p95."""
    from clarion.agents.prices import price_of

    until = until or timezone.now()
    calls = AgentCall.objects.filter(
        task__job__workspace=workspace, created_at__gte=since, created_at__lt=until
    )
    figures = dict(
        calls=Count("id"),
        failed=Count("id", filter=~Q(status=CallStatus.OK)),
        requests=Sum("requests"),
        input_tokens=Sum("input_tokens"),
        output_tokens=Sum("output_tokens"),
        cost_usd=Sum("cost_usd"),
    )
    names = dict(Agent.objects.filter(workspace=workspace).values_list("pk", "name"))
    names.update(Agent.objects.filter(workspace__isnull=True).values_list("pk", "name"))

    def table(field: str) -> list[Usage]:
        rows: dict[Any, Usage] = {}
        for row in calls.values(field).annotate(**figures).order_by(field):
            key = row[field]
            label = (
                (names.get(key, f"agent {key}") if key else "(no agent)")
                if field == "agent"
                else key
            )
            rows[key] = Usage(
                key=label,
                calls=row["calls"],
                failed=row["failed"],
                requests=row["requests"] or 0,
                input_tokens=row["input_tokens"] or 0,
                output_tokens=row["output_tokens"] or 0,
                cost_usd=row["cost_usd"] or Decimal(0),
                priced=price_of(key) is not None if field == "model_name" else True,
            )
        durations: dict[Any, list[int]] = {}
        for key, ms in calls.order_by(field, "duration_ms").values_list(field, "duration_ms"):
            durations.setdefault(key, []).append(ms)
        for key, values in durations.items():
            if key in rows:
                rows[key].p50_ms = _percentile(values, 0.5)
                rows[key].p95_ms = _percentile(values, 0.95)
        return sorted(rows.values(), key=lambda u: (-u.calls, u.key))

    models = table("model_name")
    agents = table("agent")
    total = Usage(
        key="total",
        calls=sum(u.calls for u in models),
        failed=sum(u.failed for u in models),
        requests=sum(u.requests for u in models),
        input_tokens=sum(u.input_tokens for u in models),
        output_tokens=sum(u.output_tokens for u in models),
        cost_usd=sum((u.cost_usd for u in models), Decimal(0)),
    )
    all_ms = sorted(calls.values_list("duration_ms", flat=True))
    total.p50_ms, total.p95_ms = _percentile(all_ms, 0.5), _percentile(all_ms, 0.95)
    return {"since": since, "until": until, "total": total, "models": models, "agents": agents}


def period(days: int) -> datetime:
    return timezone.now() - timedelta(days=days)

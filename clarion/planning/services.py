"""Monthly plan actions: generate (code lays out the grid, the planner fills topics), look up, export.

A plan is generated in three steps, in this order:

1. the input is validated and the grid computed by code (``clarion.planning.grid``);
2. the planner agent fills the topics, at least ``MIN_BATCH`` slots per call,
   several calls at once up to the model's bound (a topic two batches both
   picked is asked again); every call is recorded on the plan's Job, outside any
   open transaction;
3. in one transaction, the brand's active plan for that month is archived and the
   new one stored as the next version with all its slots.

A model failure stops before step 3, so it leaves no plan rows (only the Job that says why).
"""

from __future__ import annotations

import calendar
import threading
from collections.abc import Callable, Mapping, Sequence
from datetime import date, time, timedelta
from typing import cast

from django.conf import settings
from django.db import IntegrityError, transaction
from django.db.models import Max

from clarion.accounts.models import Workspace
from clarion.accounts.scope import scoped
from clarion.agents import llm
from clarion.agents.jobs import fail_job, finish_job, start_job
from clarion.agents.models import AgentRole, Job
from clarion.agents.planner import TopicsRejected, plan_topic_choices, plan_topics
from clarion.agents.runtime import AgentCallFailed, NoActiveAgent, active_agent
from clarion.agents.schemas import PlanGuidelines, PlatformName, TopicSlot, TopicsRequest
from clarion.analytics.allocation import experiment_times
from clarion.brands.models import Brand
from clarion.brands.services import brand_context
from clarion.core import platforms
from clarion.core.errors import Conflict, InvalidInput, NotFound, Unavailable
from clarion.core.inputs import within
from clarion.core.pool import run_all
from clarion.planning.export import export_csv, export_ical
from clarion.planning.grid import DEFAULT_NETWORKS, SlotSpec, build_grid, grid_problems
from clarion.planning.models import MonthlyPlan, PlanSlot

__all__ = [
    "MAX_DAYS",
    "MIN_BATCH",
    "PlanningFailed",
    "export_csv",
    "export_ical",
    "generate_monthly_plan",
    "get_active_plan",
    "get_plan",
    "require_active_plan",
    "slots_for",
    "slots_on_date",
]

MIN_DAYS, MAX_DAYS = 1, 31
MIN_BATCH, MAX_BATCH = 10, 100
DEFAULT_BATCH = 15
TAKEN_TOPICS_SHOWN = 30
# Rounds of asking again for topics that batches asked at once both picked.
REPEAT_ROUNDS = 2

# Called after each topic batch with (batches done, batches in all).
ProgressHandler = Callable[[int, int], None]


class PlanningFailed(Unavailable):
    """The planner could not fill the topics; no plan was stored. ``job`` says why."""

    def __init__(self, message: str, job: Job) -> None:
        super().__init__(message)
        self.job = job


# --- validation ---


def days_in_month(day: date) -> int:
    return calendar.monthrange(day.year, day.month)[1]


def validate_days(days: int | None, start_date: date) -> int:
    value = days_in_month(start_date) if days is None else days
    if isinstance(value, bool):
        raise InvalidInput("days", f"must be between {MIN_DAYS} and {MAX_DAYS} (got {value})")
    within("days", value, MIN_DAYS, MAX_DAYS)
    if date.max - start_date < timedelta(days=value - 1):
        raise InvalidInput("start_date", f"a {value}-day plan from {start_date} ends after 9999")
    return value


def parse_networks(networks: Sequence[str] | None) -> list[str]:
    """Platform values for ``networks`` (default LinkedIn, Facebook, X), in order, without repeats."""
    if networks is None:
        return [str(n) for n in DEFAULT_NETWORKS]
    if isinstance(networks, str):
        networks = [networks]
    parsed = platforms.parse_platforms((str(name) for name in networks), field="networks")
    if not parsed:
        raise InvalidInput("networks", "name at least one network")
    return parsed


def parse_times(times: Mapping[str, time] | None, networks: Sequence[str]) -> dict[str, time]:
    parsed: dict[str, time] = {}
    for name, when in (times or {}).items():
        try:
            network = platforms.parse_platform(str(name)).value
        except ValueError as exc:
            raise InvalidInput("times", str(exc)) from exc
        if network not in networks:
            raise InvalidInput("times", f"{network} is not one of the plan's networks")
        parsed[network] = when
    return parsed


def plan_guidelines(brand: Brand) -> PlanGuidelines:
    return PlanGuidelines(
        tone=brand.tone,
        language=brand.language,
        do=list(brand.guidelines_do),
        dont=list(brand.guidelines_dont),
        banned_terms=list(brand.banned_terms),
    )


def split_batches(
    slots: Sequence[SlotSpec], size: int, *, at_once: int = 1
) -> list[list[SlotSpec]]:
    """Consecutive batches of at least ``size`` slots each (one smaller batch only if
    fewer than ``size`` slots exist in all).

    With ``at_once`` calls allowed at the same time, more batches than that are made
    a whole multiple of it (larger batches, at most ``MAX_BATCH``), so that no round of
    calls runs with free places: 155 slots at 10 or more per call and 8 at once are 8
    calls of 19–20 in one round, not 15 calls in two.
    """
    if len(slots) <= size:
        return [list(slots)]
    count = len(slots) // size
    if at_once > 1 and count > at_once:
        rounded = at_once * (count // at_once)
        if -(-len(slots) // rounded) <= MAX_BATCH:
            count = rounded
    base, extra = divmod(len(slots), count)
    batches: list[list[SlotSpec]] = []
    position = 0
    for index in range(count):
        length = base + (1 if index < extra else 0)
        batches.append(list(slots[position : position + length]))
        position += length
    return batches


# --- generation ---


def generate_monthly_plan(
    *,
    brand: Brand,
    start_date: date,
    days: int | None = None,
    networks: Sequence[str] | None = None,
    times: Mapping[str, time] | None = None,
    batch_size: int = DEFAULT_BATCH,
    on_progress: ProgressHandler | None = None,
) -> MonthlyPlan:
    """Plan ``days`` days from ``start_date`` (default: as many as ``start_date``'s month
    has) on ``networks``; store it as the brand's active plan for that month.

    Raises InvalidInput for bad input and PlanningFailed when the planner cannot
    fill the topics (nothing is stored then).
    """
    length = validate_days(days, start_date)
    nets = parse_networks(networks)
    when = parse_times(times, nets)
    within("batch_size", batch_size, MIN_BATCH, MAX_BATCH)
    grid = build_grid(
        start_date=start_date,
        days=length,
        networks=nets,
        language=brand.language,
        cta_targets=list(brand.cta_targets),
        times=when,
        seed=brand.slug,
    )
    problems = grid_problems(grid)
    if problems:  # a bug in the grid rules, never the caller's fault
        raise AssertionError("the computed grid breaks its rules: " + "; ".join(problems))
    grid = experiment_times(brand, grid)  # a live posting-time experiment picks the times
    guidelines = plan_guidelines(brand)
    month = start_date.replace(day=1)
    job = start_job(
        "plan",
        f"Monthly plan for {brand.brand_name}, {month:%Y-%m}",
        workspace_id=brand.workspace_id,
        metadata={"brand": brand.slug, "start_date": start_date.isoformat(), "days": length},
    )
    try:
        topics = _fill_topics(
            brand=brand,
            guidelines=guidelines,
            grid=grid,
            batch_size=batch_size,
            job=job,
            on_progress=on_progress,
        )
    except (AgentCallFailed, TopicsRejected, NoActiveAgent, llm.LLMConfigError) as exc:
        fail_job(job, str(exc))
        job.refresh_from_db()
        raise PlanningFailed(f"no plan was stored (job {job.pk}): {exc}", job) from exc
    try:
        plan = _store_plan(
            brand=brand,
            month=month,
            start_date=start_date,
            days=length,
            networks=nets,
            guidelines=guidelines,
            grid=grid,
            topics=topics,
            job=job,
        )
    except IntegrityError as exc:
        fail_job(job, str(exc))
        raise Conflict(
            f"another plan for {brand.slug} in {month:%Y-%m} was stored at the same time; "
            "generate again"
        ) from exc
    finish_job(job, metadata={**job.metadata, "plan_id": plan.pk, "version": plan.version})
    return plan


def _fill_topics(
    *,
    brand: Brand,
    guidelines: PlanGuidelines,
    grid: Sequence[SlotSpec],
    batch_size: int,
    job: Job,
    on_progress: ProgressHandler | None,
) -> dict[str, str]:
    agent = active_agent(AgentRole.PLANNER, brand.workspace_id)
    Job.objects.filter(pk=job.pk).update(
        model_name=llm.model_label(llm.choose_model(agent.model or None))
    )
    context = brand_context(brand)
    batches = split_batches(grid, batch_size, at_once=settings.CLARION_LLM_MAX_CONCURRENCY)
    by_key = {spec.key: spec for spec in grid}
    seed = f"{brand.slug}-{grid[0].date.isoformat()}"

    def request(batch: Sequence[SlotSpec], taken: list[str]) -> TopicsRequest:
        return TopicsRequest(
            brand=context,
            guidelines=guidelines,
            slots=[_topic_slot(spec) for spec in batch],
            taken_topics=taken[-TAKEN_TOPICS_SHOWN:],
            seed=seed,
        )

    topics: dict[str, str] = {}
    alternatives: dict[str, list[str]] = {}
    lock = threading.Lock()
    done = 0

    def ask(numbered: tuple[int, list[SlotSpec]]) -> None:
        nonlocal done
        number, batch = numbered
        with lock:
            taken = list(topics.values())
        answer = plan_topic_choices(
            request(batch, taken),
            job=job,
            task_name=f"planner, topics {number}/{len(batches)}",
            agent=agent,
        )
        with lock:
            for key, choices in answer.items():
                topics[key], alternatives[key] = choices[0], choices[1:]
            done += 1
            finished = done
        if on_progress is not None:
            on_progress(finished, len(batches))

    # Batches go to the model at once, up to its bound; each sees the topics known when it starts.
    failures: list[BaseException] = []

    def ask_safely(numbered: tuple[int, list[SlotSpec]]) -> None:
        if failures:
            return  # one batch failed for good: the plan fails, the rest is not asked
        try:
            ask(numbered)
        except BaseException as exc:
            failures.append(exc)

    # One caller per model slot (not the usual two): a batch waiting for a free slot would
    # be asked with the topics known when it was built, and pick the same ones again.
    threads = min(len(batches), settings.CLARION_LLM_MAX_CONCURRENCY)
    run_all(list(enumerate(batches, start=1)), ask_safely, threads=threads)
    if failures:
        raise failures[0]
    # Batches asked at the same time may pick the same topic: such a slot takes one of its
    # alternatives; only the slots left without a free one are asked again.
    _use_alternatives(grid, topics, alternatives)
    for round_number in range(1, REPEAT_ROUNDS + 1):
        repeated = _repeated_topics(grid, topics)
        if not repeated:
            break
        others = [topic for key, topic in topics.items() if key not in repeated]
        topics.update(
            plan_topics(
                request([by_key[key] for key in repeated], others),
                job=job,
                task_name=f"planner, repeated topics {round_number}",
                agent=agent,
            )
        )
    return topics


def _topic_slot(spec: SlotSpec) -> TopicSlot:
    return TopicSlot(
        key=spec.key,
        date=spec.date.isoformat(),
        network=cast(PlatformName, spec.network),
        pillar=spec.pillar,
        angle=spec.angle,
        hook=spec.hook,
        cta=spec.cta,
        format=spec.format,
    )


def _use_alternatives(
    grid: Sequence[SlotSpec], topics: dict[str, str], alternatives: Mapping[str, list[str]]
) -> None:
    """Give each slot whose topic an earlier slot on its network has the first alternative
    that no slot on that network has (in ``topics``, updated in place)."""
    planned: dict[str, set[str]] = {}
    for spec in grid:
        planned.setdefault(spec.network, set()).add(_folded(topics.get(spec.key, "")))

    def move(key: str, network: str) -> bool:
        """Give ``key`` its first alternative that is free on ``network``."""
        for other in alternatives.get(key, []):
            if _folded(other) not in planned[network]:
                topics[key] = other
                planned[network].add(_folded(other))
                return True
        return False

    holder: dict[tuple[str, str], str] = {}  # the slot holding each topic on each network
    for spec in grid:
        topic = _folded(topics.get(spec.key, ""))
        if not topic:
            continue
        first = holder.get((spec.network, topic))
        if first is not None and not move(spec.key, spec.network) and move(first, spec.network):
            holder[(spec.network, _folded(topics[first]))] = first  # the holder moved instead
        holder[(spec.network, _folded(topics[spec.key]))] = spec.key


def _folded(topic: str) -> str:
    return " ".join(topic.casefold().split())


def _repeated_topics(grid: Sequence[SlotSpec], topics: Mapping[str, str]) -> list[str]:
    """Keys whose topic an earlier slot on the same network already has."""
    seen: set[tuple[str, str]] = set()
    repeated = []
    for spec in grid:
        topic = _folded(topics.get(spec.key, ""))
        if not topic:
            continue
        if (spec.network, topic) in seen:
            repeated.append(spec.key)
        seen.add((spec.network, topic))
    return repeated


@transaction.atomic
def _store_plan(
    *,
    brand: Brand,
    month: date,
    start_date: date,
    days: int,
    networks: list[str],
    guidelines: PlanGuidelines,
    grid: Sequence[SlotSpec],
    topics: Mapping[str, str],
    job: Job,
) -> MonthlyPlan:
    """Archive the active plan for (brand, month) and store the next version, all or nothing."""
    Brand.objects.select_for_update().filter(pk=brand.pk).first()  # one writer per brand
    plans = MonthlyPlan.objects.filter(brand=brand, month=month)
    version = (plans.aggregate(latest=Max("version"))["latest"] or 0) + 1
    plans.filter(is_active=True).update(is_active=False)
    plan = MonthlyPlan.objects.create(
        brand=brand,
        month=month,
        start_date=start_date,
        days=days,
        networks=networks,
        guidelines=guidelines.model_dump(),
        version=version,
        is_active=True,
        job=job,
    )
    PlanSlot.objects.bulk_create(
        PlanSlot(
            plan=plan,
            date=spec.date,
            network=spec.network,
            slot=spec.slot,
            time_of_day=spec.time_of_day,
            pillar=spec.pillar,
            angle=spec.angle,
            hook=spec.hook,
            cta=spec.cta[:200],
            format=spec.format,
            topic=topics[spec.key],
        )
        for spec in grid
    )
    return plan


# --- look-ups ---


def get_plan(plan_id: int | str, *, workspace: Workspace | None = None) -> MonthlyPlan:
    """A plan by id (of ``workspace``, when given: another workspace's is not found)."""
    text = str(plan_id).strip()
    plans = MonthlyPlan.objects.select_related("brand")
    if workspace is not None:
        plans = scoped(plans, workspace)
    plan = (
        plans.filter(pk=int(text)).first()
        if text.isascii() and text.isdigit() and len(text) < 19
        else None
    )
    if plan is None:
        raise NotFound(f"no plan {text!r}")
    return plan


def get_active_plan(brand: Brand, on_date: date) -> MonthlyPlan | None:
    """The brand's active plan whose days include ``on_date`` (the latest started wins)."""
    earliest = (
        on_date - timedelta(days=MAX_DAYS)
        if on_date - date.min > timedelta(days=MAX_DAYS)
        else date.min
    )
    candidates = MonthlyPlan.objects.filter(
        brand=brand, is_active=True, start_date__lte=on_date, start_date__gt=earliest
    ).order_by("-start_date", "-version")
    for plan in candidates:
        if (on_date - plan.start_date).days < plan.days:
            return plan
    return None


def require_active_plan(brand: Brand, on_date: date) -> MonthlyPlan:
    plan = get_active_plan(brand, on_date)
    if plan is None:
        raise NotFound(f"brand {brand.slug!r} has no active plan on {on_date.isoformat()}")
    return plan


def slots_for(
    brand: Brand, on_date: date, *, networks: Sequence[str] | None = None
) -> list[PlanSlot]:
    """The brand's slots on ``on_date`` from its active plan (empty when none covers it)."""
    plan = get_active_plan(brand, on_date)
    if plan is None:
        return []
    slots = plan.slots.filter(date=on_date).select_related("plan", "plan__brand")
    if networks is not None:
        slots = slots.filter(network__in=parse_networks(networks))
    return list(slots)


def slots_on_date(on_date: date, *, networks: Sequence[str] | None = None) -> list[PlanSlot]:
    """Every brand's slots on ``on_date``, each from the brand's active plan covering it.

    When two active plans of a brand cover the day (a plan running into the next
    month, and that month's own plan), the one that started last wins.
    """
    slots = (
        PlanSlot.objects.filter(date=on_date, plan__is_active=True)
        .select_related("plan", "plan__brand")
        .order_by("plan__brand_id", "-plan__start_date", "-plan__version", "network", "slot")
    )
    if networks is not None:
        slots = slots.filter(network__in=parse_networks(networks))
    chosen: dict[int, int] = {}
    result: list[PlanSlot] = []
    for slot in slots:
        plan_id = chosen.setdefault(slot.plan.brand_id, slot.plan_id)
        if plan_id == slot.plan_id:
            result.append(slot)
    return result

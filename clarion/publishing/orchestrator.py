"""The daily orchestrator (seed 002): plan slots → signed packages → channel agents → ledger.

One pass, top to bottom:

1. find the day's slots in the active plans (one per brand, network and slot index);
2. make sure each brand has an account per network (an outbox one by default);
3. insert the ledger rows that do not exist yet (one bulk INSERT, conflicts ignored);
4. work the slots in a bounded pool of threads, each slot claimed on its own just
   before it is worked (``work.work_slot``: write, check, approve, send);
5. a run by hand then waits a little (``CLARION_PUBLISH_MAX_WAIT``) for rows a
   network deferred (a rate limit, an unknown outcome to look up) and works them
   again; what is still deferred goes out with the worker's next pass.

A dry run does steps 1, 2 and the writing of step 4, stores the packages and
their content, and touches neither the ledger nor any network.

Neighbours: ``slots`` (finding the day's work), ``work`` (one slot), ``channel``
(the channel agent), ``ledger`` (claims, fencing, state changes), ``delivery``
(sending, reconciling, deferring), ``reports`` (what the ledger says).
"""

from __future__ import annotations

import logging
import time
from collections import Counter
from collections.abc import Callable, Iterable
from datetime import date, datetime, timedelta

from django.conf import settings
from django.db import transaction
from django.db.models import Q
from django.utils import timezone

from clarion.accounts.models import Workspace
from clarion.accounts.scope import scoped
from clarion.agents.schemas import Signal
from clarion.audit import services as audit
from clarion.brands.models import Brand
from clarion.core.platforms import parse_platforms
from clarion.core.pool import model_pool_size, run_all
from clarion.planning.models import PlanSlot
from clarion.publishing import ledger
from clarion.publishing.models import (
    ChannelAccount,
    DailyRun,
    Publication,
    PublicationState,
    RunStatus,
    RunTrigger,
)
from clarion.publishing.reports import ledger_snapshot
from clarion.publishing.slots import (
    day_slots,
    ensure_accounts,
    new_worker_id,
    scheduled_at,
    yesterday_signals,
)
from clarion.publishing.work import Progress, RunContext, SlotWork, run_one
from clarion.webhooks import services as webhooks

logger = logging.getLogger(__name__)

State = PublicationState
Waiting = Callable[[float, int], None]

__all__ = ["RunContext", "SlotWork", "publish_due", "retry_failed", "run_daily"]


def _works(
    slots: list[PlanSlot], accounts: dict[tuple[int, str], ChannelAccount]
) -> list[SlotWork]:
    return [
        SlotWork(
            brand=s.plan.brand,
            account=accounts[(s.plan.brand_id, s.network)],
            plan_slot=s,
            guidelines=dict(s.plan.guidelines or {}),
            day=s.date,
            network=s.network,
            slot=s.slot,
            scheduled_at=scheduled_at(s.plan.brand, s.date, s.time_of_day),
        )
        for s in slots
    ]


def _ensure_ledger(works: list[SlotWork]) -> None:
    """Insert the missing ledger rows in one statement; existing rows are left as they are."""
    if not works:
        return
    Publication.objects.bulk_create(
        [
            Publication(
                brand=w.brand,
                account=w.account,
                network=w.network,
                date=w.day,
                slot=w.slot,
                plan_slot=w.plan_slot,
                idempotency_key=ledger.idempotency_key(
                    brand_id=w.brand.pk, account_id=w.account.pk, day=w.day, slot=w.slot
                ),
                scheduled_at=w.scheduled_at,
            )
            for w in works
        ],
        ignore_conflicts=True,
        batch_size=500,
    )
    keys = {(w.account.pk, w.slot): w for w in works}
    rows = Publication.objects.filter(
        date=works[0].day, account_id__in={w.account.pk for w in works}
    ).values_list("pk", "account_id", "slot")
    for pk, account_id, slot in rows:
        work = keys.get((account_id, slot))
        if work is not None:
            work.publication_id = pk


def _run_works(works: list[SlotWork], ctx: RunContext) -> None:
    """Work every slot in a bounded pool of threads, each slot claimed when its turn comes.

    ``CLARION_PUBLISH_CONCURRENCY`` threads, or by default (0) enough to keep the
    model's bound full while posts are written (``model_pool_size``).
    """
    configured = settings.CLARION_PUBLISH_CONCURRENCY
    threads = configured if configured > 0 else model_pool_size(len(works))
    run_all(works, lambda work: run_one(work, ctx), threads=threads)


def _wait_for_deferred(
    works: list[SlotWork], ctx: RunContext, *, budget: float, on_wait: Waiting | None
) -> None:
    """Work again the rows deferred during this run whose time comes within ``budget`` s."""
    by_pk = {w.publication_id: w for w in works if w.publication_id is not None}
    deadline = time.monotonic() + budget
    while by_pk:
        left = deadline - time.monotonic()
        if left <= 0:
            return
        horizon = timezone.now() + timedelta(seconds=left)
        deferred = list(
            Publication.objects.filter(
                pk__in=list(by_pk),
                state__in=[State.PENDING, State.NEEDS_ATTENTION],
                not_before__isnull=False,
                not_before__lte=horizon,
            ).values_list("pk", "not_before")
        )
        if not deferred:
            return
        soonest = min(when for _, when in deferred if when is not None)
        wait = max((soonest - timezone.now()).total_seconds(), 0.0)
        if on_wait is not None:
            on_wait(wait, len(deferred))
        time.sleep(min(wait, left))
        _run_works([by_pk[pk] for pk, _ in deferred], ctx)


def _finish(run: DailyRun, ctx: RunContext, *, works: list[SlotWork]) -> DailyRun:
    run.counts = {"slots": len(works), **dict(ctx.counts())}
    pks = [w.publication_id for w in works if w.publication_id is not None]
    run.ledger = ledger_snapshot(pks) if pks and not run.dry_run else {}
    run.status = RunStatus.DONE
    run.finished_at = timezone.now()
    run.save(update_fields=["counts", "ledger", "status", "finished_at"])
    _announce(run, ctx, works=works)
    return run


def _announce(run: DailyRun, ctx: RunContext, *, works: list[SlotWork]) -> None:
    """``daily_run.finished`` for each workspace of the run, with its own slots' counts."""
    with ctx.lock:
        outcomes = dict(ctx.outcomes)
    by_workspace: dict[int, Counter[str]] = {}
    for work in works:
        key: object = work.publication_id if work.publication_id is not None else id(work)
        counts = by_workspace.setdefault(work.brand.workspace_id, Counter())
        counts["slots"] += 1
        if key in outcomes:
            counts[outcomes[key]] += 1
    if not works and run.workspace_id is not None:
        by_workspace[run.workspace_id] = Counter(slots=0)
    for workspace_id, counts in by_workspace.items():
        if not ctx.hooks.subscribed(workspace_id, webhooks.RUN_FINISHED):
            continue
        payload = {
            "daily_run": {
                "id": run.pk,
                "date": run.date.isoformat(),
                "trigger": run.trigger,
                "dry_run": run.dry_run,
                "platforms": run.platforms,
                "status": run.status,
                "counts": dict(counts),
                "started_at": run.started_at.isoformat(),
                "finished_at": run.finished_at.isoformat() if run.finished_at else None,
            }
        }
        webhooks.emit(workspace_id, webhooks.RUN_FINISHED, payload, hooks=ctx.hooks)


def run_daily(
    *,
    date: date,
    platforms: Iterable[str] | None = None,
    dry_run: bool = False,
    signals: Iterable[Signal] | None = None,
    brands: Iterable[Brand] | None = None,
    workspace: Workspace | None = None,
    trigger: str = RunTrigger.MANUAL,
    respect_schedule: bool = False,
    run: DailyRun | None = None,
    progress: Progress | None = None,
    on_start: Callable[[int], None] | None = None,
    on_wait: Waiting | None = None,
    wait_for_deferred: float | None = None,
) -> DailyRun:
    """Run the day's orchestration; returns the DailyRun with its counts.

    ``counts["published"]`` is what this run published; running the same day
    again publishes nothing new. ``respect_schedule`` (the worker's daily run)
    writes every post now but sends each one only once its time of day has come.
    ``workspace`` limits the run to that workspace's brands (all of them when
    ``brands`` is not given); without it the run covers the whole installation.
    ``wait_for_deferred`` (default ``CLARION_PUBLISH_MAX_WAIT``; 0 for the
    worker, whose heartbeat comes back for them) bounds the wait for deferred rows.
    """
    networks = parse_platforms(platforms)
    brand_list = list(brands) if brands is not None else None
    if workspace is not None:
        allowed = scoped(Brand, workspace)
        brand_list = list(
            allowed if brand_list is None else allowed.filter(pk__in=[b.pk for b in brand_list])
        )
    signal_list = [Signal.model_validate(s) for s in (signals or [])]
    if run is None:
        # A run over brands of one workspace is that workspace's: its people see it.
        spaces = {b.workspace_id for b in brand_list or []}
        workspace_id = workspace.pk if workspace else (spaces.pop() if len(spaces) == 1 else None)
        run = DailyRun.objects.create(
            date=date,
            dry_run=dry_run,
            platforms=networks,
            trigger=trigger,
            workspace_id=workspace_id,
        )
        if trigger == RunTrigger.MANUAL:  # a person started it (the CLI, the API)
            audit.record(
                action=audit.DAILY_RUN,
                target=run,
                workspace=workspace_id,
                details={
                    "date": date.isoformat(),
                    "dry_run": dry_run,
                    "platforms": networks,
                    "brands": [b.slug for b in brand_list] if brand_list is not None else None,
                },
            )
            from clarion.automation.services import record as record_command

            record_command(workspace_id, "daily_run", {"dry_run": dry_run})
    slots = day_slots(day=date, networks=networks or None, brands=brand_list)
    if run.workspace_id is None:
        # A run over every brand whose slots all belong to one workspace is that one's.
        spaces = {s.plan.brand.workspace_id for s in slots}
        if len(spaces) == 1:
            run.workspace_id = spaces.pop()
            DailyRun.objects.filter(pk=run.pk).update(workspace_id=run.workspace_id)
    accounts = ensure_accounts({(s.plan.brand_id, s.network) for s in slots})
    works = _works(slots, accounts)
    if on_start is not None:
        on_start(len(works))
    ctx = RunContext(
        run=run,
        worker_id=new_worker_id(),
        dry_run=dry_run,
        respect_schedule=respect_schedule,
        signals=signal_list,
        yesterday=yesterday_signals(day=date, brand_ids={w.brand.pk for w in works}),
        progress=progress,
    )
    budget = settings.CLARION_PUBLISH_MAX_WAIT if wait_for_deferred is None else wait_for_deferred
    try:
        if not dry_run:
            _ensure_ledger(works)
        _run_works(works, ctx)
        if not dry_run and budget > 0:
            _wait_for_deferred(works, ctx, budget=budget, on_wait=on_wait)
    except Exception as exc:
        DailyRun.objects.filter(pk=run.pk).update(
            status=RunStatus.FAILED, error=str(exc)[:2000], finished_at=timezone.now()
        )
        raise
    return _finish(run, ctx, works=works)


def retry_failed(
    *,
    date: date,
    platform: str | None = None,
    brands: Iterable[Brand] | None = None,
    workspace: Workspace | None = None,
    progress: Progress | None = None,
    on_start: Callable[[int], None] | None = None,
    on_wait: Waiting | None = None,
    wait_for_deferred: float | None = None,
) -> DailyRun:
    """Retry the day's failed publications (on one network, or all); nothing else is touched.

    A text that failed the checks, or was refused or rejected, is written again; a
    post the network refused is sent again with the same text.
    """
    networks = [parse_platforms([platform])[0]] if platform else []
    rows = Publication.objects.filter(date=date, state=State.FAILED)
    if networks:
        rows = rows.filter(network__in=networks)
    if brands is not None:
        rows = rows.filter(brand__in=[b.pk for b in brands])
    if workspace is not None:
        rows = scoped(rows, workspace)
    failed = list(rows.values_list("pk", flat=True))
    run = DailyRun.objects.create(
        date=date, platforms=networks, trigger=RunTrigger.RETRY, workspace=workspace
    )
    audit.record(
        action=audit.RETRY,
        target=run,
        workspace=workspace,
        details={"date": date.isoformat(), "platforms": networks, "publications": failed},
    )
    with transaction.atomic():
        ledger.release_failed(failed)
    works = works_for_rows(failed)
    if on_start is not None:
        on_start(len(works))
    ctx = RunContext(
        run=run,
        worker_id=new_worker_id(),
        dry_run=False,
        respect_schedule=False,
        signals=[],
        progress=progress,
    )
    _run_works(works, ctx)
    budget = settings.CLARION_PUBLISH_MAX_WAIT if wait_for_deferred is None else wait_for_deferred
    if budget > 0:
        _wait_for_deferred(works, ctx, budget=budget, on_wait=on_wait)
    return _finish(run, ctx, works=works)


def works_for_rows(pks: list[int]) -> list[SlotWork]:
    """Work items for existing ledger rows (retry, due publications, recovery)."""
    rows = list(Publication.objects.filter(pk__in=pks).select_related("brand", "account"))
    slots: dict[tuple[int, date, str, int], PlanSlot] = {}
    if rows:
        found = PlanSlot.objects.filter(
            plan__is_active=True,
            plan__brand__in={r.brand_id for r in rows},
            date__in={r.date for r in rows},
        ).select_related("plan")
        for s in found.order_by("plan__created_at", "plan__id"):
            slots[(s.plan.brand_id, s.date, s.network, s.slot)] = s
    works = []
    for row in rows:
        plan_slot = slots.get((row.brand_id, row.date, row.network, row.slot))
        works.append(
            SlotWork(
                brand=row.brand,
                account=row.account,
                plan_slot=plan_slot,
                guidelines=dict(plan_slot.plan.guidelines or {}) if plan_slot else {},
                day=row.date,
                network=row.network,
                slot=row.slot,
                scheduled_at=row.scheduled_at,
                publication_id=row.pk,
            )
        )
    return works


def due_filter(now: datetime) -> Q:
    """Rows to work now: due pending ones, abandoned claims, unknown outcomes to look up.

    A deferred row (``not_before`` in the future) waits.
    """
    ready = Q(not_before__isnull=True) | Q(not_before__lte=now)
    return (
        (Q(state=State.PENDING, scheduled_at__lte=now) & ready)
        | Q(state=State.CLAIMED, lease_expires_at__lt=now)
        | (Q(state=State.NEEDS_ATTENTION) & ready)
    )


def publish_due(*, now: datetime | None = None, limit: int = 500) -> dict[str, int]:
    """Publish rows whose time has come, and recover abandoned or unknown ones.

    Run by every worker's heartbeat: a pending row past its time (or its
    deferral), a claimed row whose lease ran out (its worker died), a row whose
    outcome is unknown. Claims are atomic, so several workers share this safely.
    """
    now = now or timezone.now()
    due = Publication.objects.filter(due_filter(now)).order_by("scheduled_at")
    pks = list(due.values_list("pk", flat=True)[:limit])
    if not pks:
        return {}
    ctx = RunContext(
        run=None,
        worker_id=new_worker_id(),
        dry_run=False,
        respect_schedule=True,
        signals=[],
        clock=now,
    )
    _run_works(works_for_rows(pks), ctx)
    return dict(ctx.counts())

"""The daily orchestrator (seed 002): plan slots → signed packages → channel agents → ledger.

One pass, top to bottom:

1. find the day's slots in the active plans (one per brand, network and slot index);
2. make sure each brand has an account per network (an outbox one by default);
3. insert the ledger rows that do not exist yet (one bulk INSERT, conflicts ignored);
4. per brand, concurrently: claim each row, build and sign its package, let the
   channel agent write and check the post, store it, then publish it through the
   connector, retrying retryable failures with backoff and reconciling an unknown
   outcome with the network before any resend.

A dry run does steps 1, 2 and the writing of step 4, stores the packages and
their content, and touches neither the ledger nor any network.

Neighbours: ``slots`` (finding the day's work), ``channel`` (the channel agent),
``ledger`` (claims and state changes), ``delivery`` (sending, retries, reconciling).
"""

from __future__ import annotations

import logging
import threading
import time
from collections import Counter
from collections.abc import Callable, Iterable
from concurrent.futures import ThreadPoolExecutor
from dataclasses import dataclass, field
from datetime import date, datetime
from functools import partial
from typing import Any

from django.conf import settings
from django.db import connection, transaction
from django.db.models import Q
from django.utils import timezone

from clarion.agents.schemas import Signal
from clarion.brands.models import Brand
from clarion.core.platforms import parse_platforms
from clarion.planning.models import PlanSlot
from clarion.publishing import ledger, signing
from clarion.publishing.channel import PACKAGE_VERSION, write_post
from clarion.publishing.connectors import (
    PublishError,
    connector_for,
)
from clarion.publishing.delivery import (
    ALREADY_DONE,
    DRY,
    FAILED,
    INVALID,
    REFUSED,
    SCHEDULED,
    outgoing,
    send,
)
from clarion.publishing.models import (
    ChannelAccount,
    DailyContentPackage,
    DailyRun,
    Publication,
    PublicationState,
    RunStatus,
    RunTrigger,
)
from clarion.publishing.slots import (
    day_slots,
    ensure_accounts,
    new_worker_id,
    scheduled_at,
    yesterday_signals,
)

logger = logging.getLogger(__name__)

State = PublicationState
Progress = Callable[[str], None]


@dataclass
class SlotWork:
    """Everything needed to produce and publish one slot, loaded once."""

    brand: Brand
    account: ChannelAccount
    plan_slot: PlanSlot | None
    guidelines: dict[str, Any]
    day: date
    network: str
    slot: int
    scheduled_at: datetime
    publication_id: int | None = None


@dataclass
class _RunContext:
    run: DailyRun | None
    worker_id: str
    dry_run: bool
    respect_schedule: bool
    signals: list[Signal]
    yesterday: dict[int, Signal] = field(default_factory=dict)
    outcomes: Counter[str] = field(default_factory=Counter)
    lock: threading.Lock = field(default_factory=threading.Lock)
    progress: Progress | None = None
    clock: datetime | None = None  # "now" for due times (the heartbeat's tick)

    def record(self, outcome: str) -> None:
        with self.lock:
            self.outcomes[outcome] += 1
            if self.progress is not None:
                self.progress(outcome)


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


def build_package(work: SlotWork, ctx: _RunContext) -> DailyContentPackage:
    """The signed order a channel agent works from."""
    slot = work.plan_slot
    signals = list(ctx.signals)
    if work.brand.pk in ctx.yesterday:
        signals.append(ctx.yesterday[work.brand.pk])
    payload: dict[str, Any] = {
        "version": PACKAGE_VERSION,
        "brand_id": work.brand.pk,
        "account_id": work.account.pk,
        "network": work.network,
        "date": work.day.isoformat(),
        "slot_index": work.slot,
        "scheduled_at": work.scheduled_at.isoformat(),
        "slot": {
            "pillar": slot.pillar if slot else "",
            "angle": slot.angle if slot else "",
            "hook": slot.hook if slot else "",
            "cta": slot.cta if slot else "",
            "format": slot.format if slot else "text",
            "topic": slot.topic if slot else "",
        },
        "guidelines": work.guidelines,
        "signals": [s.model_dump() for s in signals],
        "dry_run": ctx.dry_run,
    }
    return DailyContentPackage.objects.create(
        run=ctx.run,
        brand=work.brand,
        account=work.account,
        network=work.network,
        date=work.day,
        slot=work.slot,
        payload=payload,
        signature=signing.sign(payload),
        dry_run=ctx.dry_run,
    )


def _write(package: DailyContentPackage) -> tuple[str, str, bool, list[dict[str, Any]]]:
    """Hand the package to the channel agent; store what it wrote on the package."""
    try:
        post = write_post(package)
    except signing.PackageRefused as exc:
        return "", "", False, [{"code": "refused", "message": str(exc)}]
    DailyContentPackage.objects.filter(pk=package.pk).update(
        content=post.text,
        valid=post.valid,
        check_failures=post.failures,
        session_id=post.session_id,
    )
    return post.text, post.content_hash, post.valid, post.failures


# Rows claimed in one statement; a row's lease is renewed before slow work.
CLAIM_BATCH = 20


def process(work: SlotWork, publication: Publication, ctx: _RunContext) -> str:
    """Write (if need be), check and publish one claimed row; return what happened."""
    claimed_at = time.monotonic()
    due = not ctx.respect_schedule or publication.scheduled_at <= (ctx.clock or timezone.now())
    # A send that started before this claim may have reached the network: ask it first.
    reconcile_first = ledger.sent_before(publication)
    if not publication.content_hash:
        if not ledger.renew(publication, worker_id=ctx.worker_id):  # writing takes a while
            return ALREADY_DONE
        package = build_package(work, ctx)
        text, digest, valid, failures = _write(package)
        if not valid:
            refused = any(f.get("code") == "refused" for f in failures)
            reasons = "; ".join(str(f.get("message", "")) for f in failures)
            ledger.mark(
                publication,
                worker_id=ctx.worker_id,
                state=State.FAILED,
                error=("package refused: " if refused else "validation failed: ") + reasons,
            )
            if text:
                Publication.objects.filter(pk=publication.pk).update(content=text, content_hash="")
            return REFUSED if refused else INVALID
        if not ledger.store_content(
            publication,
            worker_id=ctx.worker_id,
            text=text,
            content_hash=digest,
            package_id=package.pk,
            sending=due,
        ):
            return ALREADY_DONE  # the lease was lost to another worker
    if not due:  # written ahead; the heartbeat publishes it at its time of day
        ledger.mark(publication, worker_id=ctx.worker_id, state=State.PENDING)
        return SCHEDULED
    lease = settings.CLARION_PUBLISH_LEASE_SECONDS
    if time.monotonic() - claimed_at > lease / 3 and not ledger.renew(
        publication, worker_id=ctx.worker_id
    ):
        return ALREADY_DONE
    try:
        connector = connector_for(work.account)
    except PublishError as exc:
        ledger.mark(publication, worker_id=ctx.worker_id, state=State.FAILED, error=exc.message)
        return FAILED
    return send(
        publication,
        post=outgoing(publication, brand_slug=work.brand.slug),
        connector=connector,
        worker_id=ctx.worker_id,
        reconcile_first=reconcile_first,
    )


def _process_chunk(works: list[SlotWork], ctx: _RunContext) -> None:
    if ctx.dry_run:
        for work in works:
            _safely(work, ctx, partial(_dry_run, ctx=ctx))
        return
    due_by = (ctx.clock or timezone.now()) if ctx.respect_schedule else None
    claimed = ledger.claim_batch(
        [w.publication_id for w in works if w.publication_id is not None],
        worker_id=ctx.worker_id,
        due_by=due_by,
    )
    rows = {row.pk: row for row in claimed}
    for work in works:
        row = rows.get(work.publication_id or 0)
        if row is None:
            ctx.record(ALREADY_DONE)  # published before, or another worker holds it
        else:
            _safely(work, ctx, partial(process, publication=row, ctx=ctx))


def _dry_run(work: SlotWork, ctx: _RunContext) -> str:
    _write(build_package(work, ctx))
    return DRY


def _safely(work: SlotWork, ctx: _RunContext, step: Callable[[SlotWork], str]) -> None:
    try:
        outcome = step(work)
    except Exception:  # one broken slot must not stop the others
        logger.exception("slot %s %s #%s failed", work.day, work.network, work.slot)
        outcome = FAILED
    ctx.record(outcome)


def _process_group(works: list[SlotWork], ctx: _RunContext, *, own_connection: bool) -> None:
    """Process one group of at most CLAIM_BATCH slots (claimed in one statement)."""
    try:
        _process_chunk(works, ctx)
    finally:
        if own_connection:
            connection.close()


def _run_works(works: list[SlotWork], ctx: _RunContext) -> None:
    """Work through the slots in chunks, one chunk per thread at a time."""
    groups = [works[i : i + CLAIM_BATCH] for i in range(0, len(works), CLAIM_BATCH)]
    threads = min(settings.CLARION_PUBLISH_CONCURRENCY, len(groups))
    if threads <= 1:
        for group in groups:
            _process_group(group, ctx, own_connection=False)
        return
    with ThreadPoolExecutor(max_workers=threads, thread_name_prefix="clarion-daily") as pool:
        for future in [
            pool.submit(_process_group, group, ctx, own_connection=True) for group in groups
        ]:
            future.result()


def _finish(run: DailyRun, ctx: _RunContext, *, planned: int) -> DailyRun:
    run.counts = {"slots": planned, **dict(ctx.outcomes)}
    run.status = RunStatus.DONE
    run.finished_at = timezone.now()
    run.save(update_fields=["counts", "status", "finished_at"])
    return run


def run_daily(
    *,
    date: date,
    platforms: Iterable[str] | None = None,
    dry_run: bool = False,
    signals: Iterable[Signal] | None = None,
    brands: Iterable[Brand] | None = None,
    trigger: str = RunTrigger.MANUAL,
    respect_schedule: bool = False,
    run: DailyRun | None = None,
    progress: Progress | None = None,
    on_start: Callable[[int], None] | None = None,
) -> DailyRun:
    """Run the day's orchestration; returns the DailyRun with its counts.

    ``counts["published"]`` is what this run published; running the same day
    again publishes nothing new. ``respect_schedule`` (the worker's daily run)
    writes every post now but sends each one only once its time of day has come.
    """
    networks = parse_platforms(platforms)
    brand_list = list(brands) if brands is not None else None
    signal_list = [Signal.model_validate(s) for s in (signals or [])]
    if run is None:
        run = DailyRun.objects.create(
            date=date, dry_run=dry_run, platforms=networks, trigger=trigger
        )
    slots = day_slots(day=date, networks=networks or None, brands=brand_list)
    accounts = ensure_accounts({(s.plan.brand_id, s.network) for s in slots})
    works = _works(slots, accounts)
    if on_start is not None:
        on_start(len(works))
    ctx = _RunContext(
        run=run,
        worker_id=new_worker_id(),
        dry_run=dry_run,
        respect_schedule=respect_schedule,
        signals=signal_list,
        yesterday=yesterday_signals(day=date, brand_ids={w.brand.pk for w in works}),
        progress=progress,
    )
    try:
        if not dry_run:
            _ensure_ledger(works)
        _run_works(works, ctx)
    except Exception as exc:
        DailyRun.objects.filter(pk=run.pk).update(
            status=RunStatus.FAILED, error=str(exc)[:2000], finished_at=timezone.now()
        )
        raise
    return _finish(run, ctx, planned=len(works))


def retry_failed(*, date: date, platform: str, brands: Iterable[Brand] | None = None) -> DailyRun:
    """Retry the day's failed publications on one network; other rows are not touched."""
    network = parse_platforms([platform])[0]
    rows = Publication.objects.filter(date=date, network=network, state=State.FAILED)
    if brands is not None:
        rows = rows.filter(brand__in=[b.pk for b in brands])
    failed = list(rows.values_list("pk", flat=True))
    run = DailyRun.objects.create(date=date, platforms=[network], trigger=RunTrigger.RETRY)
    with transaction.atomic():
        ledger.release_failed(failed)
    ctx = _RunContext(
        run=run, worker_id=new_worker_id(), dry_run=False, respect_schedule=False, signals=[]
    )
    _run_works(_works_for_rows(failed), ctx)
    return _finish(run, ctx, planned=len(failed))


def _works_for_rows(pks: list[int]) -> list[SlotWork]:
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
    """Rows to publish now: due pending ones, abandoned claims, unknown outcomes."""
    return (
        Q(state=State.PENDING, scheduled_at__lte=now)
        | Q(state=State.CLAIMED, lease_expires_at__lt=now)
        | Q(state=State.NEEDS_ATTENTION)
    )


def publish_due(*, now: datetime | None = None, limit: int = 500) -> dict[str, int]:
    """Publish rows whose time has come, and recover abandoned or unknown ones.

    Run by every worker's heartbeat: a pending row past its time, a claimed row
    whose lease expired (its worker died), a row whose outcome is unknown. Claims
    are atomic, so several workers share this safely.
    """
    now = now or timezone.now()
    due = Publication.objects.filter(due_filter(now)).order_by("scheduled_at")
    pks = list(due.values_list("pk", flat=True)[:limit])
    if not pks:
        return {}
    ctx = _RunContext(
        run=None,
        worker_id=new_worker_id(),
        dry_run=False,
        respect_schedule=True,
        signals=[],
        clock=now,
    )
    _run_works(_works_for_rows(pks), ctx)
    return dict(ctx.outcomes)

"""One slot of one day, from claim to outcome: write, check, approve, send.

``work_slot`` claims the slot's ledger row (one conditional UPDATE), keeps its
lease alive while it works (``leases.keeper``), and then, top to bottom:

1. if the row holds no text yet: build and sign a package, let the channel agent
   write and check the post; a refused package or a text that fails the checks
   fails the row, a text the reviewer did not approve waits for a person, a
   writer that failed defers the row; an approved text is stored with who
   approved it, unless the brand requires a person's approval
   (``Brand.approval_required``): then it waits for one too;
2. if the slot's time has not come (the worker's daily run writes ahead): give
   the row back, it goes out at its time;
3. the publish gate: the exact text about to be sent is approved, unchanged since
   (its hash), and passes the hard checks again;
4. send it through the connector (``delivery.send``: fenced, reconciled, deferred).
"""

from __future__ import annotations

import logging
import threading
from collections import Counter
from collections.abc import Callable
from dataclasses import dataclass, field
from datetime import date, datetime, timedelta
from typing import Any

from django.conf import settings
from django.utils import timezone

from clarion.agents.models import Agent
from clarion.agents.runtime import NoActiveAgent
from clarion.agents.schemas import Signal
from clarion.brands.models import Brand
from clarion.core.errors import LLMConfigError
from clarion.planning.models import PlanSlot
from clarion.publishing import ledger, signing
from clarion.publishing.channel import PACKAGE_VERSION, WrittenPost, hard_checks, write_post
from clarion.publishing.connectors import PublishError, connector_for
from clarion.publishing.delivery import (
    ALREADY_DONE,
    AWAITING,
    DEFERRED,
    DRY,
    FAILED,
    HELD,
    INVALID,
    LOST,
    REFUSED,
    SCHEDULED,
    outgoing,
    send,
)
from clarion.publishing.delivery import PUBLISHED as SENT
from clarion.publishing.delivery import UNKNOWN as NEEDS_ATTENTION
from clarion.publishing.leases import keeper
from clarion.publishing.models import (
    ChannelAccount,
    DailyContentPackage,
    DailyRun,
    ErrorKind,
    Publication,
    PublicationState,
)
from clarion.webhooks import services as webhooks
from clarion.writing.services import writing_agents

logger = logging.getLogger(__name__)

State = PublicationState
Progress = Callable[[str], None]

FAILED_BEFORE = "failed_before"  # failed in an earlier run: `clarion retry` sends it again

# Check failures a person may accept when approving a text (a link the reviewer flagged).
PERSON_MAY_ACCEPT = frozenset({"foreign_link"})

# Why a post the reviewer approved waits all the same (``Brand.approval_required``).
BRAND_REQUIRES_APPROVAL = "the brand requires a person's approval before publishing"


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
class RunContext:
    run: DailyRun | None
    worker_id: str
    dry_run: bool
    respect_schedule: bool
    signals: list[Signal]
    yesterday: dict[int, Signal] = field(default_factory=dict)
    outcomes: dict[object, str] = field(default_factory=dict)  # last outcome per slot
    lock: threading.Lock = field(default_factory=threading.Lock)
    progress: Progress | None = None
    clock: datetime | None = None  # "now" for due times (the heartbeat's tick)
    hooks: webhooks.HookIndex = field(default_factory=webhooks.HookIndex)  # loaded once a run
    _agents: dict[int | None, tuple[Agent, Agent, str] | None] = field(default_factory=dict)

    def writing_agents(self, workspace_id: int | None) -> tuple[Agent, Agent, str] | None:
        """A workspace's writer and reviewer, looked up once per run (None: each post says
        why)."""
        with self.lock:
            if workspace_id not in self._agents:
                try:
                    self._agents[workspace_id] = writing_agents(workspace_id)
                except (NoActiveAgent, LLMConfigError):
                    self._agents[workspace_id] = None
            return self._agents[workspace_id]

    def record(self, key: object, outcome: str) -> None:
        with self.lock:
            first = key not in self.outcomes
            self.outcomes[key] = outcome
        if first and self.progress is not None:
            self.progress(outcome)

    def counts(self) -> Counter[str]:
        with self.lock:
            return Counter(self.outcomes.values())


def slot_payload(work: SlotWork) -> dict[str, Any]:
    slot = work.plan_slot
    return {
        "pillar": slot.pillar if slot else "",
        "angle": slot.angle if slot else "",
        "hook": slot.hook if slot else "",
        "cta": slot.cta if slot else "",
        "format": slot.format if slot else "text",
        "topic": slot.topic if slot else "",
    }


def build_package(work: SlotWork, ctx: RunContext) -> DailyContentPackage:
    """The signed order a channel agent works from: valid once, for a short while."""
    signals = list(ctx.signals)
    if work.brand.pk in ctx.yesterday:
        signals.append(ctx.yesterday[work.brand.pk])
    nonce = ledger.new_token()
    expires = timezone.now() + timedelta(seconds=settings.CLARION_PACKAGE_TTL_SECONDS)
    payload: dict[str, Any] = {
        "version": PACKAGE_VERSION,
        "nonce": nonce,
        "expires_at": expires.isoformat(),
        "brand_id": work.brand.pk,
        "account_id": work.account.pk,
        "network": work.network,
        "date": work.day.isoformat(),
        "slot_index": work.slot,
        "scheduled_at": work.scheduled_at.isoformat(),
        "slot": slot_payload(work),
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
        nonce=nonce,
        expires_at=expires,
        dry_run=ctx.dry_run,
    )


def write(
    package: DailyContentPackage, brand: Brand | None = None, ctx: RunContext | None = None
) -> WrittenPost:
    """Hand the package to the channel agent; store what it wrote on the package."""
    try:
        agents = ctx.writing_agents(brand.workspace_id) if ctx and brand else None
        post = write_post(package, brand=brand, agents=agents)
    except signing.PackageRefused as exc:
        return WrittenPost(
            text="",
            content_hash="",
            valid=False,
            failures=[{"code": "refused", "message": str(exc)}],
        )
    DailyContentPackage.objects.filter(pk=package.pk).update(
        content=post.text,
        valid=post.valid,
        check_failures=post.failures,
        session_id=post.session_id,
    )
    return post


def by_person(approved_by: str) -> bool:
    """Whether a person (not the reviewer agent) approved the text."""
    return approved_by not in ("", "reviewer")


def gate_problems(publication: Publication, work: SlotWork) -> list[str]:
    """Why the stored text must not be sent now; empty when it may go."""
    if publication.approved_at is None:
        return ["nobody approved this text"]
    if signing.content_hash(publication.content) != publication.content_hash:
        return ["the text changed after it was approved"]
    package = publication.package
    slot: dict[str, Any] = slot_payload(work)
    guidelines = work.guidelines
    if package is not None:  # the slot and guidelines the text was written for
        slot = dict(package.payload.get("slot") or slot)
        guidelines = dict(package.payload.get("guidelines") or guidelines)
    failures = hard_checks(
        publication.content.strip(),
        brand=work.brand,
        network=publication.network,
        slot=slot,
        guidelines=guidelines,
    )
    person = by_person(publication.approved_by)
    return [f.message for f in failures if not (person and f.code in PERSON_MAY_ACCEPT)]


def _writer_failed(post: WrittenPost) -> str:
    return "; ".join(
        str(f.get("message", "")) for f in post.failures if f.get("code") == "writer_error"
    )


def process(work: SlotWork, claim: ledger.Claim, ctx: RunContext) -> str:
    """Write (if need be), check and publish one claimed row; return what happened."""
    row = claim.publication
    due = not ctx.respect_schedule or row.scheduled_at <= (ctx.clock or timezone.now())
    fenced = False
    if not row.content_hash:
        package = build_package(work, ctx)
        post = write(package, work.brand, ctx)
        reasons = "; ".join(str(f.get("message", "")) for f in post.failures)
        if any(f.get("code") == "refused" for f in post.failures):
            done = ledger.mark_failed(
                claim, kind=ErrorKind.REFUSED, error=f"package refused: {reasons}"
            )
            return REFUSED if done else LOST
        writer_error = _writer_failed(post)
        if writer_error:  # the model failed: try again later, not a verdict on the slot
            deferral = ledger.defer(
                claim,
                seconds=settings.CLARION_PUBLISH_RECONCILE_DELAY,
                kind=ErrorKind.RETRYABLE,
                error=f"the writer failed: {writer_error}",
            )
            if deferral is None:
                return LOST
            return FAILED if deferral.state == State.FAILED else DEFERRED
        if not post.valid:
            done = ledger.mark_failed(
                claim,
                kind=ErrorKind.INVALID,
                error=f"validation failed: {reasons}",
                content=post.text,
            )
            return INVALID if done else LOST
        if not post.approved or work.brand.approval_required:
            done = ledger.await_approval(
                claim,
                text=post.text,
                content_hash=post.content_hash,
                package_id=package.pk,
                why=post.review_note if not post.approved else BRAND_REQUIRES_APPROVAL,
            )
            return AWAITING if done else LOST
        if not ledger.store_content(
            claim,
            text=post.text,
            content_hash=post.content_hash,
            package_id=package.pk,
            approved_by="reviewer",
            sending=due,  # about to go out: the same statement fences the claim
            release=not due,  # written ahead: given back in the same statement
        ):
            return LOST
        if not due:  # the heartbeat publishes it at its time of day
            return SCHEDULED
        row.package = package
        fenced = True
    elif work.brand.approval_required and not by_person(row.approved_by):
        # stored before the brand asked for a person's approval: it waits for one too
        done = ledger.await_approval(
            claim,
            text=row.content,
            content_hash=row.content_hash,
            package_id=row.package_id,
            why=BRAND_REQUIRES_APPROVAL,
        )
        return AWAITING if done else LOST
    if not due:  # written ahead; the heartbeat publishes it at its time of day
        return SCHEDULED if ledger.release(claim) else LOST
    problems = gate_problems(row, work)
    if problems:
        done = ledger.mark_failed(
            claim, kind=ErrorKind.INVALID, error="refused at sending: " + "; ".join(problems)
        )
        return INVALID if done else LOST
    try:
        connector = connector_for(work.account)
    except PublishError as exc:
        done = ledger.mark_failed(claim, kind=ErrorKind.PERMANENT, error=exc.message)
        return FAILED if done else LOST
    post_out = outgoing(row, brand_slug=work.brand.slug)
    return send(claim, post=post_out, connector=connector, fenced=fenced)


def not_claimed(pk: int) -> str:
    """Why a row could not be claimed, as an outcome."""
    row = Publication.objects.filter(pk=pk).values("state", "not_before", "content_hash").first()
    if row is None:
        return FAILED
    state = row["state"]
    if state == State.PUBLISHED:
        return ALREADY_DONE
    if state == State.CLAIMED:
        return HELD
    if state == State.AWAITING_APPROVAL:
        return AWAITING
    if state == State.FAILED:
        return FAILED_BEFORE
    if row["not_before"] is not None and row["not_before"] > timezone.now():
        return DEFERRED
    return SCHEDULED if row["content_hash"] else HELD


def work_slot(work: SlotWork, ctx: RunContext) -> str:
    """Claim the slot's row and work it; the outcome when it was not ours to work."""
    if ctx.dry_run:
        write(build_package(work, ctx), work.brand, ctx)
        return DRY
    assert work.publication_id is not None
    due_by = (ctx.clock or timezone.now()) if ctx.respect_schedule else None
    claim = ledger.claim(
        work.publication_id,
        worker_id=ctx.worker_id,
        due_by=due_by,
        brand=work.brand,
        account=work.account,
    )
    if claim is None:
        return not_claimed(work.publication_id)
    already_unknown = claim.publication.error_kind == ErrorKind.UNKNOWN_OUTCOME
    with keeper.holding(claim.token):
        outcome = process(work, claim, ctx)
    event = EVENTS.get(outcome)
    if event == webhooks.NEEDS_ATTENTION and already_unknown:
        event = None  # it needed attention before this claim: announced then
    if event is not None and work.publication_id is not None:
        webhooks.emit_publication(
            workspace_id=work.brand.workspace_id,
            publication_id=work.publication_id,
            event=event,
            hooks=ctx.hooks,
        )
    return outcome


# The webhook event a claim's outcome announces (the ledger row changed to that state).
EVENTS = {
    SENT: webhooks.PUBLISHED,
    FAILED: webhooks.FAILED,
    INVALID: webhooks.FAILED,
    REFUSED: webhooks.FAILED,
    NEEDS_ATTENTION: webhooks.NEEDS_ATTENTION,
    AWAITING: webhooks.APPROVAL_WAITING,
}


def run_one(work: SlotWork, ctx: RunContext) -> str:
    """``work_slot``, never raising: one broken slot must not stop the others."""
    key: object = work.publication_id if work.publication_id is not None else id(work)
    try:
        outcome = work_slot(work, ctx)
    except Exception:
        logger.exception("slot %s %s #%s failed", work.day, work.network, work.slot)
        outcome = FAILED  # a claimed row is recovered once its lease runs out
    ctx.record(key, outcome)
    return outcome

"""What the ledger says: a day's status, performance over a period, yesterday's summary."""

from __future__ import annotations

from collections import defaultdict
from collections.abc import Iterable, Mapping
from dataclasses import dataclass, field
from datetime import date, datetime, timedelta
from typing import Any

from django.db.models import Count, Exists, F, Max, Min, OuterRef, Q, QuerySet, Sum
from django.utils import timezone

from clarion.accounts.models import Workspace
from clarion.accounts.scope import scoped
from clarion.brands.models import Brand
from clarion.core.sql import HourOfTime, JsonCount
from clarion.publishing.models import DailyRun, ErrorKind, Publication, PublicationState

State = PublicationState

METRIC_NAMES = ("impressions", "likes", "comments", "shares", "clicks")


@dataclass
class Attention:
    """Rows that are not published yet, and why, in words a person can act on."""

    held: list[Publication]  # claimed right now (lease running, or run out: recoverable)
    deferred: list[Publication]  # waiting for a time (rate limit, retry, reconcile)
    awaiting_approval: list[Publication]
    failed: list[Publication]
    unknown: list[Publication]  # outcome unknown, to be looked up on the network


@dataclass
class DayStatus:
    date: date
    counts: dict[str, int]
    total: int
    publications: list[Publication]
    runs: list[DailyRun]
    attention: Attention
    now: datetime


ATTENTION_LIMIT = 100


def day_status(
    *,
    day: date,
    brand: Brand | None = None,
    workspace: Workspace | None = None,
    platforms: list[str] | None = None,
    limit: int = 200,
    offset: int = 0,
) -> DayStatus:
    """A day's ledger: counts by state, every publication, and what is not done and why."""
    rows: QuerySet[Publication] = Publication.objects.filter(date=day)
    if workspace is not None:
        rows = scoped(rows, workspace)
    if brand is not None:
        rows = rows.filter(brand=brand)
    if platforms:
        rows = rows.filter(network__in=platforms)
    counts = {state.value: 0 for state in PublicationState}
    for row in rows.values("state").annotate(n=Count("id")):
        counts[row["state"]] = row["n"]
    runs = DailyRun.objects.filter(date=day)
    if workspace is not None:
        runs = scoped(runs, workspace)  # an installation-wide run is not any workspace's
    if brand is not None:
        runs = runs.filter(Q(brand=brand) | Q(brand__isnull=True))
    page = list(
        rows.select_related("brand").order_by("brand__slug", "network", "slot")[
            offset : offset + limit
        ]
    )
    now = timezone.now()
    related = rows.select_related("brand").order_by("scheduled_at", "pk")
    open_states = [State.PENDING, State.NEEDS_ATTENTION]
    attention = Attention(
        held=list(related.filter(state=State.CLAIMED)[:ATTENTION_LIMIT]),
        deferred=list(
            related.filter(state__in=open_states, not_before__gt=now).exclude(
                error_kind=ErrorKind.UNKNOWN_OUTCOME
            )[:ATTENTION_LIMIT]
        ),
        awaiting_approval=list(related.filter(state=State.AWAITING_APPROVAL)[:ATTENTION_LIMIT]),
        failed=list(related.filter(state=State.FAILED)[:ATTENTION_LIMIT]),
        unknown=list(related.filter(state=State.NEEDS_ATTENTION)[:ATTENTION_LIMIT]),
    )
    return DayStatus(
        date=day,
        counts=counts,
        total=sum(counts.values()),
        publications=page,
        runs=list(runs.order_by("-started_at", "-id")[:20]),
        attention=attention,
        now=now,
    )


def held_note(row: Publication, now: datetime) -> str:
    """Who holds a claimed row and when it is recovered if that process is gone."""
    holder = row.claimed_by or "another process"
    expires = row.lease_expires_at
    if expires is None or expires <= now:
        return (
            f"held by {holder}, which stopped renewing its claim: recovered by the next worker pass"
        )
    seconds = int((expires - now).total_seconds()) + 1
    return (
        f"held by {holder}; if that process is gone it is recovered after "
        f"{expires:%H:%M:%S} UTC (in {seconds} s)"
    )


def deferred_note(row: Publication, now: datetime) -> str:
    when = row.not_before
    wait = f"until {when:%H:%M:%S} UTC" if when is not None and when > now else "now"
    return f"deferred {wait}: {row.error or 'retry'}"


@dataclass
class Bucket:
    published: int = 0
    failed: int = 0
    pending: int = 0
    metrics: dict[str, int] = field(default_factory=lambda: dict.fromkeys(METRIC_NAMES, 0))

    def add(self, row: Publication) -> None:
        if row.state == PublicationState.PUBLISHED:
            self.published += 1
        elif row.state == PublicationState.FAILED:
            self.failed += 1
        else:
            self.pending += 1
        for name in METRIC_NAMES:
            value = (row.metrics or {}).get(name)
            if isinstance(value, int | float):
                self.metrics[name] += int(value)

    def merge(self, group: Mapping[str, Any]) -> None:
        """Add a group of rows counted in SQL (see ``_grouped``)."""
        self.published += group["published"]
        self.failed += group["failed"]
        self.pending += group["rows"] - group["published"] - group["failed"]
        for name in METRIC_NAMES:
            self.metrics[name] += int(group[name] or 0)

    def as_dict(self) -> dict[str, Any]:
        return {
            "published": self.published,
            "failed": self.failed,
            "pending": self.pending,
            "metrics": self.metrics,
        }


def _grouped(rows: QuerySet[Publication]) -> Iterable[Mapping[str, Any]]:
    """``rows`` counted by network, pillar and hour of the slot's time of day, in one query.

    At most networks × pillars × 25 groups, whatever the number of rows; the sums are
    ``Bucket.add``'s (``JsonCount`` reads the metrics as it does).
    """
    return (
        rows.order_by()
        .values(
            "network",
            pillar=F("plan_slot__pillar"),
            hour=HourOfTime("plan_slot__time_of_day"),
        )
        .annotate(
            rows=Count("pk"),
            published=Count("pk", filter=Q(state=PublicationState.PUBLISHED)),
            failed=Count("pk", filter=Q(state=PublicationState.FAILED)),
            **{name: Sum(JsonCount("metrics", name)) for name in METRIC_NAMES},
        )
    )


def _hour(hour: int | None) -> str:
    return "unknown" if hour is None else f"{hour:02d}:00"


def performance(
    *,
    brand: Brand | None = None,
    workspace: Workspace | None = None,
    start: date,
    end: date,
) -> dict[str, Any]:
    """Publications and their metrics from ``start`` to ``end``: in total, by network,
    by pillar and by posting time (the hour of the slot's local time of day).

    Rows whose slot is gone count as pillar and time "unknown". ``end`` before
    ``start`` is an empty period. One query, aggregated in the database.
    """
    rows = Publication.objects.filter(date__gte=start, date__lte=end)
    if workspace is not None:
        # EXISTS rather than a join: SQLite then walks the date index instead of every
        # row of each of the workspace's brands (a tenth of the time for 30 days).
        rows = rows.filter(Exists(scoped(Brand, workspace).filter(pk=OuterRef("brand_id"))))
    if brand is not None:
        rows = rows.filter(brand=brand)
    total = Bucket()
    by_network: defaultdict[str, Bucket] = defaultdict(Bucket)
    by_pillar: defaultdict[str, Bucket] = defaultdict(Bucket)
    by_time: defaultdict[str, Bucket] = defaultdict(Bucket)
    for group in _grouped(rows):
        total.merge(group)
        by_network[group["network"]].merge(group)
        by_pillar[group["pillar"] if group["pillar"] is not None else "unknown"].merge(group)
        by_time[_hour(group["hour"])].merge(group)
    return {
        "brand": brand.slug if brand else None,
        "start": start,
        "end": end,
        "total": total.as_dict(),
        "by_network": {k: v.as_dict() for k, v in sorted(by_network.items())},
        "by_pillar": {k: v.as_dict() for k, v in sorted(by_pillar.items())},
        "by_time": {k: v.as_dict() for k, v in sorted(by_time.items())},
    }


def yesterday(*, brand: Brand, today: date) -> dict[str, Any]:
    """The day before ``today`` for one brand: counts, and each post with its metrics."""
    day = today - timedelta(days=1) if today > date.min else today
    rows = list(Publication.objects.filter(brand=brand, date=day).order_by("network", "slot"))
    bucket = Bucket()
    for row in rows:
        bucket.add(row)
    return {
        "brand": brand.slug,
        "date": day,
        **bucket.as_dict(),
        "posts": [
            {
                "network": r.network,
                "slot": r.slot,
                "state": r.state,
                "content": r.content,
                "url": r.remote_url,
                "published_at": r.published_at,
                "metrics": r.metrics or {},
                "error": r.error,
            }
            for r in rows
        ],
    }


def ledger_snapshot(pks: list[int]) -> dict[str, Any]:
    """The states of a run's rows when it ended, and when held or deferred ones come back."""
    rows = Publication.objects.filter(pk__in=pks)
    states = {state: n for state, n in rows.values_list("state").annotate(n=Count("id"))}
    held = rows.filter(state=State.CLAIMED).aggregate(until=Max("lease_expires_at"))["until"]
    deferred = rows.filter(
        state__in=[State.PENDING, State.NEEDS_ATTENTION], not_before__isnull=False
    ).aggregate(until=Min("not_before"))["until"]
    return {
        "states": states,
        "held_until": held.isoformat() if held else None,
        "next_retry_at": deferred.isoformat() if deferred else None,
    }


def _posts(n: int, noun: str = "post") -> str:
    return f"{n} {noun}" if n == 1 else f"{n} {noun}s"


def _at(value: object) -> str:
    if not isinstance(value, str):
        return "later"
    return f"{datetime.fromisoformat(value):%H:%M:%S} UTC"


def run_summary(run: DailyRun) -> str:
    """What a run did, and what is not done yet: never "done" while rows are held,
    deferred, failed or waiting."""
    counts = run.counts or {}
    if run.dry_run:
        return f"Dry run: {counts.get('dry_run', 0)} posts written and checked, nothing published."
    if not counts.get("slots", 0):
        if run.trigger == "retry":
            return f"Nothing to retry on {run.date}: no failed publications."
        return f"No slots planned for {run.date}: plan the month first (clarion plan --help)."
    ledger = run.ledger or {}
    states: dict[str, int] = ledger.get("states") or {}
    total = sum(states.values())
    published_now = counts.get("published", 0)
    scope = f"{'/'.join(run.platforms)} slot" if run.platforms else "slot"
    scope = f"every {scope} of {run.date}"
    if run.trigger == "retry":
        scope = "every retried post"
    parts = []
    if published_now:
        parts.append(f"Published {_posts(published_now, 'new post')}.")
    if total and states.get(State.PUBLISHED, 0) == total:
        if not published_now:
            parts.append(f"Nothing new to publish: {scope} was published already.")
        else:
            parts.append(f"Done: {scope} is published.")
        return " ".join(parts)
    waiting: list[str] = []
    pending = states.get(State.PENDING, 0)
    scheduled = counts.get("scheduled", 0)
    if scheduled:
        waiting.append(f"{scheduled} written ahead, to go out at their time of day")
    deferred = pending - scheduled if pending > scheduled else 0
    if deferred:
        waiting.append(
            f"{deferred} deferred (rate limit or retry) until {_at(ledger.get('next_retry_at'))}"
        )
    unknown = states.get(State.NEEDS_ATTENTION, 0)
    if unknown:
        waiting.append(f"{unknown} with an unknown outcome, to be looked up on the network")
    held = states.get(State.CLAIMED, 0)
    if held:
        waiting.append(
            f"{held} held by another process (recovered after {_at(ledger.get('held_until'))} "
            "if it has stopped)"
        )
    approval = states.get(State.AWAITING_APPROVAL, 0)
    if approval:
        waiting.append(f"{approval} waiting for approval (clarion approvals list)")
    failed = states.get(State.FAILED, 0)
    if failed:
        waiting.append(f"{failed} failed (clarion retry --date {run.date})")
    if waiting:
        parts.append("Not done yet: " + "; ".join(waiting) + ".")
    parts.append(f"Details: clarion status --date {run.date}.")
    return " ".join(parts)

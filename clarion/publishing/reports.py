"""What the ledger says: a day's status, performance over a period, yesterday's summary."""

from __future__ import annotations

from collections import defaultdict
from dataclasses import dataclass, field
from datetime import date, timedelta
from typing import Any

from django.db.models import Count, Q, QuerySet

from clarion.brands.models import Brand
from clarion.publishing.models import DailyRun, Publication, PublicationState

METRIC_NAMES = ("impressions", "likes", "comments", "shares", "clicks")


@dataclass
class DayStatus:
    date: date
    counts: dict[str, int]
    total: int
    publications: list[Publication]
    runs: list[DailyRun]


def day_status(
    *, day: date, brand: Brand | None = None, limit: int = 200, offset: int = 0
) -> DayStatus:
    rows: QuerySet[Publication] = Publication.objects.filter(date=day)
    if brand is not None:
        rows = rows.filter(brand=brand)
    counts = {state.value: 0 for state in PublicationState}
    for row in rows.values("state").annotate(n=Count("id")):
        counts[row["state"]] = row["n"]
    runs = DailyRun.objects.filter(date=day)
    if brand is not None:
        runs = runs.filter(Q(brand=brand) | Q(brand__isnull=True))
    page = list(
        rows.select_related("brand").order_by("brand__slug", "network", "slot")[
            offset : offset + limit
        ]
    )
    return DayStatus(
        date=day,
        counts=counts,
        total=sum(counts.values()),
        publications=page,
        runs=list(runs.order_by("-started_at", "-id")[:20]),
    )


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

    def as_dict(self) -> dict[str, Any]:
        return {
            "published": self.published,
            "failed": self.failed,
            "pending": self.pending,
            "metrics": self.metrics,
        }


def performance(*, brand: Brand | None = None, start: date, end: date) -> dict[str, Any]:
    """Publications and their metrics from ``start`` to ``end``, by network and by pillar.

    ``end`` before ``start`` is an empty period.
    """
    rows = Publication.objects.filter(date__gte=start, date__lte=end).select_related("plan_slot")
    if brand is not None:
        rows = rows.filter(brand=brand)
    total = Bucket()
    by_network: defaultdict[str, Bucket] = defaultdict(Bucket)
    by_pillar: defaultdict[str, Bucket] = defaultdict(Bucket)
    for row in rows.only("state", "metrics", "network", "plan_slot__pillar"):
        total.add(row)
        by_network[row.network].add(row)
        by_pillar[row.plan_slot.pillar if row.plan_slot else "unknown"].add(row)
    return {
        "brand": brand.slug if brand else None,
        "start": start,
        "end": end,
        "total": total.as_dict(),
        "by_network": {k: v.as_dict() for k, v in sorted(by_network.items())},
        "by_pillar": {k: v.as_dict() for k, v in sorted(by_pillar.items())},
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


def run_summary(run: DailyRun) -> str:
    """One sentence on what a run did, as the CLI and the demo print it."""
    counts = run.counts or {}
    if run.dry_run:
        return f"Dry run: {counts.get('dry_run', 0)} posts written and checked, nothing published."
    if not counts.get("slots", 0):
        return f"No slots planned for {run.date}: plan the month first (clarion plan --help)."
    published, scheduled = counts.get("published", 0), counts.get("scheduled", 0)
    parts = []
    if published:
        parts.append(f"Published {published} new posts.")
    if scheduled:
        parts.append(f"{scheduled} written ahead, to go out at their time of day.")
    if not parts:
        parts.append("Nothing new to publish: every slot of the day was done already.")
    problems = sum(counts.get(k, 0) for k in ("failed", "invalid", "refused", "needs_attention"))
    if problems:
        parts.append(
            f"{problems} slot(s) need a look (GET /api/orchestrator/status?date={run.date})."
        )
    return " ".join(parts)

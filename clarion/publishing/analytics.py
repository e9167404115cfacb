"""What the analytics page charts: the performance report over a period, and its parts
as rows of (label, published, failed, pending) ready for ``clarion.web.charts``."""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass
from datetime import date
from typing import Any

from django.db.models import Count, Q
from django.db.models.functions import ExtractHour

from clarion.accounts.models import Workspace
from clarion.accounts.scope import scoped
from clarion.brands.models import Brand
from clarion.planning.models import Pillar
from clarion.publishing import reports
from clarion.publishing.models import Publication, PublicationState

State = PublicationState
STATE_SERIES = ("published", "failed", "not out yet")
UNKNOWN_PILLAR = "unknown"


@dataclass(frozen=True)
class Row:
    """One label of a breakdown: its posts by outcome and the metrics read back for them."""

    key: str
    label: str
    published: int
    failed: int
    pending: int
    metrics: Mapping[str, int]

    @property
    def counts(self) -> list[float]:
        return [self.published, self.failed, self.pending]

    @property
    def total(self) -> int:
        return self.published + self.failed + self.pending

    @property
    def metric_cells(self) -> list[int | None]:
        """The metrics in ``METRIC_NAMES`` order (None: not counted for this breakdown)."""
        return [self.metrics.get(name) for name in reports.METRIC_NAMES]


def _number(value: Any) -> int:
    return int(value) if isinstance(value, int | float) and not isinstance(value, bool) else 0


def _row(key: str, label: str, bucket: Mapping[str, Any]) -> Row:
    metrics = bucket.get("metrics") or {}
    return Row(
        key=key,
        label=label,
        published=_number(bucket.get("published")),
        failed=_number(bucket.get("failed")),
        pending=_number(bucket.get("pending")),
        metrics={name: _number(metrics.get(name)) for name in reports.METRIC_NAMES},
    )


def network_rows(report: Mapping[str, Any]) -> list[Row]:
    return [_row(key, key, bucket) for key, bucket in (report.get("by_network") or {}).items()]


def pillar_rows(report: Mapping[str, Any]) -> list[Row]:
    labels = dict(Pillar.choices)
    return [
        _row(key, labels.get(key, "Not from a plan" if key == UNKNOWN_PILLAR else key), bucket)
        for key, bucket in (report.get("by_pillar") or {}).items()
    ]


def _hour_label(key: str) -> str:
    """``09:00`` (the report's key for an hour) as ``09:00–09:59``; other keys as they are."""
    if key == "unknown":
        return "No time (not from a plan)"
    if len(key) == 5 and key.endswith(":00") and key[:2].isdigit():
        return f"{key}–{key[:2]}:59"
    return key


def time_rows(report: Mapping[str, Any]) -> list[Row]:
    """The report's own ``by_time`` breakdown (a mapping of label to bucket, or a list of
    buckets naming their time), in its order."""
    found = report.get("by_time")
    rows: list[Row] = []
    if isinstance(found, Mapping):
        for key, bucket in found.items():
            if isinstance(bucket, Mapping):
                rows.append(_row(str(key), _hour_label(str(key)), bucket))
    elif isinstance(found, list):
        for bucket in found:
            if isinstance(bucket, Mapping):
                key = str(bucket.get("time") or bucket.get("hour") or bucket.get("label") or "?")
                rows.append(_row(key, key, bucket))
    return rows


def hour_rows(*, workspace: Workspace, brand: Brand | None, start: date, end: date) -> list[Row]:
    """Posts by the hour of their slot's time of day (the brand's local clock), in one
    aggregate query; for a report that has no ``by_time`` of its own."""
    rows = scoped(Publication, workspace).filter(date__gte=start, date__lte=end)
    if brand is not None:
        rows = rows.filter(brand=brand)
    grouped = (
        rows.annotate(hour=ExtractHour("plan_slot__time_of_day"))
        .values("hour")
        .annotate(
            published=Count("pk", filter=Q(state=State.PUBLISHED)),
            failed=Count("pk", filter=Q(state=State.FAILED)),
            total=Count("pk"),
        )
        .order_by("hour")
    )
    found: list[Row] = []
    for line in grouped:
        hour = line["hour"]
        key = "unknown" if hour is None else f"{hour:02d}:00"
        label = "No time (not from a plan)" if hour is None else f"{hour:02d}:00–{hour:02d}:59"
        pending = line["total"] - line["published"] - line["failed"]
        found.append(Row(key, label, line["published"], line["failed"], pending, {}))
    # Hours first, in order; rows without a time last.
    return sorted(found, key=lambda row: (row.key == "unknown", row.key))


@dataclass(frozen=True)
class Performance:
    report: dict[str, Any]
    by_network: list[Row]
    by_pillar: list[Row]
    by_time: list[Row]
    time_from_report: bool  # whether ``by_time`` came from the report itself

    @property
    def total(self) -> Row:
        return _row("total", "All posts", self.report.get("total") or {})

    @property
    def has_metrics(self) -> bool:
        return any(self.total.metrics.values())


def performance(
    *, workspace: Workspace, brand: Brand | None, start: date, end: date
) -> Performance:
    """The performance report of ``workspace`` (or of one brand) from ``start`` to ``end``."""
    report = reports.performance(brand=brand, workspace=workspace, start=start, end=end)
    from_report = "by_time" in report
    return Performance(
        report=report,
        by_network=network_rows(report),
        by_pillar=pillar_rows(report),
        by_time=time_rows(report)
        if from_report
        else hour_rows(workspace=workspace, brand=brand, start=start, end=end),
        time_from_report=from_report,
    )

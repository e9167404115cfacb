"""Counting an arm's outcomes from what Clarion stores: drafts reviewed, posts published.

Every success metric reads one kind of row (``Metric.source``): writing sessions (the
reviewer's verdicts) or publications (what went out, who approved it, and, once the
networks' numbers are read back into ``Publication.metrics``, engagements out of
impressions). The arm an outcome belongs to is a field of that row (``ARM_FIELDS``).
Adding a metric is one entry in ``clarion.analytics.metrics`` and one branch here.
"""

from __future__ import annotations

from collections import defaultdict
from dataclasses import dataclass, field
from datetime import datetime, time
from typing import Any

from django.db.models import F, Q, QuerySet

from clarion.analytics.metrics import METRICS, Metric
from clarion.analytics.models import ArmKind
from clarion.publishing.models import ErrorKind, Publication, PublicationState
from clarion.writing.models import CompletionReason, IterationSession, SessionStatus, Turn

SCORE_BAR = 0.8  # a review score at or above it counts as a success

# Where each arm kind lives on each source's rows.
ARM_FIELDS: dict[str, dict[str, str]] = {
    "sessions": {
        ArmKind.VARIANT: "variant",
        ArmKind.HOOK_STYLE: "hook_style",
        ArmKind.AGENT: "job__tasks__agent__name",
    },
    "publications": {
        ArmKind.POSTING_TIME: "plan_slot__time_of_day",
        ArmKind.PILLAR: "plan_slot__pillar",
        ArmKind.HOOK_STYLE: "plan_slot__hook",
        ArmKind.VARIANT: "package__session__variant",
    },
}

# Failures of the machinery, not of the content: what the circuit breaker counts.
OPERATIONAL_ERRORS = (ErrorKind.PERMANENT, ErrorKind.REFUSED, ErrorKind.RETRYABLE)
# Posts held back by a reviewer or a person: an approval outcome, not a publishing one.
NOT_PUBLISHING = (ErrorKind.UNAPPROVED, ErrorKind.REJECTED)


@dataclass
class Tally:
    """Successes and trials per arm value, and each arm's trailing operational failures."""

    successes: dict[str, float] = field(default_factory=lambda: defaultdict(float))
    trials: dict[str, float] = field(default_factory=lambda: defaultdict(float))
    failure_streak: dict[str, int] = field(default_factory=lambda: defaultdict(int))

    def add(self, value: str, successes: float, trials: float) -> None:
        self.successes[value] += successes
        self.trials[value] += trials

    def pooled(self) -> tuple[float, float]:
        return sum(self.successes.values()), sum(self.trials.values())


def supports(metric: Metric, arm_kind: str) -> bool:
    return arm_kind in ARM_FIELDS[metric.source]


def arm_key(value: Any) -> str:
    """A stored field value as an arm value: times read ``HH:MM``."""
    if isinstance(value, time):
        return f"{value:%H:%M}"
    return str(value)


def _sessions(workspace_id: int, brand_id: int | None) -> QuerySet[IterationSession]:
    rows = IterationSession.objects.filter(
        workspace_id=workspace_id, status=SessionStatus.COMPLETED
    )
    return rows.filter(brand_id=brand_id) if brand_id is not None else rows


def _publications(workspace_id: int, brand_id: int | None) -> QuerySet[Publication]:
    rows = Publication.objects.filter(brand__workspace_id=workspace_id)
    return rows.filter(brand_id=brand_id) if brand_id is not None else rows


def tally(
    *,
    metric_name: str,
    arm_kind: str,
    workspace_id: int,
    brand_id: int | None,
    since: datetime | None = None,
    until: datetime | None = None,
) -> Tally:
    """Outcomes per arm value on ``metric_name`` (rows created in [since, until))."""
    metric = METRICS[metric_name]
    arm = ARM_FIELDS[metric.source][arm_kind]
    if metric.source == "sessions":
        return _session_tally(metric_name, arm_kind, arm, workspace_id, brand_id, since, until)
    return _publication_tally(metric_name, arm, workspace_id, brand_id, since, until)


def _session_tally(
    metric_name: str,
    arm_kind: str,
    arm: str,
    workspace_id: int,
    brand_id: int | None,
    since: datetime | None,
    until: datetime | None,
) -> Tally:
    """Drafts: the reviewer's verdicts; a session that ended on an error is operational."""
    result = Tally()
    sessions = _sessions(workspace_id, brand_id)
    if arm_kind == ArmKind.AGENT:
        sessions = sessions.filter(job__tasks__role="writer")
    if since is not None:
        sessions = sessions.filter(started_at__gte=since)
    if until is not None:
        sessions = sessions.filter(started_at__lt=until)
    turns = Turn.objects.filter(session__in=sessions.values("pk"))
    good: set[int] = set()
    if metric_name == "first_pass_approval":
        good = set(turns.filter(turn_number=1, approved=True).values_list("session", flat=True))
    elif metric_name == "review_score":
        final = turns.filter(turn_number=F("session__final_turn_number"), score__gte=SCORE_BAR)
        good = set(final.values_list("session", flat=True))
    rows = sessions.values_list("pk", arm, "completion_reason", "started_at").distinct()
    for pk, value, reason, _started in rows.order_by("started_at", "pk"):
        if value in (None, ""):
            continue
        key = arm_key(value)
        if reason == CompletionReason.ERROR:
            result.failure_streak[key] += 1
            continue
        if reason == CompletionReason.CANCELLED:
            continue
        result.failure_streak[key] = 0
        if metric_name == "approval_rate":
            result.add(key, float(reason == CompletionReason.APPROVED), 1)
        else:
            result.add(key, float(pk in good), 1)
    return result


def _publication_tally(
    metric_name: str,
    arm: str,
    workspace_id: int,
    brand_id: int | None,
    since: datetime | None,
    until: datetime | None,
) -> Tally:
    """Posts: what went out, who approved it, and the networks' numbers once read back."""
    result = Tally()
    publications = _publications(workspace_id, brand_id)
    if since is not None:
        publications = publications.filter(created_at__gte=since)
    if until is not None:
        publications = publications.filter(created_at__lt=until)
    ended = Q(state__in=(PublicationState.PUBLISHED, PublicationState.FAILED))
    listed = publications.filter(ended | Q(approved_at__isnull=False)).values_list(
        arm, "state", "error_kind", "approved_at", "metrics"
    )
    for value, state, error_kind, approved_at, metrics in listed.order_by("created_at", "pk"):
        if value in (None, ""):
            continue
        key = arm_key(value)
        if state == PublicationState.FAILED and error_kind in OPERATIONAL_ERRORS:
            result.failure_streak[key] += 1
        elif state == PublicationState.PUBLISHED:
            result.failure_streak[key] = 0
        if metric_name == "publish_success" and error_kind not in NOT_PUBLISHING:
            result.add(key, float(state == PublicationState.PUBLISHED), 1)
        elif metric_name == "human_approval":
            rejected = error_kind == ErrorKind.REJECTED
            if approved_at is not None or rejected:
                result.add(key, float(approved_at is not None), 1)
        elif metric_name == "engagement_rate":
            shown = float((metrics or {}).get("impressions") or 0)
            engaged = float((metrics or {}).get("engagements") or 0)
            if shown > 0:
                result.add(key, min(engaged, shown), shown)
    return result

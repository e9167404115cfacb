"""Pattern detection: what keeps working and what keeps failing, in a workspace.

- **success**: an experiment arm, a writer agent, a hook style, a pillar or a posting
  time with strong evidence of outperforming the others (the posterior machinery of
  ``clarion.analytics.bayes``: the double-down rule, on all outcomes so far);
- **failure**: the same failure again and again: one network's publications failing
  with one error kind, or drafts for one network failing one writing check.

A pattern seen again updates its row (``detection_count`` + 1, fresh evidence and
confidence) instead of adding another; the key says what makes it the same.
``user_repetition`` patterns (repeated commands) share the model and are detected elsewhere.
"""

from __future__ import annotations

from collections import Counter
from dataclasses import dataclass
from typing import Any

import numpy as np
from django.db import transaction
from django.db.models import Count, F
from django.utils import timezone

from clarion.accounts.models import Workspace
from clarion.analytics import bayes
from clarion.analytics.metrics import METRICS
from clarion.analytics.models import ArmKind, Decision, Experiment, Pattern, PatternType, Verdict
from clarion.analytics.outcomes import tally
from clarion.analytics.words import KIND_NOUNS, arm_label
from clarion.brands.models import Brand
from clarion.publishing.models import ErrorKind, Publication, PublicationState
from clarion.writing.models import Turn

REPEATED_FAILURES = 3  # the same failure this many times is a pattern

# The comparisons watched in every brand, whether or not an experiment runs.
DIMENSIONS: tuple[tuple[str, str], ...] = (
    (ArmKind.AGENT, "first_pass_approval"),
    (ArmKind.HOOK_STYLE, "first_pass_approval"),
    (ArmKind.PILLAR, "human_approval"),
    (ArmKind.POSTING_TIME, "engagement_rate"),
)


@dataclass(frozen=True)
class Found:
    key: str
    pattern_type: str
    title: str
    description: str
    confidence: float
    action: str
    evidence: dict[str, Any]


def _from_experiments(workspace: Workspace) -> list[Found]:
    found: list[Found] = []
    for experiment in Experiment.objects.filter(workspace=workspace).order_by("id"):
        decision = Decision.objects.filter(experiment=experiment).order_by("-id").first()
        if decision is None:
            continue
        metric = METRICS[experiment.success_metric]
        for row in decision.evidence.get("arms", []):
            if row.get("verdict") != bayes.DOUBLE_DOWN:
                continue
            doubled = experiment.decision == Verdict.DOUBLE_DOWN
            found.append(
                Found(
                    key=f"success:experiment:{experiment.pk}:{row['arm']}",
                    pattern_type=PatternType.SUCCESS,
                    title=f"{row['label']} wins {experiment.name}"[:200],
                    description=(
                        f"{row['label']} has a {row['p_best']:.0%} chance to be the best on "
                        f"{metric.label}: {int(row['successes'])} of {int(row['trials'])} "
                        f"{metric.unit}s."
                    ),
                    confidence=float(row["p_best"]),
                    action="Doubled down: it gets the coming slots." if doubled else "",
                    evidence={"experiment": experiment.pk, "decision": decision.pk, **row},
                )
            )
    return found


def _from_dimensions(brand: Brand) -> list[Found]:
    found: list[Found] = []
    for kind, metric_name in DIMENSIONS:
        metric = METRICS[metric_name]
        counts = tally(
            metric_name=metric_name,
            arm_kind=kind,
            workspace_id=brand.workspace_id,
            brand_id=brand.pk,
        )
        values = [v for v, n in counts.trials.items() if n >= metric.rules.min_trials]
        if len(values) < 2:
            continue
        successes = [counts.successes[v] for v in values]
        trials = [counts.trials[v] for v in values]
        prior = bayes.prior_from_history(
            sum(successes), sum(trials), weight=metric.rules.prior_trials
        )
        evidence = bayes.evaluate(successes, trials, prior=prior)
        verdicts = bayes.decide(evidence, metric.rules, prior=prior)
        for i in np.flatnonzero(verdicts == bayes.DOUBLE_DOWN):
            value, noun = values[i], KIND_NOUNS[ArmKind(kind)]
            label = arm_label(kind, value)
            found.append(
                Found(
                    key=f"success:{brand.pk}:{kind}:{metric_name}:{value}"[:200],
                    pattern_type=PatternType.SUCCESS,
                    title=f"{label} works best for {brand.brand_name}"[:200],
                    description=(
                        f"Of {len(values)} {noun}s, {label} has a {evidence.p_best[i]:.0%} chance to "
                        f"be the best on {metric.label} ({int(successes[i])} of {int(trials[i])} "
                        f"{metric.unit}s)."
                    ),
                    confidence=float(evidence.p_best[i]),
                    action="",
                    evidence={
                        "brand": brand.pk,
                        "kind": kind,
                        "metric": metric_name,
                        "arms": {
                            v: [s, n] for v, s, n in zip(values, successes, trials, strict=True)
                        },
                    },
                )
            )
    return found


def _failures(workspace: Workspace) -> list[Found]:
    found: list[Found] = []
    publications = Publication.objects.filter(brand__workspace=workspace)
    attempts = Counter(
        dict(
            ((row["brand"], row["network"]), row["n"])
            for row in publications.exclude(state=PublicationState.PENDING)
            .values("brand", "network")
            .annotate(n=Count("pk"))
        )
    )
    failed = (
        publications.filter(state=PublicationState.FAILED)
        .exclude(error_kind=ErrorKind.NONE)
        .values("brand", "brand__brand_name", "network", "error_kind")
        .annotate(n=Count("pk"))
    )
    for row in failed:
        if row["n"] < REPEATED_FAILURES:
            continue
        kind = ErrorKind(row["error_kind"]).label
        total = attempts[(row["brand"], row["network"])] or row["n"]
        found.append(
            Found(
                key=f"failure:publish:{row['brand']}:{row['network']}:{row['error_kind']}",
                pattern_type=PatternType.FAILURE,
                title=f"{row['network']} keeps failing for {row['brand__brand_name']}"[:200],
                description=f"{row['n']} of {total} {row['network']} posts failed: {kind.lower()}.",
                confidence=round(row["n"] / total, 3),
                action="",
                evidence={"brand": row["brand"], "network": row["network"], **row},
            )
        )
    checks: Counter[tuple[str, str]] = Counter()
    turns = Turn.objects.filter(session__workspace=workspace).exclude(check_failures=[])
    for platform, failures in turns.values_list("session__platform", "check_failures"):
        for code in {str(f.get("code", "")) for f in failures or [] if isinstance(f, dict)}:
            checks[(platform or "any network", code)] += 1
    drafts: Counter[str] = Counter()
    per_platform = Turn.objects.filter(session__workspace=workspace).values("session__platform")
    for platform_row in per_platform.annotate(n=Count("pk")):
        drafts[platform_row["session__platform"] or "any network"] += platform_row["n"]
    for (platform, code), count in sorted(checks.items()):
        if count < REPEATED_FAILURES or not code:
            continue
        total = max(drafts[platform], count)
        found.append(
            Found(
                key=f"failure:check:{platform}:{code}"[:200],
                pattern_type=PatternType.FAILURE,
                title=f"{platform} drafts keep failing the {code.replace('_', ' ')} check"[:200],
                description=f"{count} of {total} drafts for {platform} failed the check {code!r}.",
                confidence=round(min(count / total, 1.0), 3),
                action="The writer is told the rule again on every retry.",
                evidence={"platform": platform, "code": code, "count": count, "drafts": total},
            )
        )
    return found


def detect_patterns(*, workspace: Workspace) -> list[Pattern]:
    """Detect the workspace's success and failure patterns now; return those seen this time."""
    found = _from_experiments(workspace) + _failures(workspace)
    for brand in Brand.objects.filter(workspace=workspace).order_by("id"):
        found += _from_dimensions(brand)
    seen: list[Pattern] = []
    with transaction.atomic():
        for item in found:
            values = {
                "pattern_type": item.pattern_type,
                "title": item.title,
                "description": item.description,
                "confidence_score": min(max(item.confidence, 0.0), 1.0),
                "evidence": item.evidence,
            }
            pattern, created = Pattern.objects.select_for_update().get_or_create(
                workspace=workspace, key=item.key, defaults={**values, "action_taken": item.action}
            )
            if not created:
                Pattern.objects.filter(pk=pattern.pk).update(
                    detection_count=F("detection_count") + 1,
                    action_taken=item.action or pattern.action_taken,
                    last_detected_at=timezone.now(),
                    **values,
                )
                pattern.refresh_from_db()
            seen.append(pattern)
    return seen

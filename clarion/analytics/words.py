"""Decisions in words a marketer reads: what won, how sure, what happens next."""

from __future__ import annotations

from typing import Any

from clarion.analytics.metrics import Metric
from clarion.analytics.models import ArmKind, Experiment, Rule, Verdict

KIND_NOUNS: dict[str, str] = {
    ArmKind.VARIANT: "variant",
    ArmKind.HOOK_STYLE: "hook style",
    ArmKind.POSTING_TIME: "posting time",
    ArmKind.PILLAR: "pillar",
    ArmKind.AGENT: "agent",
}


def arm_label(arm_kind: str, value: str) -> str:
    if arm_kind == ArmKind.VARIANT:
        return f"variant {value}"
    if arm_kind == ArmKind.POSTING_TIME:
        return f"posting at {value}"
    return value


def _count(row: dict[str, Any], unit: str) -> str:
    trials = int(row["trials"])
    return f"{int(row['successes']):,} of {trials:,} {unit}{'' if trials == 1 else 's'}"


def decision_sentence(
    experiment: Experiment,
    metric: Metric,
    verdict: str,
    rows: list[dict[str, Any]],
    *,
    rule: str = Rule.BAYESIAN,
) -> str:
    """One or two sentences: the decision, its reason in numbers, and what Clarion does now."""
    noun = KIND_NOUNS.get(ArmKind(experiment.arm_kind), "arm")
    if not rows:
        return "No arms to compare."
    lead = max(rows, key=lambda r: r["p_best"])
    if rule == Rule.CIRCUIT_BREAKER:
        stopped = [r["label"] for r in rows if r["circuit_breaker"]]
        streak = max(r["operational_failures_in_a_row"] for r in rows if r["circuit_breaker"])
        return (
            f"Circuit breaker: {', '.join(stopped)} failed {streak} times in a row for an "
            "operational reason (a publishing or writing error, not a result); "
            f"{'it gets' if len(stopped) == 1 else 'they get'} no more posts until the error is fixed."
        )
    if sum(r["trials"] for r in rows) == 0:
        return f"Keep testing: no {metric.unit} measured yet for “{metric.label}”."
    if verdict == Verdict.DOUBLE_DOWN:
        follow = (
            "new plan slots go to it"
            if experiment.arm_kind == ArmKind.POSTING_TIME
            else "use it for more posts"
        )
        return (
            f"Double down on {lead['label']}: it has a {lead['p_best']:.0%} chance to be the best "
            f"{noun} on {metric.label} ({_count(lead, metric.unit)}, about "
            f"{lead['posterior_mean']:.1%}); {follow}."
        )
    killed = [r for r in rows if r["verdict"] == "kill"]
    if verdict == Verdict.KILL and killed:
        names = ", ".join(r["label"] for r in killed)
        worst = max(killed, key=lambda r: r["p_below_best"])
        return (
            f"Stop {names}: {worst['p_below_best']:.0%} likely to do worse than {lead['label']} on "
            f"{metric.label} ({_count(worst, metric.unit)} against {_count(lead, metric.unit)}). "
            "The other arms keep running."
        )
    thin = [r["label"] for r in rows if r["trials"] < metric.rules.min_trials]
    if thin:
        return (
            f"Keep testing: {', '.join(thin)} {'has' if len(thin) == 1 else 'have'} fewer than "
            f"{metric.rules.min_trials:,.0f} {metric.unit}s so far; {lead['label']} leads with a "
            f"{lead['p_best']:.0%} chance to be the best {noun}."
        )
    return (
        f"Keep testing: {lead['label']} leads on {metric.label} with a {lead['p_best']:.0%} chance to "
        f"be the best {noun}, not yet the 95% needed to double down."
    )

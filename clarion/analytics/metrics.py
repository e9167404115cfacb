"""The success metrics an experiment can be judged on, and the rules of each.

A metric is a rate: successes out of trials, counted from stored outcomes
(``clarion.analytics.outcomes``). Until engagement metrics are read back from the
networks, reviewed drafts and publications are what Clarion has: the reviewer's
approval at the first turn, approval at all, the review score, a person's approval,
a publication that went out. ``engagement_rate`` reads the publications' metrics
(engagements out of impressions) as soon as they are stored there.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Literal

from clarion.analytics.bayes import Rules

Source = Literal["sessions", "publications"]


@dataclass(frozen=True)
class Metric:
    name: str
    label: str  # what a marketer reads: "first-pass approval"
    source: Source
    unit: str  # what one trial is: "draft", "impression"
    rules: Rules


# Reviewed drafts are few (tens a month): the minimum sample is small and ε wide.
_DRAFTS = Rules(min_trials=12, loss_tolerance=0.05)

METRICS: dict[str, Metric] = {
    m.name: m
    for m in (
        Metric(
            "first_pass_approval",
            "approval by the reviewer at the first draft",
            "sessions",
            "draft",
            _DRAFTS,
        ),
        Metric("approval_rate", "approval by the reviewer", "sessions", "draft", _DRAFTS),
        Metric("review_score", "review score of 0.8 or more", "sessions", "draft", _DRAFTS),
        Metric("human_approval", "approval by a person", "publications", "post", _DRAFTS),
        Metric(
            "publish_success", "posts published without an error", "publications", "post", _DRAFTS
        ),
        Metric(
            "engagement_rate",
            "engagement rate",
            "publications",
            "impression",
            Rules(min_trials=3000, loss_tolerance=0.0005, prior_trials=500),
        ),
    )
}

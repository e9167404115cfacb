"""Pages of the publishing app: ``approvals`` (the queue), ``day`` (a day's run) and
``analytics`` (yesterday and a period's report)."""

from clarion.publishing.views.analytics import show_analytics
from clarion.publishing.views.approvals import (
    approve_publication,
    approve_selected,
    list_approvals,
    reject_publication,
)
from clarion.publishing.views.day import retry_failed, run_day, show_day

__all__ = [
    "approve_publication",
    "approve_selected",
    "list_approvals",
    "reject_publication",
    "retry_failed",
    "run_day",
    "show_analytics",
    "show_day",
]

"""Publishing actions, one import away: the orchestrator, retries, reports, retention."""

from __future__ import annotations

from clarion.publishing.orchestrator import publish_due, retry_failed, run_daily
from clarion.publishing.reports import day_status, performance, run_summary, yesterday
from clarion.publishing.retention import purge_old_records

__all__ = [
    "day_status",
    "performance",
    "publish_due",
    "purge_old_records",
    "retry_failed",
    "run_daily",
    "run_summary",
    "yesterday",
]

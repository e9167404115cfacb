"""Retention (seed 002): packages, logs and JSON artefacts go after CLARION_RETENTION_DAYS.

Publication rows (the ledger) and their metrics are kept: they are what proves a
slot was published, and what analytics learns from.
"""

from __future__ import annotations

import shutil
from datetime import date, timedelta

from django.conf import settings
from django.db import transaction
from django.utils import timezone

from clarion.agents.models import AgentCall
from clarion.publishing.connectors.outbox import outbox_dir
from clarion.publishing.models import DailyContentPackage, DailyRun


def purge_old_records(*, days: int | None = None) -> dict[str, int]:
    """Delete what is older than ``days`` (default CLARION_RETENTION_DAYS); return counts."""
    keep = settings.CLARION_RETENTION_DAYS if days is None else days
    cutoff = timezone.now() - timedelta(days=keep)
    with transaction.atomic():
        packages, _ = DailyContentPackage.objects.filter(created_at__lt=cutoff).delete()
        runs, _ = DailyRun.objects.filter(started_at__lt=cutoff).delete()
        calls, _ = AgentCall.objects.filter(created_at__lt=cutoff).delete()
    files = 0
    oldest_kept = cutoff.date()
    root = outbox_dir()
    if root.is_dir():
        for folder in root.iterdir():
            try:
                day = date.fromisoformat(folder.name)
            except ValueError:
                continue  # not one of ours
            if folder.is_dir() and day < oldest_kept:
                files += sum(1 for _ in folder.glob("*.json"))
                shutil.rmtree(folder, ignore_errors=True)
    return {"packages": packages, "runs": runs, "agent_calls": calls, "outbox_files": files}

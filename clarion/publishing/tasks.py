"""Background work for publishing (run by ``clarion worker``); each task reloads its rows."""

from __future__ import annotations

from django_tasks import task

from clarion.publishing.models import DailyRun, RunStatus
from clarion.publishing.orchestrator import publish_due, run_daily


@task()
def run_scheduled_day(run_id: int) -> str:
    """Run a brand's scheduled daily orchestration; a finished run is not run again."""
    run = DailyRun.objects.filter(pk=run_id).select_related("brand").first()
    if run is None or run.brand is None:
        return "missing"
    if run.status != RunStatus.RUNNING:
        return "already finished"
    run = run_daily(
        date=run.date,
        brands=[run.brand],
        trigger=run.trigger,
        respect_schedule=True,
        run=run,
        wait_for_deferred=0,  # the heartbeat comes back for deferred rows
    )
    return f"{run.counts.get('published', 0)} published, {run.counts.get('scheduled', 0)} scheduled"


@task()
def publish_due_task() -> str:
    """Publish what is due now and recover abandoned or unknown rows (claims are atomic)."""
    outcomes = publish_due()
    return ", ".join(f"{v} {k}" for k, v in outcomes.items()) or "nothing due"

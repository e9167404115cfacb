"""The worker's clock: each brand's daily run at its local time, due posts, retention.

``tick()`` runs on every heartbeat of every ``clarion worker``. "Once a day" is a
row: a scheduled DailyRun is unique per (brand, local date) and the retention
run per date, so when several workers tick at once exactly one enqueues.
"""

from __future__ import annotations

import logging
from datetime import datetime, timedelta

from django.conf import settings
from django.db import IntegrityError, transaction
from django.utils import timezone

from clarion.brands.models import Brand
from clarion.planning.models import PlanSlot
from clarion.publishing.models import DailyRun, Publication, RunStatus, RunTrigger
from clarion.publishing.orchestrator import due_filter
from clarion.publishing.retention import purge_old_records
from clarion.publishing.slots import brand_zone

logger = logging.getLogger(__name__)


def schedule_daily_runs(*, now: datetime | None = None) -> list[int]:
    """Enqueue the daily run of every brand whose local run time has come today."""
    from clarion.publishing.tasks import run_scheduled_day

    now = now or timezone.now()
    utc_day = now.date()
    days = [utc_day - timedelta(days=1), utc_day, utc_day + timedelta(days=1)]
    with_slots = set(
        PlanSlot.objects.filter(plan__is_active=True, date__in=days)
        .values_list("plan__brand_id", "date")
        .distinct()
    )
    done = set(
        DailyRun.objects.filter(trigger=RunTrigger.SCHEDULE, date__in=days).values_list(
            "brand_id", "date"
        )
    )
    queued: list[int] = []
    brand_ids = {b for b, _ in with_slots}
    for brand in Brand.objects.filter(pk__in=brand_ids).only(
        "pk", "workspace_id", "timezone", "daily_run_time"
    ):
        local = now.astimezone(brand_zone(brand))
        key = (brand.pk, local.date())
        if key not in with_slots or key in done or local.time() < brand.daily_run_time:
            continue
        try:
            with transaction.atomic():
                run = DailyRun.objects.create(
                    brand=brand,
                    workspace_id=brand.workspace_id,
                    date=local.date(),
                    trigger=RunTrigger.SCHEDULE,
                )
                run_scheduled_day.enqueue(run.pk)
        except IntegrityError:
            continue  # another worker scheduled it first
        queued.append(run.pk)
    return queued


def requeue_stale_runs(*, now: datetime | None = None) -> list[int]:
    """A scheduled run whose worker died is queued again (the orchestrator is idempotent)."""
    from clarion.publishing.tasks import run_scheduled_day

    now = now or timezone.now()
    cutoff = now - timedelta(seconds=settings.CLARION_PUBLISH_LEASE_SECONDS)
    stale = DailyRun.objects.filter(
        trigger=RunTrigger.SCHEDULE, status=RunStatus.RUNNING, started_at__lt=cutoff
    )
    queued: list[int] = []
    for run_id in stale.values_list("pk", flat=True):
        with transaction.atomic():
            if DailyRun.objects.filter(
                pk=run_id, status=RunStatus.RUNNING, started_at__lt=cutoff
            ).update(started_at=now):
                run_scheduled_day.enqueue(run_id)
                queued.append(run_id)
    return queued


def run_retention(*, now: datetime | None = None) -> dict[str, int] | None:
    """Today's retention clean-up, once across all workers (a row per date says it ran)."""
    day = (now or timezone.now()).date()
    if DailyRun.objects.filter(trigger=RunTrigger.RETENTION, date=day).exists():
        return None
    try:
        with transaction.atomic():
            run = DailyRun.objects.create(date=day, trigger=RunTrigger.RETENTION)
    except IntegrityError:
        return None  # another worker has it
    counts = purge_old_records()
    DailyRun.objects.filter(pk=run.pk).update(
        status=RunStatus.DONE, counts=counts, finished_at=timezone.now()
    )
    return counts


def schedule_due_publications(*, now: datetime | None = None) -> bool:
    """Queue one publish-due task when posts are due (or abandoned) and none is waiting."""
    from django_tasks_db.models import DBTaskResult

    from clarion.publishing.tasks import publish_due_task

    now = now or timezone.now()
    if not Publication.objects.filter(due_filter(now)).exists():
        return False
    waiting = DBTaskResult.objects.filter(
        status="READY", task_path=f"{publish_due_task.module_path}"
    )
    if waiting.exists():
        return False
    publish_due_task.enqueue()
    return True


def tick(*, now: datetime | None = None) -> dict[str, object]:
    """One beat of the clock: schedule, recover, queue due posts, clean up.

    Writing and publishing run as tasks, one at a time per worker; only the
    daily clean-up (a few DELETEs) runs here.
    """
    return {
        "scheduled": schedule_daily_runs(now=now),
        "requeued": requeue_stale_runs(now=now),
        "retention": run_retention(now=now),
        "publishing": schedule_due_publications(now=now),
    }

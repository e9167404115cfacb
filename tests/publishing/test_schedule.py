"""The worker's clock: each brand's run at its local time, once; due posts; retention."""

from __future__ import annotations

import datetime as dt
import json
from datetime import UTC, datetime, timedelta

import pytest
from django.db import connection
from django.utils import timezone
from django_tasks_db.models import DBTaskResult

from clarion.core.worker import run_worker
from clarion.publishing.models import DailyContentPackage, DailyRun, OutboxPost, Publication
from clarion.publishing.retention import purge_old_records
from clarion.publishing.schedule import run_retention, schedule_daily_runs, tick
from clarion.publishing.services import publish_due, run_daily
from tests.publishing.helpers import DAY, make_plan


def paris_brand(brand):
    brand.timezone = "Europe/Paris"
    brand.daily_run_time = dt.time(8, 0)
    brand.save()
    return brand


@pytest.mark.django_db
def test_a_brand_runs_once_a_day_at_its_local_time(brand):
    paris_brand(brand)
    make_plan(brand)
    before = datetime(2026, 3, 10, 6, 59, tzinfo=UTC)  # 07:59 in Paris
    at = datetime(2026, 3, 10, 7, 0, tzinfo=UTC)  # 08:00 in Paris

    assert schedule_daily_runs(now=before) == []
    queued = schedule_daily_runs(now=at)
    assert len(queued) == 1
    assert schedule_daily_runs(now=at + timedelta(hours=3)) == []

    run = DailyRun.objects.get(pk=queued[0])
    assert (run.brand, run.date, run.trigger) == (brand, DAY, "schedule")
    assert DBTaskResult.objects.get().args_kwargs["args"] == [run.pk]


@pytest.mark.django_db
def test_the_local_date_decides_which_day_runs(brand):
    brand.timezone = "Pacific/Auckland"  # UTC+13 in March
    brand.daily_run_time = dt.time(6, 0)
    brand.save()
    make_plan(brand, day=DAY + timedelta(days=1))

    # 18:00 UTC on the 10th is 07:00 on the 11th in Auckland.
    queued = schedule_daily_runs(now=datetime(2026, 3, 10, 18, 0, tzinfo=UTC))

    assert DailyRun.objects.get(pk=queued[0]).date == DAY + timedelta(days=1)


@pytest.mark.django_db
def test_a_brand_without_slots_that_day_is_not_scheduled(brand):
    make_plan(brand, day=DAY + timedelta(days=5))
    assert schedule_daily_runs(now=datetime(2026, 3, 10, 12, 0, tzinfo=UTC)) == []


@pytest.mark.django_db
def test_a_scheduled_run_writes_now_and_publishes_each_post_at_its_time(brand):
    paris_brand(brand)
    make_plan(brand)  # LinkedIn 09:00, Facebook 10:00, X 11:00 Paris time
    from clarion.publishing.tasks import run_scheduled_day

    schedule_daily_runs(now=datetime(2026, 3, 10, 7, 0, tzinfo=UTC))
    # Run the task as the worker would, with the clock at 09:30 Paris time.
    run = DailyRun.objects.get()
    clock = datetime(2026, 3, 10, 8, 30, tzinfo=UTC)
    with pytest.MonkeyPatch.context() as patch:
        patch.setattr(timezone, "now", lambda: clock)
        run_scheduled_day.call(run.pk)
    states = dict(Publication.objects.values_list("network", "state"))
    assert states == {"LinkedIn": "published", "Facebook": "pending", "X": "pending"}
    assert all(Publication.objects.values_list("content", flat=True))  # written already

    assert publish_due(now=datetime(2026, 3, 10, 9, 0, tzinfo=UTC)) == {"published": 1}
    assert publish_due(now=datetime(2026, 3, 10, 9, 30, tzinfo=UTC)) == {}
    assert publish_due(now=datetime(2026, 3, 10, 10, 0, tzinfo=UTC)) == {"published": 1}
    assert set(Publication.objects.values_list("state", flat=True)) == {"published"}
    assert OutboxPost.objects.count() == 3
    assert DailyRun.objects.get(pk=run.pk).status == "done"


@pytest.mark.django_db(transaction=True)
def test_the_worker_runs_a_scheduled_day(brand):
    if connection.vendor == "sqlite" and connection.is_in_memory_db():
        # Its heartbeat thread and its tasks share one in-memory database, which locks
        # instead of waiting; test_concurrency runs `clarion worker` on a SQLite file.
        pytest.skip("threads need PostgreSQL or a SQLite file (CLARION_TEST_FILE_DB=1)")
    brand.daily_run_time = dt.time(0, 0)
    brand.save()
    today = timezone.localdate()
    make_plan(brand, day=today, at=dt.time(0, 0))

    schedule_daily_runs()
    run_worker(queues=["default"], interval=0.1, batch=True, max_tasks=None)

    assert Publication.objects.filter(date=today, state="published").count() == 3
    assert DailyRun.objects.get(trigger="schedule").counts["published"] == 3


@pytest.mark.django_db
def test_retention_deletes_old_packages_and_files_and_keeps_the_ledger(brand, settings):
    settings.CLARION_RETENTION_DAYS = 90
    old_day = timezone.localdate() - timedelta(days=120)
    make_plan(brand, day=old_day)
    run_daily(date=old_day)
    DailyContentPackage.objects.update(created_at=timezone.now() - timedelta(days=120))
    DailyRun.objects.update(started_at=timezone.now() - timedelta(days=120))
    recent = timezone.localdate()
    make_plan(brand, day=recent)
    run_daily(date=recent)
    outbox = settings.CLARION_HOME / "outbox"
    (outbox / "notes").mkdir()  # not ours: left alone

    counts = purge_old_records()

    assert counts["packages"] == 3
    assert counts["outbox_files"] == 3
    assert not (outbox / old_day.isoformat()).exists()
    assert len(list((outbox / recent.isoformat()).glob("*.json"))) == 3
    assert (outbox / "notes").exists()
    assert DailyContentPackage.objects.count() == 3
    assert Publication.objects.count() == 6  # the ledger stays, old rows included
    assert Publication.objects.filter(date=old_day, state="published").count() == 3
    assert json.loads(next((outbox / recent.isoformat()).glob("*.json")).read_text())["text"]


@pytest.mark.django_db
def test_retention_runs_once_a_day():
    now = datetime(2026, 3, 10, 3, 0, tzinfo=UTC)
    assert run_retention(now=now) == {
        "packages": 0,
        "runs": 0,
        "agent_calls": 0,
        "outbox_files": 0,
    }
    assert run_retention(now=now + timedelta(hours=5)) is None
    assert DailyRun.objects.get(trigger="retention").status == "done"


@pytest.mark.django_db
def test_the_clock_queues_due_posts_once_until_a_worker_takes_them(brand):
    make_plan(brand)
    run_daily(date=DAY, dry_run=True)
    before = datetime(2026, 3, 10, 7, 0, tzinfo=UTC)
    assert tick(now=before)["publishing"] is False  # no ledger rows yet
    schedule_daily_runs(now=datetime(2026, 3, 10, 8, 0, tzinfo=UTC))
    from clarion.publishing.tasks import run_scheduled_day

    with pytest.MonkeyPatch.context() as patch:
        patch.setattr(timezone, "now", lambda: datetime(2026, 3, 10, 8, 0, tzinfo=UTC))
        run_scheduled_day.call(DailyRun.objects.get(trigger="schedule").pk)
    assert set(Publication.objects.values_list("state", flat=True)) == {"pending"}

    due = datetime(2026, 3, 10, 12, 0, tzinfo=UTC)
    assert tick(now=due)["publishing"] is True
    assert tick(now=due)["publishing"] is False  # one is waiting already
    assert DBTaskResult.objects.filter(task_path__endswith="publish_due_task").count() == 1

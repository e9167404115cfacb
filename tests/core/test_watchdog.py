"""The watchdog: /health and `clarion doctor` say when the worker is down or posts are overdue."""

from __future__ import annotations

from datetime import timedelta

import pytest
from django.utils import timezone

from clarion.core import watchdog
from clarion.publishing import orchestrator
from clarion.publishing.models import Publication
from tests.factories import make_worker
from tests.publishing.helpers import DAY, make_plan

pytestmark = pytest.mark.django_db


def _ledger_rows(brand) -> None:
    """The day's ledger rows, as a run stores them before any work."""
    make_plan(brand)
    works = orchestrator._works(
        orchestrator.day_slots(day=DAY),
        orchestrator.ensure_accounts({(brand.pk, n) for n in ("LinkedIn", "Facebook", "X")}),
    )
    orchestrator._ensure_ledger(works)


def test_health_is_ok_with_a_running_worker_and_nothing_overdue(anonymous_client):
    make_worker("w-1", seconds_ago=2)

    response = anonymous_client.get("/health")

    assert response.status_code == 200
    body = response.json()
    assert body["status"] == "ok" and body["worker"]["status"] == "running"
    assert body["overdue_publications"] == 0
    assert "w-1" not in response.content.decode()  # open to anyone: no names


@pytest.mark.parametrize(
    ("seconds_ago", "stopped", "status"),
    [(None, False, "never"), (600, False, "silent"), (5, True, "stopped")],
)
def test_health_is_503_when_no_worker_runs(anonymous_client, seconds_ago, stopped, status):
    if seconds_ago is not None:
        make_worker("w-1", seconds_ago=seconds_ago, stopped=stopped)

    response = anonymous_client.get("/health")

    assert response.status_code == 503
    assert response.json()["worker"]["status"] == status
    # A load balancer checking this process alone still gets a 200.
    assert anonymous_client.get("/health?only=database").status_code == 200


def test_posts_due_longer_ago_than_the_limit_and_not_published_are_overdue(
    anonymous_client, brand, settings
):
    settings.CLARION_OVERDUE_MINUTES = 15
    make_worker("w-1", seconds_ago=1)
    _ledger_rows(brand)
    now = timezone.now()
    rows = list(Publication.objects.order_by("network"))
    Publication.objects.filter(pk=rows[0].pk).update(scheduled_at=now - timedelta(minutes=20))
    Publication.objects.filter(pk=rows[1].pk).update(
        scheduled_at=now - timedelta(minutes=20), state="published"
    )
    Publication.objects.filter(pk=rows[2].pk).update(scheduled_at=now - timedelta(minutes=5))

    assert watchdog.overdue_count() == 1  # not the published one, not the one due 5 min ago
    response = anonymous_client.get("/health")
    assert response.status_code == 503
    assert response.json()["overdue_publications"] == 1


def test_doctor_shows_overdue_posts_as_a_problem(brand, settings):
    from typer.testing import CliRunner

    from clarion.cli import app

    settings.CLARION_LLM = "offline"
    make_worker("w-1", seconds_ago=1)
    _ledger_rows(brand)
    Publication.objects.update(scheduled_at=timezone.now() - timedelta(hours=2))

    result = CliRunner().invoke(app, ["doctor"], env={"COLUMNS": "200"})

    line = next(x for x in result.output.splitlines() if "publishing" in x)
    assert "problem" in line and "3 post(s) due more than 15 min ago" in line, result.output
    assert result.exit_code == 1

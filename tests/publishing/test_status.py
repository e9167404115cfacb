"""Saying the truth: what a run did and what is not done yet, in the CLI and the API."""

from __future__ import annotations

import json
import sys
from datetime import timedelta

import pytest
from django.utils import timezone

from clarion.publishing.models import Publication
from clarion.publishing.reports import day_status, run_summary
from clarion.publishing.services import run_daily
from tests.publishing.helpers import DAY, make_plan, use_fake_network
from tests.publishing.test_cli import clarion, env, run  # noqa: F401  (the env fixture)

pytestmark = pytest.mark.django_db


def hold(rows, *, by: str = "host-1-4242-dead", seconds: float = 45) -> None:
    Publication.objects.filter(pk__in=[r.pk for r in rows]).update(
        state="claimed",
        claimed_by=by,
        claim_token="someone-elses",
        lease_expires_at=timezone.now() + timedelta(seconds=seconds),
    )


def test_after_a_crash_a_run_says_which_rows_are_held_and_when_they_come_back(brand):
    make_plan(brand)
    run_daily(date=DAY, dry_run=True)
    from clarion.publishing import orchestrator

    works = orchestrator._works(
        orchestrator.day_slots(day=DAY),
        orchestrator.ensure_accounts({(brand.pk, n) for n in ("LinkedIn", "Facebook", "X")}),
    )
    orchestrator._ensure_ledger(works)
    hold(Publication.objects.filter(network__in=["LinkedIn", "X"]))

    result = run_daily(date=DAY)

    summary = run_summary(result)
    assert result.counts == {"slots": 3, "published": 1, "held_elsewhere": 2}
    assert summary.startswith("Published 1 new post. Not done yet: 2 held by another process")
    assert "Nothing new" not in summary and "Done" not in summary
    status = day_status(day=DAY)
    assert {r.network for r in status.attention.held} == {"LinkedIn", "X"}


def test_a_run_with_failures_never_says_done(brand, network):
    make_plan(brand, networks=("LinkedIn", "X"))
    use_fake_network(brand, network)
    network.fail_next(422)

    first = run_daily(date=DAY)
    again = run_daily(date=DAY)

    assert "1 failed (clarion retry --date 2026-03-10)" in run_summary(first)
    assert "Not done yet: 1 failed" in run_summary(again)
    assert "Nothing new to publish" not in run_summary(again)


def test_status_lists_deferred_rows_with_their_time_and_reason(brand, network):
    make_plan(brand, networks=("LinkedIn",))
    use_fake_network(brand, network)
    network.fail_next(429, reset_seconds=300)

    result = run_daily(date=DAY, wait_for_deferred=0)

    summary = run_summary(result)
    assert "Not done yet: 1 deferred (rate limit or retry) until " in summary
    [row] = day_status(day=DAY).attention.deferred
    assert "HTTP 429" in row.error


def test_the_status_command_explains_every_row_that_is_not_done(env, tmp_path):  # noqa: F811
    setup = run(env, sys.executable, "-m", "tests.publishing.scenario", "setup", "--brands", "1")
    assert setup.returncode == 0, setup.stderr
    assert clarion(env, "run-daily", "--date", "2026-03-10").returncode == 0
    # Rewind two rows in that database: one failed, one held by a process that died.
    script = (
        "from clarion import bootstrap; bootstrap.ensure_database();"
        "from django.utils import timezone; from datetime import timedelta;"
        "from clarion.publishing.models import Publication as P;"
        "P.objects.filter(network='X').update(state='failed', error_kind='permanent',"
        " error='publish: HTTP 401 The access token is invalid');"
        "P.objects.filter(network='Facebook').update(state='claimed', claimed_by='box-77-dead',"
        " claim_token='t', lease_expires_at=timezone.now() + timedelta(seconds=40))"
    )
    assert run(env, sys.executable, "-c", script).returncode == 0

    text = clarion(env, "status", "--date", "2026-03-10")
    data = clarion(env, "status", "--date", "2026-03-10", "--json")

    assert text.returncode == 0, text.stderr
    assert "1 published, 1 claimed, 1 failed" in text.stdout
    assert "held by box-77-dead; if that process is gone it is recovered after" in text.stdout
    assert "HTTP 401 The access token is invalid" in text.stdout
    assert "clarion retry --date 2026-03-10" in text.stdout
    status = json.loads(data.stdout)
    assert [r["network"] for r in status["attention"]["failed"]] == ["X"]
    assert status["attention"]["held"][0]["claimed_by"] == "box-77-dead"

    retried = clarion(env, "retry", "--date", "2026-03-10", "--platform", "X")
    assert retried.returncode == 0, retried.stderr
    assert "Published 1 new post. Done: every retried post is published." in retried.stdout
    day = clarion(env, "run-daily", "--date", "2026-03-10")
    assert "Not done yet: 1 held by another process (recovered after" in day.stdout
    assert "Nothing new" not in day.stdout and "Done" not in day.stdout

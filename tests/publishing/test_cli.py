"""`clarion run-daily` as a user runs it: a real process on a fresh CLARION_HOME."""

from __future__ import annotations

import json
import os
import sqlite3
import subprocess
import sys
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parents[2]


@pytest.fixture
def env(tmp_path) -> dict[str, str]:
    environ = {k: v for k, v in os.environ.items() if not k.startswith(("CLARION_", "DATABASE_"))}
    environ.update(
        CLARION_HOME=str(tmp_path),
        CLARION_LLM="offline",
        CLARION_LOG_LEVEL="ERROR",
        PYTHONPATH=str(ROOT),
        COLUMNS="120",
    )
    return environ


def run(env: dict[str, str], *args: str) -> subprocess.CompletedProcess[str]:
    return subprocess.run(
        args, env=env, cwd=ROOT, capture_output=True, text=True, timeout=120, check=False
    )


def clarion(env: dict[str, str], *args: str) -> subprocess.CompletedProcess[str]:
    return run(env, sys.executable, "-m", "clarion", *args)


def test_run_daily_publishes_the_day_once_and_says_so(env):
    setup = run(env, sys.executable, "-m", "tests.publishing.scenario", "setup", "--brands", "2")
    assert setup.returncode == 0, setup.stderr

    dry = clarion(env, "run-daily", "--date", "2026-03-10", "--dry-run")
    first = clarion(env, "run-daily", "--date", "2026-03-10", "--platform", "linkedin")
    rest = clarion(env, "run-daily", "--date", "2026-03-10")
    again = clarion(env, "run-daily", "--date", "2026-03-10")

    assert dry.returncode == 0, dry.stderr
    assert "Dry run: 6 posts written and checked, nothing published." in dry.stdout
    assert "Published 2 new posts. Done: every LinkedIn slot of 2026-03-10 is published." in (
        first.stdout
    )
    assert "Published 4 new posts. Done: every slot of 2026-03-10 is published." in rest.stdout
    assert "LinkedIn" in rest.stdout and "Facebook" in rest.stdout
    assert "Nothing new to publish: every slot of 2026-03-10 was published already." in (
        again.stdout
    )
    assert len(list((Path(env["CLARION_HOME"]) / "outbox" / "2026-03-10").glob("*.json"))) == 6


@pytest.mark.parametrize(
    ("args", "message"),
    [
        (("--date", "2026-02-30"), "error: --date: '2026-02-30' is not a date"),
        (("--platform", "Myspace"), "error: --platform: unknown platform 'Myspace'"),
        (("--brand", "nobody"), "no brand 'nobody'"),
    ],
)
def test_run_daily_refuses_bad_input_with_one_line(env, args, message):
    result = clarion(env, "run-daily", *args)
    assert result.returncode == 2
    assert message in result.stderr


def _packages(env: dict[str, str]) -> list[tuple[str, str, bool]]:
    with sqlite3.connect(Path(env["CLARION_HOME"]) / "clarion.sqlite3") as db:
        rows = db.execute(
            "SELECT network, content, valid FROM publishing_dailycontentpackage WHERE dry_run"
        ).fetchall()
    return [(network, content, bool(valid)) for network, content, valid in rows]


def test_a_dry_run_shows_each_post_it_would_publish(env):
    setup = run(env, sys.executable, "-m", "tests.publishing.scenario", "setup", "--brands", "1")
    assert setup.returncode == 0, setup.stderr

    dry = clarion(env, "run-daily", "--date", "2026-03-10", "--dry-run")

    assert dry.returncode == 0, dry.stderr
    headers = [line for line in dry.stdout.splitlines() if " · roastery-0 · " in line]
    assert len(headers) == 3, dry.stdout
    for header, network in zip(headers, ("LinkedIn", "Facebook", "X"), strict=True):
        assert header.startswith(f"{network} · 2026-03-10 ") and "checks passed" in header
    stored = _packages(env)
    assert len(stored) == 3 and all(valid for _, _, valid in stored)
    for _, content, _ in stored:
        assert content.splitlines()[0].strip() in dry.stdout


def test_run_daily_prints_the_run_as_json(env):
    setup = run(env, sys.executable, "-m", "tests.publishing.scenario", "setup", "--brands", "1")
    assert setup.returncode == 0, setup.stderr

    dry = clarion(env, "run-daily", "--date", "2026-03-10", "--dry-run", "--json")
    done = clarion(env, "run-daily", "--date", "2026-03-10", "--json")

    assert dry.returncode == 0 and done.returncode == 0, (dry.stderr, done.stderr)
    from clarion.publishing.schemas import PublicationOut, RunOut

    dry_run = json.loads(dry.stdout)
    assert set(dry_run) == {*RunOut.model_fields, "posts"}
    assert dry_run["dry_run"] is True and dry_run["counts"] == {"slots": 3, "dry_run": 3}
    assert {p["network"] for p in dry_run["posts"]} == {"LinkedIn", "Facebook", "X"}
    assert sorted(p["content"] for p in dry_run["posts"]) == sorted(c for _, c, _ in _packages(env))
    assert all(p["valid"] and p["check_failures"] == [] for p in dry_run["posts"])
    assert all(p["scheduled_at"].startswith("2026-03-10T") for p in dry_run["posts"])

    published = json.loads(done.stdout)
    assert set(published) == {*RunOut.model_fields, "publications"}
    assert published["counts"]["published"] == 3
    assert published["ledger"]["states"] == {"published": 3}
    rows = published["publications"]
    assert len(rows) == 3 and all(set(r) == set(PublicationOut.model_fields) for r in rows)
    assert {r["state"] for r in rows} == {"published"}


def test_run_daily_with_no_plan_says_what_to_do(env):
    result = clarion(env, "run-daily", "--date", "2026-03-10")
    assert result.returncode == 0, result.stderr
    assert "No slots planned for 2026-03-10" in result.stdout

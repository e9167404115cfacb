"""`clarion run-daily` as a user runs it: a real process on a fresh CLARION_HOME."""

from __future__ import annotations

import os
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
        (("--date", "2026-02-30"), "date: '2026-02-30' is not a date"),
        (("--platform", "Myspace"), "unknown platform 'Myspace'"),
        (("--brand", "nobody"), "no brand 'nobody'"),
    ],
)
def test_run_daily_refuses_bad_input_with_one_line(env, args, message):
    result = clarion(env, "run-daily", *args)
    assert result.returncode == 2
    assert message in result.stderr


def test_run_daily_with_no_plan_says_what_to_do(env):
    result = clarion(env, "run-daily", "--date", "2026-03-10")
    assert result.returncode == 0, result.stderr
    assert "No slots planned for 2026-03-10" in result.stdout

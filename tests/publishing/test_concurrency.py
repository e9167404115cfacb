"""Two orchestrators at once, and a worker killed mid-run: every slot is published exactly once.

The orchestrators run in other processes sharing one database: a SQLite file (in
a fresh CLARION_HOME) or the PostgreSQL test database (tests here commit).
"""

from __future__ import annotations

import json
import os
import signal
import subprocess
import sys
import time
from pathlib import Path
from typing import Any

import pytest
from django.db import connection

from clarion.testing.fake_network import FakeNetwork
from tests.publishing.helpers import NETWORKS

ROOT = Path(__file__).resolve().parents[2]
BRANDS = 5
TOTAL = BRANDS * len(NETWORKS)

pytestmark = pytest.mark.django_db(transaction=True)


@pytest.fixture
def scenario_env(tmp_path) -> dict[str, str]:
    """The environment of a scenario process: this test's database, settings for speed."""
    env = {k: v for k, v in os.environ.items() if not k.startswith(("CLARION_", "DATABASE_URL"))}
    env.update(
        CLARION_HOME=str(tmp_path / "home"),
        CLARION_LLM="offline",
        CLARION_LOG_LEVEL="ERROR",
        CLARION_PACKAGE_SECRET="scenario-package-secret-" * 2,
        CLARION_PUBLISH_RETRY_BACKOFF="0",
        CLARION_PUBLISH_CONCURRENCY="2",
        PYTHONPATH=str(ROOT),
    )
    if connection.vendor == "postgresql":
        db = connection.settings_dict
        env["DATABASE_URL"] = (
            f"postgres://{db['USER']}:{db['PASSWORD'] or ''}@{db['HOST']}:{db['PORT'] or 5432}/{db['NAME']}"
        )
    return env


def scenario(env: dict[str, str], *args: str) -> Any:
    done = subprocess.run(
        [sys.executable, "-m", "tests.publishing.scenario", *args],
        env=env,
        cwd=ROOT,
        capture_output=True,
        text=True,
        timeout=120,
        check=False,
    )
    assert done.returncode == 0, done.stderr[-3000:]
    return json.loads(done.stdout.strip().splitlines()[-1])


def assert_exactly_once(env: dict[str, str], network: FakeNetwork) -> None:
    ledger = scenario(env, "report")["publications"]
    assert len(ledger) == TOTAL
    assert {row["state"] for row in ledger} == {"published"}
    assert network.created == TOTAL
    assert network.duplicates == 0
    assert sorted(s.text for s in network.statuses) == sorted(row["content"] for row in ledger)
    assert sorted(s.id for s in network.statuses) == sorted(row["remote_id"] for row in ledger)


def test_two_orchestrator_threads_started_at_once_publish_every_slot_exactly_once(scenario_env):
    with FakeNetwork(honour_idempotency=False) as network:  # only our ledger prevents doubles
        scenario(scenario_env, "setup", "--network", network.base_url, "--brands", str(BRANDS))

        runs = scenario(scenario_env, "run", "--threads", "2")

        assert sum(r.get("published", 0) for r in runs) == TOTAL
        assert_exactly_once(scenario_env, network)


def test_two_orchestrator_processes_started_at_once_publish_every_slot_exactly_once(
    scenario_env,
):
    with FakeNetwork(honour_idempotency=False, latency=0.01) as network:
        scenario(scenario_env, "setup", "--network", network.base_url, "--brands", str(BRANDS))
        command = [sys.executable, "-m", "tests.publishing.scenario", "run"]
        processes = [
            subprocess.Popen(command, env=scenario_env, cwd=ROOT, stdout=subprocess.PIPE, text=True)
            for _ in range(2)
        ]
        outputs = [p.communicate(timeout=120)[0] for p in processes]

        assert [p.returncode for p in processes] == [0, 0]
        runs = [json.loads(out.strip().splitlines()[-1])[0] for out in outputs]
        assert sum(r.get("published", 0) for r in runs) == TOTAL
        assert_exactly_once(scenario_env, network)


def test_a_worker_killed_mid_run_then_restarted_publishes_every_slot_exactly_once(scenario_env):
    """`clarion worker` runs the day at the brands' time; SIGKILL mid-run; a new worker finishes."""
    env = {
        **scenario_env,
        "CLARION_PUBLISH_LEASE_SECONDS": "1",
        "CLARION_WORKER_HEARTBEAT_SECONDS": "1",
        "CLARION_PUBLISH_CONCURRENCY": "1",
    }
    # Slow enough that the kill lands in the middle of the run.
    with FakeNetwork(honour_idempotency=False, latency=0.15) as network:
        scenario(env, "setup", "--network", network.base_url, "--brands", str(BRANDS), "--today")
        command = [sys.executable, "-m", "clarion", "worker", "--interval", "0.2"]

        first = subprocess.Popen(command, env=env, cwd=ROOT, stdout=subprocess.DEVNULL)
        deadline = time.monotonic() + 60
        while network.created < 3 and time.monotonic() < deadline:
            time.sleep(0.05)
        os.kill(first.pid, signal.SIGKILL)
        first.wait(timeout=10)
        killed_at = network.created
        assert 0 < killed_at < TOTAL, "the kill must land in the middle of the run"

        second = subprocess.Popen(command, env=env, cwd=ROOT, stdout=subprocess.DEVNULL)
        try:
            deadline = time.monotonic() + 60
            while time.monotonic() < deadline:
                ledger = scenario(env, "report")["publications"]
                if len(ledger) == TOTAL and {r["state"] for r in ledger} == {"published"}:
                    break
                time.sleep(0.5)
        finally:
            second.send_signal(signal.SIGTERM)
            second.wait(timeout=20)

        assert_exactly_once(env, network)

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


def _worker(env: dict[str, str]) -> subprocess.Popen[bytes]:
    command = [sys.executable, "-m", "clarion", "worker", "--interval", "0.2"]
    return subprocess.Popen(
        command, env=env, cwd=ROOT, stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL
    )


def _running_task_pids(env: dict[str, str]) -> set[int]:
    """The pids of the workers running a task right now, read straight from the database."""
    from django_tasks_db.models import DBTaskResult

    table = DBTaskResult._meta.db_table
    sql = f"SELECT worker_ids FROM {table} WHERE status = 'RUNNING'"
    if "DATABASE_URL" in env:
        with connection.cursor() as cursor:
            cursor.execute(sql)
            rows = [row[0] for row in cursor.fetchall()]
    else:
        import sqlite3

        path = Path(env["CLARION_HOME"]) / "clarion.sqlite3"
        with sqlite3.connect(path, timeout=30) as db:
            rows = [row[0] for row in db.execute(sql).fetchall()]
    pids = set()
    for ids in rows:
        ids = json.loads(ids) if isinstance(ids, str) else ids
        if ids and ids[-1].count("-") >= 2:
            pids.add(int(ids[-1].split("-")[-2]))
    return pids


def _settled(env: dict[str, str], total: int, *, timeout: float) -> dict[str, Any]:
    """The report once every row is published (or the time is up)."""
    deadline = time.monotonic() + timeout
    while True:
        report = scenario(env, "report")
        ledger = report["publications"]
        if len(ledger) == total and {r["state"] for r in ledger} == {"published"}:
            return report
        if time.monotonic() > deadline:
            return report
        time.sleep(0.5)


def test_two_workers_never_post_twice_when_every_first_attempt_is_rate_limited(scenario_env):
    """Each first attempt gets 429 with a reset longer than the lease: the row is deferred and
    given back, never slept on while its claim runs out and another worker takes it."""
    brands = 14  # 42 posts
    env = {
        **scenario_env,
        "CLARION_PUBLISH_LEASE_SECONDS": "2",
        "CLARION_WORKER_HEARTBEAT_SECONDS": "1",
        "CLARION_PUBLISH_CONCURRENCY": "2",
    }
    with FakeNetwork(honour_idempotency=False) as network:
        network.rate_limit_first_attempts(reset_seconds=4)
        scenario(env, "setup", "--network", network.base_url, "--brands", str(brands), "--today")
        workers = [_worker(env) for _ in range(2)]
        try:
            report = _settled(env, brands * 3, timeout=150)
        finally:
            for worker in workers:
                worker.send_signal(signal.SIGTERM)
            for worker in workers:
                worker.wait(timeout=30)

        ledger = report["publications"]
        assert {r["state"] for r in ledger} == {"published"}, [r["error"] for r in ledger]
        assert network.created == brands * 3
        assert network.duplicates == 0
        assert sorted(s.id for s in network.statuses) == sorted(r["remote_id"] for r in ledger)


def test_workers_killed_at_random_lose_nothing_and_post_nothing_twice(scenario_env):
    """Three workers, one SIGKILLed every second or two (and replaced), against a network
    that ignores idempotency keys and answers slowly after storing each post."""
    import random

    brands = 12  # 36 posts
    env = {
        **scenario_env,
        "CLARION_PUBLISH_LEASE_SECONDS": "2",
        "CLARION_WORKER_HEARTBEAT_SECONDS": "1",
        "CLARION_PUBLISH_CONCURRENCY": "2",
        "CLARION_PUBLISH_TIMEOUT": "0.5",
        "CLARION_PUBLISH_RECONCILE_DELAY": "0.5",
    }
    chance = random.Random(8)
    with FakeNetwork(honour_idempotency=False, answer_delay=0.5) as network:
        scenario(env, "setup", "--network", network.base_url, "--brands", str(brands), "--today")
        workers = [_worker(env) for _ in range(3)]
        kills = 0
        try:
            deadline = time.monotonic() + 90
            while kills < 6 and network.created < brands * 3 and time.monotonic() < deadline:
                # Kill a worker while it runs a task (its pid is in the task's worker id).
                pids = _running_task_pids(env)
                victims = [w for w in workers if w.pid in pids]
                if not victims:
                    time.sleep(chance.uniform(0.1, 0.4))
                    continue
                victim = chance.choice(victims)
                time.sleep(chance.uniform(0.0, 0.5))
                os.kill(victim.pid, signal.SIGKILL)
                victim.wait(timeout=10)
                workers.remove(victim)
                kills += 1
                workers.append(_worker(env))
            report = _settled(env, brands * 3, timeout=150)
            # The dead workers' task rows are recovered by the live ones too.
            deadline = time.monotonic() + 30
            while "RUNNING" in report["task_states"] and time.monotonic() < deadline:
                time.sleep(1)
                report = scenario(env, "report")
        finally:
            for worker in workers:
                worker.send_signal(signal.SIGTERM)
            for worker in workers:
                worker.wait(timeout=30)

        ledger = report["publications"]
        assert kills >= 3
        assert len(ledger) == brands * 3
        assert {r["state"] for r in ledger} == {"published"}, [r["error"] for r in ledger]
        assert network.created == brands * 3
        assert network.duplicates == 0
        assert sorted(s.id for s in network.statuses) == sorted(r["remote_id"] for r in ledger)
        assert "RUNNING" not in scenario(env, "report")["task_states"]

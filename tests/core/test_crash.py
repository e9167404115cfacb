"""Real `clarion worker` processes killed with SIGKILL: the next worker cleans up and finishes.

The workers run in other processes sharing one database: a SQLite file (in a
fresh CLARION_HOME) or the PostgreSQL test database (tests here commit). Their
model is the fake OpenAI-compatible server of this process, slowed down so the
kill lands in the middle of the work.
"""

from __future__ import annotations

import json
import os
import signal
import sqlite3
import subprocess
import sys
import time
from collections import Counter
from collections.abc import Callable, Iterator
from pathlib import Path
from typing import Any

import pytest
from django.db import connection
from django_tasks_db.models import DBTaskResult

from clarion.campaigns.models import Campaign
from clarion.testing.chat_server import FakeChatServer

ROOT = Path(__file__).resolve().parents[2]

pytestmark = pytest.mark.django_db(transaction=True)


@pytest.fixture
def env(tmp_path) -> dict[str, str]:
    """The environment of the workers and scenarios: this test's database, fast heartbeats."""
    env = {k: v for k, v in os.environ.items() if not k.startswith(("CLARION_", "DATABASE_URL"))}
    env.update(
        CLARION_HOME=str(tmp_path / "home"),
        CLARION_LLM="offline",
        CLARION_LOG_LEVEL="ERROR",
        CLARION_WORKER_HEARTBEAT_SECONDS="1",
        CLARION_LLM_RETRY_BACKOFF="0",
        PYTHONPATH=str(ROOT),
    )
    if connection.vendor == "postgresql":
        db = connection.settings_dict
        env["DATABASE_URL"] = (
            f"postgres://{db['USER']}:{db['PASSWORD'] or ''}@{db['HOST']}:{db['PORT'] or 5432}/{db['NAME']}"
        )
    return env


@pytest.fixture
def model(env) -> Iterator[FakeChatServer]:
    """A slow fake model server the workers use (the scenarios plan with the offline engine)."""
    with FakeChatServer(latency=0.2) as server:
        env["WORKER_LLM_BASE_URL"] = server.base_url
        yield server


def scenario(env: dict[str, str], command: str) -> Any:
    done = subprocess.run(
        [sys.executable, "-m", "tests.core.crash_scenario", command],
        env=env,
        cwd=ROOT,
        capture_output=True,
        text=True,
        timeout=120,
        check=False,
    )
    assert done.returncode == 0, done.stderr[-3000:]
    return json.loads(done.stdout.strip().splitlines()[-1])


def peek(env: dict[str, str], sql: str) -> list[tuple[Any, ...]]:
    """Rows of a quick query on the workers' database (the full ``report`` is a process of its own)."""
    if connection.vendor == "postgresql":
        with connection.cursor() as cursor:
            cursor.execute(sql)
            return list(cursor.fetchall())
    path = Path(env["CLARION_HOME"]) / "clarion.sqlite3"
    with sqlite3.connect(path, timeout=30) as db:
        return db.execute(sql).fetchall()


def statuses(env: dict[str, str], table: str, column: str = "status") -> set[Any]:
    return {row[0] for row in peek(env, f"SELECT {column} FROM {table}")}


TASKS = DBTaskResult._meta.db_table
CAMPAIGNS = Campaign._meta.db_table


class Workers:
    """`clarion worker` processes started by a test, stopped at its end."""

    def __init__(self, env: dict[str, str], logs: Path) -> None:
        self.env = env
        self.logs = logs
        self.started: list[subprocess.Popen[bytes]] = []

    def start(self) -> subprocess.Popen[bytes]:
        env = dict(self.env)
        if "WORKER_LLM_BASE_URL" in env:
            env["CLARION_LLM"] = "openai-compatible:fake-model"
            env["CLARION_LLM_BASE_URL"] = env["WORKER_LLM_BASE_URL"]
        log = (self.logs / f"worker-{len(self.started)}.log").open("wb")
        process = subprocess.Popen(
            [sys.executable, "-m", "clarion", "worker", "--interval", "0.2"],
            env=env,
            cwd=ROOT,
            stdout=log,
            stderr=subprocess.STDOUT,
        )
        self.started.append(process)
        return process

    def kill(self, process: subprocess.Popen[bytes]) -> None:
        os.kill(process.pid, signal.SIGKILL)
        process.wait(timeout=10)

    def stop_all(self) -> None:
        for process in self.started:
            if process.poll() is None:
                process.send_signal(signal.SIGTERM)
                try:
                    process.wait(timeout=20)
                except subprocess.TimeoutExpired:
                    process.kill()
                    process.wait(timeout=10)


@pytest.fixture
def workers(env, tmp_path) -> Iterator[Workers]:
    started = Workers(env, tmp_path)
    yield started
    started.stop_all()


def wait_for(condition: Callable[[], Any], *, timeout: float = 90, every: float = 0.05) -> Any:
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        value = condition()
        if value:
            return value
        time.sleep(every)
    raise AssertionError(f"gave up waiting after {timeout} s")


def worker_id(state: dict[str, Any], process: subprocess.Popen[bytes]) -> str:
    return next(w["worker_id"] for w in state["workers"] if w["pid"] == process.pid)


def test_a_killed_worker_leaves_a_running_task_that_the_next_worker_queues_again_and_finishes(
    env, model, workers
):
    session_id = scenario(env, "setup-session")["session"]
    first = workers.start()
    wait_for(lambda: model.requests >= 1)  # the writer has answered: the session is mid-way

    workers.kill(first)

    state = scenario(env, "report")
    [task] = state["tasks"]
    assert task["status"] == "RUNNING" and task["worker_ids"] == [worker_id(state, first)]
    [session] = state["sessions"]
    assert session["status"] == "running"

    second = workers.start()
    wait_for(lambda: statuses(env, TASKS) == {"SUCCESSFUL"}, every=0.2)

    state = scenario(env, "report")
    [task] = state["tasks"]  # the same row, queued again: no second task
    assert task["worker_ids"] == [worker_id(state, first), worker_id(state, second)]
    [session] = state["sessions"]
    assert session["pk"] == session_id
    assert session["completion_reason"] in ("approved", "max_turns")
    assert session["recoveries"] == 1
    assert session["turns"] == list(range(1, len(session["turns"]) + 1))
    assert {job["status"] for job in state["jobs"]} == {"succeeded"}


def test_content_of_a_killed_worker_is_finished_with_one_session_per_variant(env, model, workers):
    posts = scenario(env, "setup-campaign")["posts"]
    first = workers.start()
    wait_for(lambda: model.requests >= 6)

    workers.kill(first)

    state = scenario(env, "report")
    assert state["campaign"]["phase"] == "generating"
    assert state["campaign"]["variants"] < 2 * posts, "the kill must land mid-way"
    assert any(s["status"] == "running" for s in state["sessions"])

    workers.start()
    wait_for(lambda: statuses(env, CAMPAIGNS, "phase") != {"generating"}, every=0.2)
    wait_for(lambda: statuses(env, TASKS) == {"SUCCESSFUL"}, every=0.2)

    state = scenario(env, "report")
    assert state["campaign"]["phase"] == "ready", state["campaign"]["failures"]
    assert state["campaign"]["variants"] == 2 * posts
    assert set(state["campaign"]["posts"]) == {"ready"}
    per_variant = Counter(tuple(s["key"]) for s in state["sessions"] if s["key"])
    assert len(per_variant) == 2 * posts
    assert set(per_variant.values()) == {1}, "a variant was written by two sessions"
    assert {s["status"] for s in state["sessions"]} == {"completed"}
    assert "cancelled" not in {s["completion_reason"] for s in state["sessions"]}
    assert any(s["recoveries"] for s in state["sessions"]), "no session was resumed"
    assert {t["status"] for t in state["tasks"]} == {"SUCCESSFUL"}


def test_a_task_that_kills_every_worker_is_failed_after_the_bound(env, workers):
    env["CLARION_MAX_RECOVERIES"] = "1"
    scenario(env, "poison")

    first = workers.start()
    assert first.wait(timeout=30) == -signal.SIGKILL
    second = workers.start()  # takes the task back once the first one's heartbeat is gone
    assert second.wait(timeout=30) == -signal.SIGKILL
    third = workers.start()
    wait_for(lambda: statuses(env, TASKS) == {"FAILED"}, timeout=30, every=0.2)

    state = scenario(env, "report")
    [task] = state["tasks"]
    assert task["worker_ids"] == [worker_id(state, first), worker_id(state, second)]
    assert "it was run 2 times and every worker running it died" in task["traceback"]
    assert third.poll() is None  # the third worker never ran it

"""One bound on requests in flight to a model, for every process of the installation."""

from __future__ import annotations

import json
import os
import signal
import subprocess
import sys
import time
from pathlib import Path

import pytest
from django.db import connection

from clarion.testing.chat_server import FakeChatServer

ROOT = Path(__file__).resolve().parents[2]

pytestmark = pytest.mark.django_db(transaction=True)


@pytest.fixture
def env(tmp_path) -> dict[str, str]:
    environ = {k: v for k, v in os.environ.items() if not k.startswith(("CLARION_", "DATABASE_"))}
    environ.update(
        CLARION_HOME=str(tmp_path / "home"),
        CLARION_LLM_MAX_CONCURRENCY="2",
        CLARION_LLM_MAX_RETRIES="0",
        CLARION_LOG_LEVEL="ERROR",
        PYTHONPATH=str(ROOT),
    )
    if connection.vendor == "postgresql":
        db = connection.settings_dict
        environ["DATABASE_URL"] = (
            f"postgres://{db['USER']}:{db['PASSWORD'] or ''}@{db['HOST']}:{db['PORT'] or 5432}/{db['NAME']}"
        )
    return environ


def caller(env: dict[str, str], server: FakeChatServer, calls: int) -> subprocess.Popen[str]:
    environ = {
        **env,
        "CLARION_LLM": "openai-compatible:fake-model",
        "CLARION_LLM_BASE_URL": server.base_url,
    }
    command = [sys.executable, "-m", "tests.agents.bound_scenario", "--calls", str(calls)]
    return subprocess.Popen(
        command, env=environ, cwd=ROOT, stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True
    )


def finished(process: subprocess.Popen[str], timeout: float = 120) -> dict[str, int]:
    out, err = process.communicate(timeout=timeout)
    assert process.returncode == 0, err[-3000:]
    return json.loads(out.strip().splitlines()[-1])


@pytest.fixture
def migrated(env) -> dict[str, str]:
    """The database made once, before processes start at the same moment."""
    with FakeChatServer() as server:
        assert finished(caller(env, server, calls=0)) == {"done": 0}
    return env


def test_three_processes_share_one_bound_of_two(migrated):
    env = migrated
    with FakeChatServer(latency=0.15) as server:
        processes = [caller(env, server, calls=6) for _ in range(3)]

        results = [finished(p) for p in processes]

        assert [r["done"] for r in results] == [6, 6, 6]
        assert server.requests == 18
        assert server.max_in_flight == 2  # each process alone would have sent 2


def test_a_killed_holder_frees_its_slots(migrated):
    env = migrated
    with FakeChatServer() as server:
        server.delay_next(
            count=2, seconds=300
        )  # the first process's calls hang, holding both slots
        holder = caller(env, server, calls=2)
        deadline = time.monotonic() + 60
        while server.in_flight < 2 and time.monotonic() < deadline:
            time.sleep(0.05)
        assert server.in_flight == 2, holder.stderr.read() if holder.poll() is not None else ""

        os.kill(holder.pid, signal.SIGKILL)
        holder.wait(timeout=10)
        later = caller(env, server, calls=4)

        assert finished(later, timeout=60) == {"done": 4}  # it did not wait for the hung calls


def _backends(count: int, tmp_path):
    from clarion.agents.limits import AdvisoryLockSlots, FileLockSlots

    if connection.vendor == "postgresql":
        return [AdvisoryLockSlots("openai:m", 2) for _ in range(count)]
    return [FileLockSlots("openai:m", 2, tmp_path / "locks") for _ in range(count)]


def test_a_requests_per_minute_budget_holds_across_processes(tmp_path):
    """Three holders (each its own connection or file descriptor, as three processes have)
    taking requests at once: exactly the budget goes through in a minute."""
    import threading

    backends = _backends(3, tmp_path)
    taken: list[bool] = []
    lock = threading.Lock()

    def take(backend) -> None:
        for _ in range(10):
            ok = backend.take_request("openai", 29_000_000, 7)
            with lock:
                taken.append(ok)

    threads = [threading.Thread(target=take, args=(b,)) for b in backends]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    try:
        assert taken.count(True) == 7
        assert backends[0].take_request("openai", 29_000_001, 7)  # the next minute
        assert backends[1].take_request("anthropic", 29_000_000, 7)  # another provider
    finally:
        for backend in backends:
            backend.close()


@pytest.mark.parametrize(
    ("value", "expected"),
    [("", {}), ("500", {"*": 500}), ("openai=500, anthropic=50", {"openai": 500, "anthropic": 50})],
)
def test_the_budget_setting_reads_one_number_or_pairs(monkeypatch, value, expected):
    from clarion.conf import env_rates

    monkeypatch.setenv("CLARION_LLM_REQUESTS_PER_MINUTE", value)
    assert env_rates("CLARION_LLM_REQUESTS_PER_MINUTE") == expected


def test_a_bad_budget_setting_names_the_variable(monkeypatch):
    from clarion.conf import ConfigError, env_rates

    monkeypatch.setenv("CLARION_LLM_REQUESTS_PER_MINUTE", "openai=lots")
    with pytest.raises(ConfigError, match="CLARION_LLM_REQUESTS_PER_MINUTE"):
        env_rates("CLARION_LLM_REQUESTS_PER_MINUTE")

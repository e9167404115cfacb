"""`clarion worker --concurrency N` runs N tasks at once, within the model's bound."""

from __future__ import annotations

import subprocess
import sys

import pytest

from clarion.testing.chat_server import FakeChatServer
from tests.core.test_crash import ROOT, env, scenario  # noqa: F401  (the env fixture)

pytestmark = pytest.mark.django_db(transaction=True)


def test_a_worker_runs_sessions_in_parallel_up_to_the_model_bound_and_says_so(env):  # noqa: F811
    subprocess.run(
        [sys.executable, "-m", "tests.core.crash_scenario", "setup-session", "--count", "6"],
        env=env, cwd=ROOT, capture_output=True, text=True, timeout=120, check=True,
    )  # fmt: skip
    with FakeChatServer(latency=0.3) as server:
        worker = subprocess.run(
            [sys.executable, "-m", "clarion", "worker", "--batch", "--concurrency", "4",
             "--interval", "0.1"],
            env={
                **env,
                "CLARION_LLM": "openai-compatible:fake-model",
                "CLARION_LLM_BASE_URL": server.base_url,
                "CLARION_LLM_MAX_CONCURRENCY": "3",
                "COLUMNS": "200",
            },
            cwd=ROOT, capture_output=True, text=True, timeout=300, check=False,
        )  # fmt: skip

        assert worker.returncode == 0, worker.stderr[-3000:]
        assert server.max_in_flight == 3  # four tasks at once, three requests: the bound
    report = scenario(env, "report")
    assert [s["status"] for s in report["sessions"]] == ["completed"] * 6
    assert "4 task(s) at once" in worker.stdout
    starts = [line for line in worker.stdout.splitlines() if " start run_session_task(" in line]
    dones = [line for line in worker.stdout.splitlines() if " done  run_session_task(" in line]
    assert len(starts) == len(dones) == 6
    assert {line.split("]")[0][-1] for line in starts} >= {"1", "2", "3", "4"}

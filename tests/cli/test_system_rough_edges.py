"""A database or a model Clarion cannot use is one line with the fix, never a traceback.

Every test runs the `clarion` command as a user does: a real process on a scratch
CLARION_HOME.
"""

from __future__ import annotations

import importlib.util
import os
import socket
import sqlite3
import subprocess
import sys
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parents[2]
PASSWORD = "s3cret-pw"


def _closed_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return sock.getsockname()[1]


def _postgres_answers() -> bool:
    try:
        with socket.create_connection(("127.0.0.1", 5432), timeout=0.5):
            return True
    except OSError:
        return False


@pytest.fixture
def home(tmp_path):
    return tmp_path / "home"


def clarion(home: Path, *args: str, **env: str) -> subprocess.CompletedProcess[str]:
    environ = {
        k: v
        for k, v in os.environ.items()
        if not k.startswith(("CLARION_", "DATABASE_URL", "DJANGO_", "OPENAI_", "ANTHROPIC_"))
    }
    environ.update(
        CLARION_HOME=str(home),
        CLARION_OLLAMA_URL=f"http://127.0.0.1:{_closed_port()}",
        COLUMNS="200",
    )
    environ.update(env)
    return subprocess.run(
        [sys.executable, "-m", "clarion", *args],
        capture_output=True,
        text=True,
        env=environ,
        cwd=ROOT,
        timeout=120,
    )


def one_line(result: subprocess.CompletedProcess[str]) -> str:
    assert result.returncode == 2, result.stdout + result.stderr
    assert "Traceback" not in result.stderr
    lines = result.stderr.strip().splitlines()
    assert len(lines) == 1, result.stderr
    assert lines[0].startswith("error: ")
    return lines[0]


BAD_DATABASES = {
    "closed port": (
        lambda: f"postgres://clarion:{PASSWORD}@127.0.0.1:{_closed_port()}/x",
        "(connection refused): start PostgreSQL or fix DATABASE_URL",
    ),
    "unknown scheme": (lambda: "foo://x", "DATABASE_URL=foo://x: unknown scheme foo://"),
    "no mysql driver": (
        lambda: f"mysql://clarion:{PASSWORD}@127.0.0.1/x",
        "needs the MySQL driver, which is not installed: `pip install mysqlclient`",
    ),
    "missing database": (
        lambda: f"postgres://postgres:{PASSWORD}@127.0.0.1:5432/clarion_no_such_database",
        "the database 'clarion_no_such_database' does not exist",
    ),
}


def _bad_database(case: str) -> tuple[str, str]:
    if case == "no mysql driver" and importlib.util.find_spec("MySQLdb") is not None:
        pytest.skip("the MySQL driver is installed here")
    if case == "missing database" and not _postgres_answers():
        pytest.skip("no PostgreSQL server on 127.0.0.1:5432")
    make_url, fix = BAD_DATABASES[case]
    return make_url(), fix


@pytest.mark.parametrize("case", list(BAD_DATABASES))
@pytest.mark.parametrize(
    "command",
    [("brand", "list"), ("slogan", "A slogan for a bike repair café"), ("manage", "check")],
)
def test_a_database_that_cannot_be_used_is_one_line_with_the_fix(home, case, command):
    url, fix = _bad_database(case)

    line = one_line(clarion(home, *command, DATABASE_URL=url))

    assert fix in line
    assert PASSWORD not in line
    if "@" in url:
        assert "***@" in line


@pytest.mark.parametrize("case", list(BAD_DATABASES))
def test_doctor_shows_a_database_that_cannot_be_used_as_a_problem(home, case):
    url, fix = _bad_database(case)

    result = clarion(home, "doctor", DATABASE_URL=url)

    assert result.returncode == 1
    assert "Traceback" not in result.stdout + result.stderr
    assert PASSWORD not in result.stdout + result.stderr
    table = " ".join(result.stdout.replace("│", " ").split())  # wrapped cells joined again
    assert "database problem" in table, result.stdout
    assert fix in table


def test_doctor_on_a_fresh_install_warns_that_no_worker_runs_and_exits_0(home):
    result = clarion(home, "doctor", CLARION_LLM="offline")

    assert result.returncode == 0, result.stdout
    worker = next(line for line in result.stdout.splitlines() if "worker" in line)
    assert "warning" in worker
    assert "not running; start `clarion worker`" in worker
    assert "problem" not in result.stdout


def _sessions(home: Path) -> int:
    database = home / "clarion.sqlite3"
    if not database.exists():
        return 0
    with sqlite3.connect(database) as db:
        sessions = db.execute("SELECT count(*) FROM writing_iterationsession").fetchone()[0]
        jobs = db.execute("SELECT count(*) FROM agents_job").fetchone()[0]
    return int(sessions) + int(jobs)


@pytest.mark.parametrize(
    ("env", "fix"),
    [
        (
            {"CLARION_LLM": "ollama:llama3"},
            "error: no Ollama server at http://127.0.0.1:{port}: start it (`ollama serve`) "
            "or set CLARION_LLM=offline",
        ),
        (
            {"CLARION_LLM": "openai:gpt-4o"},
            "error: openai:gpt-4o needs an API key: set CLARION_LLM_API_KEY (or OPENAI_API_KEY), "
            "or set CLARION_LLM=offline",
        ),
    ],
    ids=["ollama not running", "openai without a key"],
)
@pytest.mark.parametrize("command", [("slogan", "x"), ("demo",)])
def test_a_model_that_cannot_answer_is_one_line_and_stores_no_session(home, env, fix, command):
    port = _closed_port()

    result = clarion(home, *command, CLARION_OLLAMA_URL=f"http://127.0.0.1:{port}", **env)

    assert one_line(result) == fix.format(port=port)
    assert "WARNING" not in result.stdout + result.stderr
    assert _sessions(home) == 0

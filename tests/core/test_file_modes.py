"""The home directory Clarion creates and the SQLite files in it are private to their owner."""

from __future__ import annotations

import os
import stat
import subprocess
import sys
import time
from pathlib import Path

import pytest

from tests.cli.test_cli import ROOT, clarion


def mode(path: Path) -> int:
    return stat.S_IMODE(path.stat().st_mode)


def permissive_umask() -> None:
    os.umask(0o022)  # the usual default: files 0644 and directories 0755 unless asked otherwise


@pytest.fixture
def worker(tmp_path):
    """Start `clarion worker` on a fresh home; it writes (heartbeats) and keeps the database open."""
    processes = []

    def start(home: Path) -> subprocess.Popen[str]:
        env = {
            k: v for k, v in os.environ.items() if not k.startswith(("CLARION_", "DATABASE_URL"))
        }
        env.update(CLARION_HOME=str(home), CLARION_WORKER_HEARTBEAT_SECONDS="1")
        process = subprocess.Popen(
            [sys.executable, "-m", "clarion", "worker"],
            cwd=ROOT,
            env=env,
            stdout=subprocess.PIPE,
            stderr=subprocess.PIPE,
            text=True,
            preexec_fn=permissive_umask,
        )
        processes.append(process)
        return process

    yield start
    for process in processes:
        process.terminate()
        process.wait(timeout=30)


def wait_for(paths: list[Path], process: subprocess.Popen[str]) -> None:
    while not all(p.exists() for p in paths):
        assert process.poll() is None, process.communicate()
        time.sleep(0.1)


def test_a_fresh_home_is_0700_and_the_database_its_wal_and_shm_are_0600(tmp_path, worker):
    home = tmp_path / "new" / "home"
    database = home / "clarion.sqlite3"
    files = [database, home / "clarion.sqlite3-wal", home / "clarion.sqlite3-shm"]

    process = worker(home)
    wait_for(files, process)

    assert mode(home) == 0o700
    assert {f.name: mode(f) for f in [*files, home / "secret.key"]} == {
        "clarion.sqlite3": 0o600,
        "clarion.sqlite3-wal": 0o600,
        "clarion.sqlite3-shm": 0o600,
        "secret.key": 0o600,
    }


def test_files_an_older_version_left_readable_are_tightened_and_a_chosen_home_kept(tmp_path):
    home = tmp_path / "home"
    home.mkdir(mode=0o755)
    home.chmod(0o755)
    assert clarion(home, "brand", "create", "examples/brief.yaml").returncode == 0
    for name in ("clarion.sqlite3", "clarion.sqlite3-wal"):
        (home / name).touch()
        (home / name).chmod(0o644)

    assert clarion(home, "brand", "list").returncode == 0

    assert mode(home) == 0o755  # a directory a person made keeps its mode
    assert mode(home / "clarion.sqlite3") == 0o600

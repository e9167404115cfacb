"""`clarion user …`, `clarion token …` and `clarion serve` as people run them: real processes
on a fresh CLARION_HOME, and gunicorn answering on loopback."""

from __future__ import annotations

import os
import re
import signal
import subprocess
import sys
import time
from pathlib import Path

import httpx
import pytest

from tests.cli.test_cli import ROOT, _closed_port

PASSWORD = "a long enough passphrase"


def environ(home: Path) -> dict[str, str]:
    env = {k: v for k, v in os.environ.items() if not k.startswith(("CLARION_", "DATABASE_URL"))}
    env.update(CLARION_HOME=str(home), CLARION_LLM="offline", COLUMNS="200")
    return env


def run(home: Path, *args: str, stdin: str = "") -> subprocess.CompletedProcess[str]:
    return subprocess.run(
        [sys.executable, "-m", "clarion", *args],
        input=stdin,
        capture_output=True,
        text=True,
        env=environ(home),
        cwd=ROOT,
        timeout=120,
    )


def create_user(home: Path, email: str, *extra: str, password: str = PASSWORD):
    return run(home, "user", "create", email, *extra, stdin=f"{password}\n{password}\n")


@pytest.fixture
def home(tmp_path):
    return tmp_path / "home"


def test_the_first_person_is_the_owner_and_the_next_an_editor(home):
    first = create_user(home, "Ada@example.com")
    assert first.returncode == 0, first.stderr
    assert "Created ada@example.com (owner of Default)" in first.stdout
    second = create_user(home, "bob@example.com")
    assert "Created bob@example.com (editor of Default)" in second.stdout
    viewer = create_user(home, "cy@example.com", "--role", "viewer")
    assert "(viewer of Default)" in viewer.stdout

    listed = run(home, "user", "list").stdout
    assert re.search(r"ada@example\.com\s+.\s*default \(owner\)", listed)


@pytest.mark.parametrize(
    ("args", "password", "message"),
    [
        (("not-an-address",), PASSWORD, "error: EMAIL: 'not-an-address' is not an e-mail address"),
        (("ada@example.com",), "short", "error: password: This password is too short."),
        (("ada@example.com", "--role", "king"), PASSWORD, "error: --role: must be one of"),
    ],
)
def test_a_bad_user_is_one_line_and_exit_2(home, args, password, message):
    result = create_user(home, *args, password=password)

    assert result.returncode == 2
    assert result.stderr.strip().splitlines()[-1].startswith(message), result.stderr


def test_the_same_address_twice_is_refused(home):
    create_user(home, "ada@example.com")

    again = create_user(home, "ADA@example.com")

    assert again.returncode == 2
    assert "error: a user ada@example.com exists already" in again.stderr


def test_a_token_is_printed_once_listed_by_its_start_and_revoked(home):
    assert run(home, "token", "create", "ci").returncode == 2  # nobody to own it yet
    create_user(home, "ada@example.com")

    made = run(home, "token", "create", "ci", "--expires-in-days", "7")
    assert made.returncode == 0, made.stderr
    raw = made.stdout.strip().splitlines()[-1]
    assert re.fullmatch(r"clarion_[\w-]{43}", raw)

    listed = run(home, "token", "list").stdout
    assert raw[:16] + "…" in listed and raw not in listed and "active" in listed
    revoked = run(home, "token", "revoke", raw[:16])
    assert "Revoked API token 1" in revoked.stdout
    assert "revoked" in run(home, "token", "list").stdout
    assert run(home, "token", "revoke", "clarion_nothere1").returncode == 2


def test_the_setup_link_is_only_there_while_nobody_can_sign_in(home):
    link = run(home, "user", "setup-link", "--url", "https://clarion.example.org")
    assert re.search(r"https://clarion\.example\.org/setup/\S+/", link.stdout)

    create_user(home, "ada@example.com")

    assert run(home, "user", "setup-link").returncode == 2


def _wait_for(url: str, process: subprocess.Popen[str]) -> None:
    deadline = time.monotonic() + 60
    while time.monotonic() < deadline:
        assert process.poll() is None, process.stdout.read() if process.stdout else ""
        try:
            httpx.get(url, timeout=1)
            return
        except httpx.TransportError:
            time.sleep(0.2)
    raise AssertionError(f"{url} never answered")


@pytest.mark.slow
def test_serve_runs_gunicorn_prints_the_setup_link_and_everything_needs_a_token(home):
    port = _closed_port()
    base = f"http://127.0.0.1:{port}"
    process = subprocess.Popen(
        [sys.executable, "-m", "clarion", "serve", "--port", str(port), "--workers", "2"],
        stdout=subprocess.PIPE,
        stderr=subprocess.STDOUT,
        text=True,
        env=environ(home),
        cwd=ROOT,
    )
    try:
        _wait_for(f"{base}/health", process)
        assert httpx.get(f"{base}/health?only=database").json() == {
            "status": "ok",
            "database": "ok",
        }
        assert httpx.get(f"{base}/health").json()["worker"]["status"] == "never"
        assert httpx.get(f"{base}/api/brands").status_code == 401
        css = httpx.get(f"{base}/static/ninja/swagger-ui.css")
        assert css.status_code == 200 and css.headers["content-type"].startswith("text/css")

        create_user(home, "ada@example.com")
        raw = run(home, "token", "create", "ci").stdout.strip().splitlines()[-1]
        answer = httpx.get(f"{base}/api/brands", headers={"Authorization": f"Bearer {raw}"})
        assert answer.status_code == 200 and answer.json() == {"items": [], "count": 0}
        assert answer.headers["x-content-type-options"] == "nosniff"
        assert answer.headers["x-frame-options"] == "DENY"
    finally:
        process.send_signal(signal.SIGTERM)
        output, _ = process.communicate(timeout=60)
    assert re.search(rf"{re.escape(base)}/setup/\S+/", output), output
    assert "Booting worker" in output and "gthread" in output

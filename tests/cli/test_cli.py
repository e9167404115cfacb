"""The `clarion` command as a user runs it: a real process on a fresh CLARION_HOME."""

from __future__ import annotations

import json
import os
import socket
import sqlite3
import subprocess
import sys
from pathlib import Path

import pytest

from clarion.testing.chat_server import FakeChatServer

ROOT = Path(__file__).resolve().parents[2]


def _closed_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return sock.getsockname()[1]


@pytest.fixture
def home(tmp_path):
    return tmp_path / "home"


def clarion(home: Path, *args: str, **env: str) -> subprocess.CompletedProcess[str]:
    environ = {
        k: v
        for k, v in os.environ.items()
        if not k.startswith(("CLARION_", "DATABASE_URL", "DJANGO_"))
    }
    environ.update(
        CLARION_HOME=str(home),
        CLARION_OLLAMA_URL=f"http://127.0.0.1:{_closed_port()}",
        COLUMNS="200",
    )
    environ.update(env)  # a test may narrow COLUMNS, say
    return subprocess.run(
        [sys.executable, "-m", "clarion", *args],
        capture_output=True,
        text=True,
        env=environ,
        cwd=ROOT,
        timeout=120,
    )


@pytest.mark.parametrize("brief", ["", "   ", "x" * 1001])
def test_a_bad_brief_exits_2_with_one_line(home, brief):
    result = clarion(home, "slogan", brief)

    assert result.returncode == 2
    lines = result.stderr.strip().splitlines()
    assert len(lines) == 1, result.stderr
    assert lines[0].startswith("error: BRIEF: "), lines  # the argument, as --help names it
    assert "Traceback" not in result.stderr


def test_the_demo_runs_offline_and_twice(home):
    first = clarion(home, "demo")
    assert first.returncode == 0, first.stderr
    assert "Model: offline" in first.stdout
    assert "Created the example brand" in first.stdout
    assert str(home) in first.stdout

    assert "Planned the campaign northwind-coffee-demo" in first.stdout
    assert "graph LR" in first.stdout and 'subgraph phase_4["Phase 4: ' in first.stdout
    assert "84 variants written" in first.stdout

    second = clarion(home, "demo")
    assert second.returncode == 0, second.stderr
    assert "exists already" in second.stdout
    assert "0 variants written" in second.stdout and "84 already there" in second.stdout
    # A month is planned once; today's slots go to the outbox exactly once.
    assert "slots (" in first.stdout and "Published 3 new posts." in first.stdout
    assert "exists already (version 1)" in second.stdout
    assert "Nothing new to publish" in second.stdout
    outbox = list((home / "outbox").rglob("*.json"))
    assert len(outbox) == 3


def test_slogan_shows_each_turn_and_the_final_text(home):
    result = clarion(home, "slogan", "A slogan for a bike repair café", "--max-turns", "3")

    assert result.returncode == 0, result.stderr
    assert "Turn 1" in result.stdout
    assert "Final" in result.stdout


def test_slogan_against_an_openai_compatible_server_records_tokens(home):
    with FakeChatServer() as server:
        result = clarion(
            home,
            "slogan",
            "A slogan for a bike repair café",
            "--json",
            CLARION_LLM="openai-compatible:fake-model",
            CLARION_LLM_BASE_URL=server.base_url,
        )
        calls = server.requests

    assert result.returncode == 0, result.stderr
    session = json.loads(result.stdout)
    assert session["model_name"] == "openai-compatible:fake-model"
    assert session["usage"]["requests"] == calls
    assert session["usage"]["input_tokens"] > 0
    with sqlite3.connect(home / "clarion.sqlite3") as db:
        rows = db.execute("SELECT name, input_tokens, output_tokens FROM agents_task").fetchall()
    assert rows
    assert all(inp > 0 and out > 0 for _, inp, out in rows)


def test_brand_create_names_the_bad_field(home, tmp_path):
    brief = tmp_path / "bad.yaml"
    brief.write_text("brand_name: Acme\nlanguage: 'not a language'\n")

    result = clarion(home, "brand", "create", str(brief))

    assert result.returncode == 2
    assert "language" in result.stderr
    assert "Traceback" not in result.stderr


def test_brand_create_then_show(home):
    assert clarion(home, "brand", "create", "examples/brief.yaml").returncode == 0
    shown = clarion(home, "brand", "show", "northwind-coffee", "--json")
    assert json.loads(shown.stdout)["brand_name"] == "Northwind Coffee"
    assert clarion(home, "brand", "show", "ghost").returncode == 2


def test_brand_list_prints_json_with_the_fields_brand_show_gives(home):
    assert clarion(home, "brand", "create", "examples/brief.yaml").returncode == 0

    listed = clarion(home, "brand", "list", "--json")

    assert listed.returncode == 0, listed.stderr
    shown = json.loads(clarion(home, "brand", "show", "northwind-coffee", "--json").stdout)
    assert json.loads(listed.stdout) == [shown]


def test_brand_list_shows_whole_slugs_in_80_columns(home, tmp_path):
    brief = tmp_path / "long.yaml"
    brief.write_text(
        (ROOT / "examples" / "brief.yaml")
        .read_text()
        .replace("slug: northwind-coffee", "slug: northwind-coffee-roasters-of-the-pacific-coast")
    )
    assert clarion(home, "brand", "create", str(brief)).returncode == 0

    listed = clarion(home, "brand", "list", COLUMNS="80")

    assert listed.returncode == 0, listed.stderr
    assert "northwind-coffee-roasters-of-the-pacific-coast" in listed.stdout


def test_errors_print_the_users_text_literally_not_as_markup(home):
    result = clarion(home, "brand", "show", "[red]x[/red]y")

    assert result.returncode == 2
    assert result.stderr.strip() == "error: no brand '[red]x[/red]y'"


def test_doctor_reports_each_part_and_the_missing_worker(home):
    result = clarion(home, "doctor", CLARION_LLM="offline")

    assert result.returncode == 0  # a worker not started yet is a warning, not a problem
    out = result.stdout
    assert "configuration" in out
    assert "database" in out
    assert "built-in engine" in out
    assert "not running" in out
    assert "clarion worker" in out


def test_a_bad_setting_is_one_line_not_a_traceback(home):
    result = clarion(home, "slogan", "hello", CLARION_LLM_MAX_CONCURRENCY="lots")

    assert result.returncode == 2
    assert "CLARION_LLM_MAX_CONCURRENCY" in result.stderr
    assert "Traceback" not in result.stderr


def test_a_brief_can_require_a_persons_approval(home, tmp_path):
    brief = tmp_path / "brief.json"
    brief.write_text(json.dumps({"brand_name": "Asks First", "approval_required": True}))
    assert clarion(home, "brand", "create", str(brief)).returncode == 0

    shown = json.loads(clarion(home, "brand", "show", "asks-first", "--json").stdout)

    assert shown["approval_required"] is True
    change = tmp_path / "change.json"
    change.write_text(json.dumps({"approval_required": False}))
    assert clarion(home, "brand", "update", "asks-first", str(change)).returncode == 0
    shown = json.loads(clarion(home, "brand", "show", "asks-first", "--json").stdout)
    assert shown["approval_required"] is False

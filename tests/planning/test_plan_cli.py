"""`clarion plan …` as a user runs it: a real process on a fresh CLARION_HOME."""

from __future__ import annotations

import csv
import io
import json

import pytest

from tests.cli.test_cli import ROOT, clarion


@pytest.fixture(scope="module")
def home(tmp_path_factory):
    home = tmp_path_factory.mktemp("plan-cli") / "home"
    created = clarion(home, "brand", "create", str(ROOT / "clarion" / "examples" / "brief.yaml"))
    assert created.returncode == 0, created.stderr
    return home


def test_generate_show_and_export_a_plan(home, tmp_path):
    generated = clarion(
        home, "plan", "generate", "--brand", "1", "--start", "2026-02-01", "--network", "X",
        "--network", "linkedin",
    )  # fmt: skip
    assert generated.returncode == 0, generated.stderr
    assert "Planning topics" in generated.stdout
    assert "Stored plan #1 (version 1, active)" in generated.stdout
    assert "56 slots" in generated.stdout

    shown = clarion(home, "plan", "show", "1", "--date", "2026-02-14")
    assert shown.returncode == 0, shown.stderr
    assert "plan #1, version 1" in shown.stdout and "2026-02-28" in shown.stdout

    target = tmp_path / "plan.ics"
    exported = clarion(home, "plan", "export", "1", "--format", "ics", "--output", str(target))
    assert exported.returncode == 0, exported.stderr
    data = target.read_bytes()
    assert data.startswith(b"BEGIN:VCALENDAR\r\n") and data.endswith(b"END:VCALENDAR\r\n")
    assert data.count(b"BEGIN:VEVENT") == 56

    by_brand = clarion(
        home, "plan", "export", "northwind-coffee", "--format", "csv", "--date", "2026-02-03"
    )
    assert by_brand.returncode == 0, by_brand.stderr
    rows = list(csv.DictReader(io.StringIO(by_brand.stdout, newline="")))
    assert len(rows) == 56 and {r["network"] for r in rows} == {"X", "LinkedIn"}

    again = clarion(
        home,
        "plan",
        "generate",
        "--brand",
        "northwind-coffee",
        "--start",
        "2026-02-01",
        "--days",
        "7",
    )
    assert again.returncode == 0, again.stderr
    assert "version 2, active" in again.stdout and "21 slots" in again.stdout


@pytest.mark.parametrize(
    ("args", "words"),
    [
        (("generate", "--brand", "1", "--start", "2026-02-30"), "--start: '2026-02-30' is not a date"),
        (("generate", "--brand", "nobody", "--start", "2026-02-01"), "no brand 'nobody'"),
        (("generate", "--brand", "1", "--start", "2026-02-01", "--network", "MySpace"), "unknown platform 'MySpace'"),
        (("generate", "--brand", "1", "--start", "2026-02-01", "--days", "40"), "error: --days: must be between 1 and 31"),
        (("show", "1", "--date", "1999-01-01"), "has no active plan on 1999-01-01"),
        (("export", "424242", "--format", "csv"), "no plan '424242'"),
    ],
)  # fmt: skip
def test_errors_are_one_line_and_exit_2(home, args, words):
    result = clarion(home, "plan", *args)

    assert result.returncode == 2, (result.stdout, result.stderr)
    lines = result.stderr.strip().splitlines()
    assert len(lines) == 1, result.stderr
    assert words in lines[0]
    assert "Planning topics" not in result.stdout


def test_generate_can_print_json(home):
    result = clarion(
        home, "plan", "generate", "--brand", "1", "--start", "2026-03-01", "--days", "2", "--json"
    )

    assert result.returncode == 0, result.stderr
    body = json.loads(result.stdout)
    assert (body["days"], body["networks"], len(body["slots"])) == (
        2,
        ["LinkedIn", "Facebook", "X"],
        6,
    )


def test_show_with_a_date_prints_that_day_only(home):
    made = clarion(
        home, "plan", "generate", "--brand", "1", "--start", "2026-05-01", "--days", "3",
        "--network", "X", "--network", "LinkedIn",
    )  # fmt: skip
    assert made.returncode == 0, made.stderr

    shown = clarion(home, "plan", "show", "1", "--date", "2026-05-02")

    assert shown.returncode == 0, shown.stderr
    rows = [line for line in shown.stdout.splitlines() if line.startswith("│ 2026-")]
    assert len(rows) == 2 and all(row.startswith("│ 2026-05-02 ") for row in rows), rows
    assert "2026-05-02 (of 2026-05-01 → 2026-05-03)" in shown.stdout

    day = json.loads(clarion(home, "plan", "show", "1", "--date", "2026-05-02", "--json").stdout)
    assert (day["brand"], day["date"], day["version"]) == ("northwind-coffee", "2026-05-02", 1)
    assert {(s["date"], s["network"]) for s in day["slots"]} == {
        ("2026-05-02", "X"),
        ("2026-05-02", "LinkedIn"),
    }
    assert set(day["guidelines"]) == {"tone", "language", "do", "dont", "banned_terms"}

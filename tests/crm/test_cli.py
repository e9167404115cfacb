"""`clarion leads import` and `clarion leads list` as a marketer runs them on an exported file."""

from __future__ import annotations

import json

import pytest
from typer.testing import CliRunner

from clarion.cli import app

pytestmark = pytest.mark.django_db


def test_a_file_is_imported_and_listed_from_the_terminal(workspace, tmp_path):
    exported = tmp_path / "fair.csv"
    exported.write_bytes(
        "Email;Name;Organisation;Status;Score\n"
        "rene@cafe.example;René;Café Noël;qualified;75\n"
        "oops;Bad;;;\n"
        "ann@acme.example;Ann;Acme;new;20\n".encode("cp1252")
    )
    runner = CliRunner()

    told = runner.invoke(app, ["leads", "import", str(exported)])
    assert told.exit_code == 0, told.output
    assert "2 created" in told.output and "1 rejected" in told.output
    assert "Windows-1252" in told.output
    assert "3" in told.output and "'oops' is not a valid e-mail address" in told.output

    again = runner.invoke(app, ["leads", "import", str(exported), "--json"])
    report = json.loads(again.output)
    assert (report["created"], report["unchanged"], report["encoding"]) == (0, 2, "cp1252")
    assert report["rejected"] == [{"line": 3, "reason": "'oops' is not a valid e-mail address"}]

    listed = json.loads(runner.invoke(app, ["leads", "list", "--json"]).output)
    assert [(lead["email"], lead["name"], lead["score"]) for lead in listed] == [
        ("rene@cafe.example", "René", 75),
        ("ann@acme.example", "Ann", 20),
    ]
    assert listed[0]["source"] == "import fair.csv"
    qualified = json.loads(
        runner.invoke(app, ["leads", "list", "--status", "qualified", "--json"]).output
    )
    assert [lead["email"] for lead in qualified] == ["rene@cafe.example"]
    table = runner.invoke(app, ["leads", "list"]).output
    assert "rene@cafe.example" in table and "qualified" in table


def test_a_missing_or_unusable_file_is_one_line_on_stderr(workspace, tmp_path):
    runner = CliRunner()
    missing = runner.invoke(app, ["leads", "import", str(tmp_path / "nowhere.csv")])
    assert missing.exit_code == 2
    assert "No such file" in missing.output

    headless = tmp_path / "names.csv"
    headless.write_text("Name\nAnn\n")
    refused = runner.invoke(app, ["leads", "import", str(headless)])
    assert refused.exit_code == 2
    assert "no e-mail column" in refused.output
    assert "Traceback" not in refused.output

    bad_status = runner.invoke(app, ["leads", "list", "--status", "won"])
    assert bad_status.exit_code == 2 and "--status: must be one of" in bad_status.output

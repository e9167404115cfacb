"""`clarion campaign …` as a user runs it."""

from __future__ import annotations

import json

import pytest

from tests.cli.test_cli import clarion


@pytest.fixture(scope="module")
def campaign(tmp_path_factory):
    home = tmp_path_factory.mktemp("campaign-cli") / "home"
    assert clarion(home, "brand", "create", "examples/brief.yaml").returncode == 0
    made = clarion(
        home,
        "campaign",
        "create",
        "--brand",
        "northwind-coffee",
        "--goal",
        "Launch the winter blend",
        "--phases",
        "3",
        "--platform",
        "Bluesky",
    )
    assert made.returncode == 0, made.stderr
    assert "Phase 3" in made.stdout
    assert "variants written" in made.stdout
    shown = json.loads(clarion(home, "campaign", "list", "--json").stdout)
    return home, shown[0]["campaign_id"]


def test_create_show_regenerate_versions_diff_restore(campaign):
    home, cid = campaign

    graph = json.loads(clarion(home, "campaign", "show", cid, "--json").stdout)
    assert {n["phase"] for n in graph["nodes"]} == {1, 2, 3}
    assert all(n["variants"]["platforms"] == ["Bluesky"] for n in graph["nodes"])
    assert all(n["variants"]["ids"] == ["A", "B"] for n in graph["nodes"])
    mermaid = clarion(home, "campaign", "show", cid, "--mermaid").stdout
    assert mermaid.startswith("graph LR\n")

    regen = clarion(
        home, "campaign", "regenerate", cid, "--phase", "2", "focus on office teams", "--no-content"
    )
    assert regen.returncode == 0, regen.stderr
    assert "Version 2" in regen.stdout

    versions = clarion(home, "campaign", "versions", cid).stdout
    assert "regenerated" in versions and "focus on office teams" in versions
    diff = clarion(home, "campaign", "diff", cid, "1", "2").stdout
    assert "v1 → v2" in diff and "~ 2.1" in diff

    restored = clarion(home, "campaign", "restore", cid, "1")
    assert restored.returncode == 0 and "restored as version 3" in restored.stdout
    again = json.loads(clarion(home, "campaign", "show", cid, "--json").stdout)
    assert again["version"] == 3
    assert [n["id"] for n in again["nodes"]] == [n["id"] for n in graph["nodes"]]
    # Version 1's posts all have their variants: the campaign is ready again.
    assert "· ready" in restored.stdout
    assert json.loads(clarion(home, "campaign", "list", "--json").stdout)[0]["stage"] == "ready"


def test_versions_and_diff_print_the_apis_json(campaign):
    from clarion.campaigns.schemas import VersionDiffOut, VersionOut

    home, cid = campaign
    regen = clarion(home, "campaign", "regenerate", cid, "--phase", "3", "more", "--no-content")
    assert regen.returncode == 0, regen.stderr

    versions = json.loads(clarion(home, "campaign", "versions", cid, "--json").stdout)
    assert all(set(v) == set(VersionOut.model_fields) for v in versions)
    last = versions[-1]
    assert (last["kind"], last["from_phase"], last["direction"]) == ("regenerated", 3, "more")

    number = str(last["number"])
    diff = json.loads(clarion(home, "campaign", "diff", cid, "1", number, "--json").stdout)
    assert set(diff) == set(VersionDiffOut.model_fields)
    assert (diff["campaign_id"], diff["from_version"], diff["to_version"]) == (cid, 1, int(number))
    assert diff["changed"] and all(c["key"].startswith("3.") for c in diff["changed"])


def test_campaign_list_shows_whole_ids_in_80_columns(campaign):
    home, cid = campaign

    listed = clarion(home, "campaign", "list", COLUMNS="80")

    assert listed.returncode == 0, listed.stderr
    assert len(cid) > 20 and cid in listed.stdout
    assert "northwind-coffee " in listed.stdout


@pytest.mark.parametrize(
    ("args", "message"),
    [
        (["show", "ghost"], "no campaign 'ghost'"),
        (["regenerate", "{cid}", "--phase", "9", "x"], "--phase: must be between 1 and 4"),
        (["regenerate", "{cid}", "--phase", "2", "  "], "DIRECTION: must not be empty"),
        (["regenerate", "{cid}", "--phase", "2", "x", "--phases", "9"], "--phases: must be"),
        (["diff", "{cid}", "1", "5"], "has no version 5"),
        (["restore", "{cid}", "7"], "has no version 7"),
    ],
)
def test_mistakes_are_one_line_and_exit_2(campaign, args, message):
    home, cid = campaign
    result = clarion(home, "campaign", *[a.format(cid=cid) for a in args])
    assert result.returncode == 2
    assert message in result.stderr
    assert "Traceback" not in result.stderr


def test_content_writes_what_a_campaign_is_missing(tmp_path):
    home = tmp_path / "home"
    assert clarion(home, "brand", "create", "examples/brief.yaml").returncode == 0
    made = clarion(
        home,
        "campaign",
        "create",
        "--brand",
        "northwind-coffee",
        "--goal",
        "Launch the winter blend",
        "--phases",
        "2",
        "--platform",
        "Bluesky",
        "--no-content",
    )
    assert made.returncode == 0, made.stderr
    [listed] = json.loads(clarion(home, "campaign", "list", "--json").stdout)
    cid = listed["campaign_id"]

    queued = clarion(home, "campaign", "content", cid, "--background")
    assert queued.returncode == 0, queued.stderr
    assert "queued: run `clarion worker`" in queued.stdout

    written = clarion(home, "campaign", "content", cid)
    assert written.returncode == 0, written.stderr
    assert "variants written" in written.stdout and "0 failed" in written.stdout
    assert "Stage: ready" in written.stdout
    assert json.loads(clarion(home, "campaign", "list", "--json").stdout)[0]["stage"] == "ready"

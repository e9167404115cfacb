"""The /api/rl/ endpoints, the CLI, patterns and the planning integration, as people use them."""

from __future__ import annotations

import json
from datetime import date, time

from typer.testing import CliRunner

from clarion.analytics.models import Pattern
from clarion.analytics.patterns import detect_patterns
from clarion.analytics.services import create_experiment
from clarion.cli import app
from clarion.planning.services import generate_monthly_plan
from clarion.writing.models import IterationSession, SessionStatus, Turn
from tests.analytics.conftest import reviewed
from tests.conftest import token_client

JSON = "application/json"
HOOKS = {
    "name": "Questions or stories",
    "arm_kind": "hook_style",
    "success_metric": "first_pass_approval",
    "arms": ["question", "story"],
}


def test_an_editor_creates_evaluates_and_reads_an_experiment_and_its_lesson(brand, member):
    api = token_client(member)
    created = api.post("/api/rl/experiments", {**HOOKS, "brand": brand.slug}, content_type=JSON)
    assert created.status_code == 201, created.content
    experiment = created.json()
    assert [a["status"] for a in experiment["arms"]] == ["live", "live"]
    reviewed(brand, hook_style="question", approved=[True] * 18 + [False] * 2)
    reviewed(brand, hook_style="story", approved=[True] * 4 + [False] * 16)

    evaluated = api.post("/api/rl/experiments/evaluate", {}, content_type=JSON)
    assert evaluated.status_code == 200, evaluated.content
    [decision] = evaluated.json()["decisions"]
    assert decision["decision"] == "double_down" and decision["rule"] == "bayesian"
    listed = api.get("/api/rl/experiments").json()
    assert [(e["id"], e["status"], e["decision"]) for e in listed] == [
        (experiment["id"], "successful", "double_down")
    ]
    shown = api.get(f"/api/rl/experiments/{experiment['id']}").json()
    assert shown["decisions"][0]["sentence"] == decision["sentence"]
    [lesson] = api.get("/api/rl/lessons").json()
    assert (lesson["experiment_id"], lesson["decision_id"]) == (experiment["id"], decision["id"])
    assert lesson["task_id"] is not None and "question" in lesson["text"]


def test_a_metric_not_recorded_per_arm_kind_is_refused_in_words(brand, member):
    answer = token_client(member).post(
        "/api/rl/experiments",
        {**HOOKS, "arm_kind": "pillar", "success_metric": "first_pass_approval"},
        content_type=JSON,
    )
    assert answer.status_code == 422
    messages = {e["loc"][-1]: e["msg"] for e in answer.json()["detail"]}
    expected = "Input should be 'human_approval', 'publish_success' or 'engagement_rate'"
    assert messages["success_metric"] == expected


def test_another_workspaces_experiments_and_lessons_are_not_found(brand, owner, outsider):
    experiment = create_experiment(
        workspace=brand.workspace, **{**HOOKS, "arms": ["question", "story"]}
    )
    stranger = token_client(outsider)
    assert stranger.get(f"/api/rl/experiments/{experiment.pk}").status_code == 404
    assert stranger.get("/api/rl/experiments").json() == []
    evaluated = stranger.post(
        "/api/rl/experiments/evaluate",
        {"experiment_ids": [experiment.pk]},
        content_type=JSON,
    )
    assert evaluated.json()["decisions"] == []
    assert stranger.get("/api/rl/lessons").json() == []


def test_a_viewer_reads_but_cannot_evaluate(brand, viewer):
    api = token_client(viewer)
    assert api.get("/api/rl/experiments").status_code == 200
    assert api.post("/api/rl/experiments/evaluate", {}, content_type=JSON).status_code == 403
    assert api.post("/api/rl/patterns/detect", {}, content_type=JSON).status_code == 403


def _failed_checks(brand, count: int) -> None:
    for _ in range(count):
        session = IterationSession.objects.create(
            brand=brand,
            workspace=brand.workspace,
            user_input="a post",
            platform="X",
            status=SessionStatus.COMPLETED,
        )
        Turn.objects.create(
            session=session,
            turn_number=1,
            text="far too long",
            check_failures=[{"code": "too_long", "message": "over 280 characters"}],
        )


def test_a_pattern_seen_again_counts_a_detection_instead_of_a_new_row(brand, member):
    _failed_checks(brand, 3)
    [first] = detect_patterns(workspace=brand.workspace)
    assert (first.pattern_type, first.detection_count) == ("failure", 1)
    assert first.title == "X drafts keep failing the too long check"
    assert first.confidence_score == 1.0
    _failed_checks(brand, 1)
    answer = token_client(member).post("/api/rl/patterns/detect", {}, content_type=JSON)
    [again] = answer.json()
    assert (again["id"], again["detection_count"]) == (first.pk, 2)
    assert again["evidence"]["count"] == 4
    assert Pattern.objects.count() == 1


def test_a_success_pattern_reuses_the_posterior_across_hook_styles(brand):
    reviewed(brand, hook_style="question", approved=[True] * 19 + [False])
    reviewed(brand, hook_style="story", approved=[True] * 3 + [False] * 17)
    [pattern] = detect_patterns(workspace=brand.workspace)
    assert pattern.pattern_type == "success"
    assert pattern.title == "question works best for Northwind Coffee"
    assert pattern.confidence_score > 0.95


def test_a_live_posting_time_experiment_picks_the_times_of_a_new_plan(brand):
    create_experiment(
        workspace=brand.workspace,
        brand=brand,
        name="Morning or evening",
        arm_kind="posting_time",
        success_metric="publish_success",
        arms=["8:30", "19:00"],
        slot_floor=0.2,
    )
    plan = generate_monthly_plan(brand=brand, start_date=date(2027, 3, 1), days=5, networks=["X"])
    times = sorted(s.time_of_day for s in plan.slots.all())
    assert set(times) == {time(8, 30), time(19, 0)}  # no data yet: both arms get slots
    other = generate_monthly_plan(
        brand=brand, start_date=date(2027, 4, 1), days=3, networks=["LinkedIn"]
    )
    assert other.slots.count() == 3


def test_the_cli_creates_lists_and_evaluates_experiments(brand):
    runner = CliRunner()
    made = runner.invoke(
        app,
        [
            "experiments", "create", "Hooks", "--kind", "hook_style",
            "--metric", "first_pass_approval", "--arm", "question", "--arm", "story",
        ],
    )  # fmt: skip
    assert made.exit_code == 0, made.output
    listed = json.loads(runner.invoke(app, ["experiments", "list", "--json"]).output)
    assert [(e["name"], e["status"]) for e in listed] == [("Hooks", "active")]
    reviewed(brand, hook_style="question", approved=[True] * 3)
    evaluated = runner.invoke(app, ["experiments", "evaluate", "--json"])
    assert evaluated.exit_code == 0, evaluated.output
    [decision] = json.loads(evaluated.output)["decisions"]
    assert decision["decision"] == "keep" and decision["lesson"]
    bad = runner.invoke(
        app, ["experiments", "create", "X", "--kind", "mood", "--metric", "x", "--arm", "a"]
    )
    assert bad.exit_code == 2 and "arm_kind must be one of" in bad.output

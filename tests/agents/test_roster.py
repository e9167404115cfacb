"""The roster as people use it: hire, fire, rehire and change agents; who serves each call;
the figures, rewards and recommendation every task moves; what the model calls cost."""

from __future__ import annotations

import json
from decimal import Decimal

import pytest
from pydantic_ai.exceptions import ModelHTTPError
from typer.testing import CliRunner

from clarion.accounts.models import Workspace
from clarion.accounts.workspaces import create_workspace
from clarion.agents.models import Agent, Task, Team
from clarion.agents.team import evaluate
from clarion.audit.models import AuditEvent
from clarion.cli import app
from clarion.writing.services import run_session, start_session
from tests.conftest import token_client
from tests.scripted import draft, verdict

pytestmark = pytest.mark.django_db

JSON = "application/json"


def workspace_of(user) -> Workspace:
    return user.memberships.order_by("created_at").first().workspace


def slogan(workspace: Workspace):
    return run_session(start_session(brief="A slogan for fresh coffee", workspace=workspace))


def hire(api, **fields):
    body = {"name": "Quill", "role": "writer", **fields}
    return api.post("/api/agents/create", body, content_type=JSON)


def test_every_workspace_has_its_own_built_in_team(owner, other_workspace):
    mine, theirs = workspace_of(owner), other_workspace
    for workspace in (mine, theirs):
        team = Agent.objects.filter(workspace=workspace)
        assert sorted(team.values_list("role", flat=True)) == [
            "analyst",
            "planner",
            "reviewer",
            "strategist",
            "writer",
        ]
        assert {a.team.slug for a in team} == {"marketing"}
        assert all(a.is_active and a.is_builtin and a.emoji for a in team)
    assert set(Team.objects.values_list("slug", flat=True)) >= {"marketing", "engineering"}


def test_hiring_an_agent_puts_it_on_the_roster_with_the_roles_prompt(api_client, owner):
    created = hire(api_client, emoji="🪶", temperature=0.9)

    assert created.status_code == 201, created.content
    quill = created.json()
    assert (quill["name"], quill["role"], quill["team"], quill["emoji"]) == (
        "Quill",
        "writer",
        "marketing",
        "🪶",
    )
    assert quill["is_active"] and quill["total_tasks_completed"] == 0
    assert quill["evaluation"]["recommendation"] == "monitor"
    assert "copywriter" in quill["prompt"]  # the writer's own prompt, to start with
    roster = api_client.get("/api/agents").json()
    assert [a["name"] for a in roster if a["role"] == "writer"] == ["Wren", "Quill"]
    assert api_client.get(f"/api/agents/{quill['id']}").json()["name"] == "Quill"
    event = AuditEvent.objects.get(action="agent.hire")
    assert (event.actor_email, event.target_label) == ("owner@example.com", "Quill (writer)")


@pytest.mark.parametrize(
    ("fields", "status", "message"),
    [
        ({"name": "wren"}, 409, "already on this workspace's roster"),
        ({"role": "janitor"}, 422, "role"),
        ({"team": "sales"}, 422, "team"),
        ({"llm_preference": "gpt-4o"}, 422, "is not a model spec"),
        ({"temperature": 3}, 422, "temperature"),
        ({"name": "   "}, 422, "name"),
    ],
)
def test_a_bad_hire_says_what_is_wrong(api_client, fields, status, message):
    answer = hire(api_client, **fields)

    assert answer.status_code == status, answer.content
    assert message in str(answer.json()["detail"])
    assert not Agent.objects.filter(name="Quill").exists()


def test_firing_the_only_writer_is_refused_with_a_clear_error(api_client, owner):
    wren = Agent.objects.get(workspace=workspace_of(owner), name="Wren")

    answer = api_client.post(f"/api/agents/{wren.pk}/fire", content_type=JSON)

    assert answer.status_code == 409
    assert answer.json()["detail"] == (
        "Wren is the only active writer: hire or rehire another writer before firing it"
    )
    wren.refresh_from_db()
    assert wren.is_active


def test_with_two_writers_firing_one_sends_every_later_call_to_the_other(
    api_client, owner, scripted
):
    workspace = workspace_of(owner)
    scripted.script("write", draft("Fresh coffee, roasted the day you order."))
    scripted.script("review", verdict("approve"))
    quill = hire(api_client, prompt="Write like a poet.").json()
    wren = Agent.objects.get(workspace=workspace, name="Wren")
    assert Task.objects.get(job=slogan(workspace).job, role="writer").agent == wren

    fired = api_client.post(f"/api/agents/{wren.pk}/fire", content_type=JSON)

    assert fired.status_code == 200, fired.content
    assert not fired.json()["is_active"] and fired.json()["fired_at"]
    for _ in range(2):
        job = slogan(workspace).job
        assert Task.objects.get(job=job, role="writer").agent_id == quill["id"]
    assert "Write like a poet." in scripted.instructions[-2]  # the writer's call
    again = api_client.post(f"/api/agents/{wren.pk}/fire", content_type=JSON)
    assert (again.status_code, again.json()["detail"]) == (
        409,
        "Wren is not on duty: it was fired already",
    )
    # Quill is the only writer now; rehiring Wren makes it the one serving again.
    assert api_client.post(f"/api/agents/{quill['id']}/fire", content_type=JSON).status_code == 409
    assert api_client.post(f"/api/agents/{wren.pk}/rehire", content_type=JSON).json()["is_active"]
    assert Task.objects.get(job=slogan(workspace).job, role="writer").agent == wren
    events = AuditEvent.objects.filter(action__startswith="agent.").order_by("id")
    actions = list(events.values_list("action"))
    assert actions == [("agent.hire",), ("agent.fire",), ("agent.rehire",)]


def test_one_workspaces_hiring_and_firing_never_touch_anothers(owner, outsider, scripted):
    scripted.script("write", draft("Fresh coffee, roasted the day you order."))
    scripted.script("review", verdict("approve"))
    mine, theirs = token_client(owner), token_client(outsider)
    hire(mine)
    wren = Agent.objects.get(workspace=workspace_of(owner), name="Wren")
    assert mine.post(f"/api/agents/{wren.pk}/fire", content_type=JSON).status_code == 200

    assert theirs.post(f"/api/agents/{wren.pk}/rehire", content_type=JSON).status_code == 404
    assert theirs.get(f"/api/agents/{wren.pk}").status_code == 404
    their_roster = {a["name"]: a["is_active"] for a in theirs.get("/api/agents").json()}
    assert their_roster == dict.fromkeys(["Sage", "Iris", "Mira", "Atlas", "Wren"], True)
    task = Task.objects.get(job=slogan(workspace_of(outsider)).job, role="writer")
    assert (task.agent.name, task.agent.workspace) == ("Wren", workspace_of(outsider))


def test_a_viewer_reads_the_roster_but_cannot_hire_or_fire(viewer):
    api = token_client(viewer)

    assert api.get("/api/agents").status_code == 200
    assert hire(api).status_code == 403
    wren = Agent.objects.get(workspace=workspace_of(viewer), name="Wren")
    assert api.post(f"/api/agents/{wren.pk}/fire", content_type=JSON).status_code == 403


def test_updating_an_agent_changes_only_what_is_given(api_client, owner, scripted):
    scripted.script("write", draft("Fresh coffee, roasted the day you order."))
    scripted.script("review", verdict("approve"))
    workspace = workspace_of(owner)
    wren = Agent.objects.get(workspace=workspace, name="Wren")

    changed = api_client.patch(
        f"/api/agents/{wren.pk}",
        {"prompt": "Write in short, warm sentences.", "temperature": 0.4, "emoji": "🐦"},
        content_type=JSON,
    )

    assert changed.status_code == 200, changed.content
    body = changed.json()
    assert (body["name"], body["temperature"], body["emoji"]) == ("Wren", 0.4, "🐦")
    slogan(workspace)
    assert "Write in short, warm sentences." in scripted.instructions[0]
    taken = api_client.patch(f"/api/agents/{wren.pk}", {"name": "iris"}, content_type=JSON)
    assert taken.status_code == 409
    unknown = api_client.patch(f"/api/agents/{wren.pk}", {"role": "x"}, content_type=JSON)
    assert unknown.status_code == 422
    event = AuditEvent.objects.get(action="agent.update")
    assert event.details == {"changed": ["emoji", "prompt", "temperature"]}


def test_rewards_and_success_rates_follow_the_outcomes_of_the_tasks(owner, scripted):
    workspace = workspace_of(owner)
    refused = ModelHTTPError(status_code=400, model_name="scripted", body="bad request")
    scripted.script("write", draft("One."), draft("Two."), refused)
    scripted.script("review", verdict("approve"))

    for _ in range(3):
        slogan(workspace)

    wren = Agent.objects.get(workspace=workspace, name="Wren")
    iris = Agent.objects.get(workspace=workspace, name="Iris")
    tasks = Task.objects.filter(agent=wren)
    assert sorted(tasks.values_list("status", "reward")) == [
        ("failed", -5),
        ("succeeded", 10),
        ("succeeded", 10),
    ]
    assert (wren.total_tasks_completed, wren.total_tasks_failed) == (2, 1)
    assert wren.success_rate == pytest.approx(2 / 3)
    assert wren.total_reward == 15
    durations = [t.duration_ms / 1000 for t in tasks]
    assert wren.avg_duration_seconds == pytest.approx(sum(durations) / 3, abs=1e-6)
    assert (iris.total_tasks_completed, iris.total_tasks_failed, iris.total_reward) == (2, 0, 20)
    assert iris.success_rate == 1.0


def test_model_calls_are_priced_from_the_table_and_its_overrides(owner, scripted, settings):
    settings.CLARION_LLM_PRICES = {"scripted": (Decimal("2"), Decimal("8"))}
    workspace = workspace_of(owner)
    scripted.script("write", draft("Fresh coffee, roasted the day you order."))
    scripted.script("review", verdict("approve"))

    job = slogan(workspace).job

    tasks = list(Task.objects.filter(job=job))
    for task in tasks:
        expected = (2 * task.input_tokens + 8 * task.output_tokens) / Decimal(1_000_000)
        assert task.cost_usd == expected.quantize(Decimal("0.000001")) > 0
    job.refresh_from_db()
    assert job.cost_usd == sum(t.cost_usd for t in tasks)
    wren = Agent.objects.get(workspace=workspace, name="Wren")
    assert wren.total_cost_usd == sum(t.cost_usd for t in tasks if t.agent_id == wren.pk)


def _with_record(done: int, failed: int) -> Agent:
    return Agent(name="X", role="writer", total_tasks_completed=done, total_tasks_failed=failed)


@pytest.mark.parametrize(
    ("done", "failed", "recommendation"),
    [
        (0, 0, "monitor"),
        (6, 3, "monitor"),
        (100, 0, "double_down"),
        (95, 5, "continue"),
        (14, 6, "investigate"),
        (3, 17, "fire"),
    ],
)
def test_the_recommendation_follows_the_evidence(done, failed, recommendation):
    found = evaluate(_with_record(done, failed))

    assert found.recommendation == recommendation, found.reason
    if found.low is not None:
        assert found.low < (done + 1) / (done + failed + 2) < found.high
        assert f"{done} of {done + failed} tasks completed" in found.reason


def test_agent_performance_gives_each_active_agent_its_figures_and_advice(api_client, owner):
    workspace = workspace_of(owner)
    Agent.objects.filter(workspace=workspace, name="Wren").update(
        total_tasks_completed=3, total_tasks_failed=17, success_rate=0.15, avg_duration_seconds=90
    )

    rows = {r["name"]: r for r in api_client.get("/api/rl/agent-performance").json()}

    assert set(rows) == {"Wren", "Iris", "Atlas", "Mira", "Sage"}
    wren = rows["Wren"]
    assert (wren["team_name"], wren["success_rate_pct"], wren["avg_duration_minutes"]) == (
        "Marketing",
        15.0,
        1.5,
    )
    assert wren["recommendation"] == "fire"
    assert "3 of 20 tasks completed" in wren["reason"]
    assert rows["Iris"]["recommendation"] == "monitor"


def test_llm_stats_count_calls_tokens_cost_and_latency_per_model_and_per_agent(
    api_client, owner, other_workspace, scripted
):
    workspace = workspace_of(owner)
    scripted.script("write", draft("Fresh coffee, roasted the day you order."))
    scripted.script("review", verdict("approve"))
    slogan(workspace)
    slogan(workspace)
    slogan(other_workspace)  # not this workspace's

    stats = api_client.get("/api/rl/llm-stats?days=7").json()

    assert stats["total"]["calls"] == 4
    [model] = stats["models"]
    assert (model["key"], model["calls"], model["failed"]) == ("scripted", 4, 0)
    assert model["input_tokens"] > 0 and model["p50_ms"] is not None
    assert model["p50_ms"] <= model["p95_ms"]
    assert {a["key"]: a["calls"] for a in stats["agents"]} == {"Wren": 2, "Iris": 2}
    assert api_client.get("/api/rl/llm-stats?days=0").status_code == 422


def test_a_new_workspace_gets_the_team_and_the_installations_own_work_keeps_its_agents():
    before = Agent.objects.filter(workspace__isnull=True).count()

    workspace = create_workspace(name="Brand new client")

    assert Agent.objects.filter(workspace=workspace).count() == 5
    assert Agent.objects.filter(workspace__isnull=True).count() == before == 5


def test_the_cli_lists_hires_fires_rehires_and_updates_agents(owner):
    runner = CliRunner()
    workspace = workspace_of(owner)
    hired = runner.invoke(app, ["agents", "hire", "Quill", "--role", "writer", "--json"])
    assert hired.exit_code == 0, hired.output
    quill = json.loads(hired.output)
    wren = Agent.objects.get(workspace=workspace, name="Wren")

    fired = runner.invoke(app, ["agents", "fire", str(wren.pk)])
    assert fired.exit_code == 0, fired.output
    assert "Fired Wren (writer" in fired.output
    assert "Quill serves the writer role now." in fired.output
    refused = runner.invoke(app, ["agents", "fire", str(quill["id"])])
    assert refused.exit_code != 0
    assert "Quill is the only active writer" in refused.output
    assert "Traceback" not in refused.output

    listed = json.loads(runner.invoke(app, ["agents", "list", "--json"]).output)
    assert {a["name"]: a["is_active"] for a in listed if a["role"] == "writer"} == {
        "Wren": False,
        "Quill": True,
    }
    table = runner.invoke(app, ["agents", "list"]).output
    assert "fired" in table and "Quill" in table
    assert runner.invoke(app, ["agents", "rehire", str(wren.pk)]).exit_code == 0
    updated = runner.invoke(
        app, ["agents", "update", str(quill["id"]), "--temperature", "0.3", "--json"]
    )
    assert json.loads(updated.output)["temperature"] == 0.3
    bad = runner.invoke(app, ["agents", "update", str(quill["id"]), "--model", "gpt-4o"])
    assert bad.exit_code != 0 and "is not a model spec" in bad.output
    shown = runner.invoke(app, ["agents", "show", str(quill["id"])])
    assert "advice: monitor" in shown.output
    missing = runner.invoke(app, ["agents", "show", "99999"])
    assert missing.exit_code != 0 and "no agent 99999" in missing.output

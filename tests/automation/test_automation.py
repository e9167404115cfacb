"""Automation from repetition: every command a person issues is recorded with its intent;
three of the same make a candidate (two do not); an approved one runs once per period."""

from __future__ import annotations

from datetime import timedelta

import pytest
from django.utils import timezone
from typer.testing import CliRunner

from clarion.agents import control
from clarion.agents.models import Job
from clarion.analytics.models import Pattern
from clarion.audit.context import acting, terminal_actor
from clarion.automation.models import AutomationCandidate, ScheduleRun, UserCommand
from clarion.automation.services import normalise, record, run_due_schedules
from clarion.cli import app
from tests.conftest import token_client

pytestmark = pytest.mark.django_db

JSON = "application/json"
REGENERATION = {"campaign": "spring-launch", "phase_num": 3}


def workspace_of(user):
    return user.memberships.order_by("created_at").first().workspace


def evaluate(api):
    body = {"job_type": "evaluation", "params": {}}
    return api.post("/api/jobs/start", body, content_type=JSON)


def test_the_intent_abstracts_dates_free_text_and_ids_and_keeps_what_repeats():
    monday = normalise("regeneration", {**REGENERATION, "new_direction": "Lead with price"})
    later = normalise("regeneration", {**REGENERATION, "new_direction": "Focus on the team"})

    assert (
        monday == later == ("regeneration campaign=spring-launch new_direction={text} phase_num=3")
    )
    assert normalise("daily_run", {"date": "2026-12-07", "dry_run": True}) == normalise(
        "daily_run", {"date": "2026-12-14", "dry_run": True}
    )
    assert normalise("regeneration", {**REGENERATION, "phase_num": 2}) != monday


def test_two_repetitions_propose_nothing_and_a_third_proposes_an_automation(api_client, owner):
    runner = CliRunner()
    assert evaluate(api_client).status_code == 202
    assert runner.invoke(app, ["jobs", "start", "evaluation"]).exit_code == 0
    assert UserCommand.objects.count() == 2
    assert set(UserCommand.objects.values_list("via", flat=True)) == {"api_token", "cli"}
    assert api_client.get("/api/rl/automation-candidates").json() == []

    evaluate(api_client)

    [candidate] = api_client.get("/api/rl/automation-candidates").json()
    assert candidate["occurrence_count"] == 3 and candidate["job_type"] == "evaluation"
    assert candidate["cadence"] == "weekly"  # all three today: the same weekday
    assert "You asked to evaluate the experiments 3 times" in candidate["pattern_description"]
    assert 0 < candidate["confidence_score"] < 1 and not candidate["is_automated"]
    assert candidate["proposed_agent_name"].endswith("evaluate the experiments")
    pattern = Pattern.objects.get(pattern_type="user_repetition")
    assert pattern.detection_count == 3 and "candidate" in pattern.action_taken


def test_the_workers_own_work_is_never_recorded(api_client):
    job_id = evaluate(api_client).json()["id"]
    control.run(job_id)  # as the worker does it: the evaluation inside is not a person's ask
    run_due_schedules()

    assert UserCommand.objects.count() == 1


def _weekly_regeneration_candidate(workspace) -> AutomationCandidate:
    now = timezone.now()
    for weeks in (2, 1):
        UserCommand.objects.create(
            workspace=workspace,
            command_text="regenerate",
            normalized_intent=normalise("regeneration", {**REGENERATION, "new_direction": "x"}),
            job_type="regeneration",
            params={**REGENERATION, "new_direction": f"Direction {weeks}"},
            via="web",
            executed_at=now - timedelta(weeks=weeks),
        )
    with acting(terminal_actor()):
        record(workspace, "regeneration", {**REGENERATION, "new_direction": "A new direction"})
    return AutomationCandidate.objects.get()


def test_the_same_ask_on_the_same_weekday_proposes_a_weekly_schedule_that_day(owner):
    candidate = _weekly_regeneration_candidate(workspace_of(owner))

    day = timezone.localtime().strftime("%A")
    assert (candidate.cadence, candidate.weekday) == ("weekly", timezone.localtime().weekday())
    assert f"3 of them on a {day}" in candidate.pattern_description
    assert candidate.params["new_direction"] == "A new direction"  # the latest ask
    assert candidate.proposed_agent_name == f"{day}s regenerate a campaign"


def test_an_approved_candidate_runs_exactly_once_per_period(api_client, owner):
    workspace = workspace_of(owner)
    candidate = _weekly_regeneration_candidate(workspace)

    approved = api_client.post(
        f"/api/rl/automation-candidates/{candidate.pk}/approve", content_type=JSON
    )

    assert approved.status_code == 200, approved.content
    assert approved.json()["is_automated"] and approved.json()["schedule"]["cadence"] == "weekly"
    now = timezone.now()
    # No campaign "spring-launch": the period's run records why it could not start, once.
    assert run_due_schedules(now=now) == []
    assert run_due_schedules(now=now) == []
    [run] = ScheduleRun.objects.all()
    assert run.job is None and "no campaign 'spring-launch'" in run.error
    assert run_due_schedules(now=now + timedelta(days=1)) == []  # not its weekday
    assert ScheduleRun.objects.count() == 1
    again = api_client.post(
        f"/api/rl/automation-candidates/{candidate.pk}/approve", content_type=JSON
    )
    assert again.status_code == 409


def test_a_schedule_starts_its_job_once_this_period_and_again_the_next(api_client, owner):
    for _ in range(3):
        evaluate(api_client)
    candidate = AutomationCandidate.objects.get()
    api_client.post(f"/api/rl/automation-candidates/{candidate.pk}/approve", content_type=JSON)
    now = timezone.now()
    before = Job.objects.count()

    [first] = run_due_schedules(now=now)
    assert run_due_schedules(now=now) == []  # a second worker's tick, or the next heartbeat
    [second] = run_due_schedules(now=now + timedelta(weeks=1))

    assert Job.objects.count() == before + 2
    assert Job.objects.get(pk=first).kind == "evaluation"
    assert list(ScheduleRun.objects.order_by("id").values_list("job_id", flat=True)) == [
        first,
        second,
    ]
    assert control.run(first) == "succeeded"
    assert UserCommand.objects.count() == 3  # the scheduled jobs are not a person's asks
    logs = [line.message for line in control.logs_of(Job.objects.get(pk=first))]
    assert any(m.startswith("Started by the schedule") for m in logs)


def test_candidates_stay_in_their_workspace_and_viewers_cannot_approve(
    api_client, owner, outsider, viewer
):
    for _ in range(3):
        evaluate(api_client)
    candidate = AutomationCandidate.objects.get()
    theirs = token_client(outsider)

    assert theirs.get("/api/rl/automation-candidates").json() == []
    url = f"/api/rl/automation-candidates/{candidate.pk}/approve"
    assert theirs.post(url, content_type=JSON).status_code == 404
    assert token_client(viewer).post(url, content_type=JSON).status_code == 403
    assert not AutomationCandidate.objects.get().is_automated


def test_the_automation_page_lists_candidates_and_approves_them(client, api_client):
    assert "Nothing repeated enough yet" in client.get("/learning/automation/").content.decode()
    for _ in range(3):
        evaluate(api_client)
    candidate = AutomationCandidate.objects.get()

    page = client.get("/learning/automation/").content.decode()
    assert "You asked to evaluate the experiments 3 times" in page and ">Approve<" in page

    done = client.post(f"/learning/automation/{candidate.pk}/approve/", follow=True)
    html = done.content.decode()
    assert "runs from now on." in html and "automated" in html and ">Approve<" not in html

"""Jobs a person starts and stops: queued for the worker, run step by step, stopped between
steps with the rest skipped and nothing half-written, followed through their logs."""

from __future__ import annotations

import json

import pytest
from django_tasks_db.models import DBTaskResult
from pydantic_ai.exceptions import ModelHTTPError
from typer.testing import CliRunner

from clarion.agents import control
from clarion.agents.models import Job, RunStatus, Task
from clarion.cli import app
from clarion.writing.models import IterationSession
from tests.conftest import make_brand, token_client
from tests.publishing.helpers import DAY, make_plan
from tests.scripted import draft, verdict

pytestmark = pytest.mark.django_db

JSON = "application/json"


def workspace_of(user):
    return user.memberships.order_by("created_at").first().workspace


def start(api, job_type, **params):
    return api.post("/api/jobs/start", {"job_type": job_type, "params": params}, content_type=JSON)


def steps(job_id):
    return list(Task.objects.filter(job_id=job_id, role="step").values_list("name", "status"))


def test_a_started_job_is_queued_for_the_worker_and_runs_its_steps(
    api_client, scripted, django_capture_on_commit_callbacks
):
    scripted.script("write", draft("Fresh coffee, roasted the day you order."))
    scripted.script("review", verdict("approve"))

    with django_capture_on_commit_callbacks(execute=True):
        answer = start(api_client, "slogans", brief="A slogan for fresh coffee", count=2)

    assert answer.status_code == 202, answer.content
    queued = answer.json()
    assert (queued["status"], queued["steps_total"], queued["steps"]) == (
        "pending",
        2,
        {"pending": 2},
    )
    [task] = DBTaskResult.objects.filter(task_path__endswith="run_control_job")
    assert task.args_kwargs["args"] == [queued["id"]]

    assert control.run(queued["id"]) == RunStatus.SUCCEEDED

    status = api_client.get(f"/api/jobs/{queued['id']}/status").json()
    assert (status["status"], status["steps"]) == ("succeeded", {"succeeded": 2})
    assert IterationSession.objects.filter(status="completed").count() == 2
    lines = [line["message"] for line in api_client.get(f"/api/jobs/{queued['id']}/logs").json()]
    assert lines[0].startswith("Queued: 2 slogans")
    assert "Slogan 2 of 2: Slogan 2 (approved): Fresh coffee, roasted the day you order." in lines
    assert lines[-1] == "Finished."
    # Running it again (a second worker, a retried task) does nothing.
    assert control.run(queued["id"]) == "not queued (succeeded)"


def test_a_job_stopped_mid_run_finishes_its_step_skips_the_rest_and_leaves_nothing_half_written(
    api_client, scripted, monkeypatch
):
    job_id = start(api_client, "slogans", brief="A slogan for fresh coffee", count=4).json()["id"]
    workspace = Job.objects.get(pk=job_id).workspace
    scripted.script("write", draft("Fresh coffee, roasted the day you order."))
    scripted.script("review", verdict("approve"))
    stopped = []
    log = control.log

    def logged(job, message, **kwargs):
        line = log(job, message, **kwargs)
        if message == "Slogan 1 of 4: started.":  # a person presses Stop during the first
            stopped.append(api_client.post(f"/api/jobs/{job_id}/stop", content_type=JSON))
        return line

    monkeypatch.setattr(control, "log", logged)

    assert control.run(job_id) == RunStatus.STOPPED

    assert stopped[0].status_code == 200 and stopped[0].json()["stop_requested"]
    assert steps(job_id) == [
        ("Slogan 1 of 4", "succeeded"),
        ("Slogan 2 of 4", "skipped"),
        ("Slogan 3 of 4", "skipped"),
        ("Slogan 4 of 4", "skipped"),
    ]
    # The step that was running finished whole; no session was begun for the skipped ones.
    [session] = IterationSession.objects.filter(workspace=workspace)
    assert (session.status, session.final_text) == (
        "completed",
        "Fresh coffee, roasted the day you order.",
    )
    job = Job.objects.get(pk=job_id)
    assert job.status == "stopped" and job.finished_at is not None
    logs = api_client.get(f"/api/jobs/{job_id}/logs").json()
    assert "Stopped: 1 step(s) done, 3 skipped." in [line["message"] for line in logs]
    again = api_client.post(f"/api/jobs/{job_id}/stop", content_type=JSON)
    assert (again.status_code, again.json()["detail"]) == (
        409,
        f"job {job_id} has ended already (stopped)",
    )


def test_a_queued_job_stops_at_once_and_the_worker_then_leaves_it(api_client):
    job_id = start(api_client, "slogans", brief="A slogan", count=3).json()["id"]

    stopped = api_client.post(f"/api/jobs/{job_id}/stop", content_type=JSON).json()

    assert (stopped["status"], stopped["steps"]) == ("stopped", {"skipped": 3})
    assert control.run(job_id) == "not queued (stopped)"
    assert not IterationSession.objects.exists()


def test_a_failed_step_fails_the_job_with_its_reason_and_skips_the_rest(api_client, scripted):
    refused = ModelHTTPError(status_code=400, model_name="scripted", body="bad request")
    scripted.script("write", refused)
    job_id = start(api_client, "slogans", brief="A slogan", count=3).json()["id"]

    assert control.run(job_id) == RunStatus.FAILED

    assert [status for _, status in steps(job_id)] == ["failed", "skipped", "skipped"]
    status = api_client.get(f"/api/jobs/{job_id}/status").json()
    assert status["error"].startswith("Slogan 1 of 3 failed:")
    assert "400" in status["error"]
    levels = [line["level"] for line in api_client.get(f"/api/jobs/{job_id}/logs").json()]
    assert "error" in levels


def test_the_log_is_followed_with_after(api_client, scripted):
    scripted.script("write", draft("Fresh coffee, roasted the day you order."))
    scripted.script("review", verdict("approve"))
    job_id = start(api_client, "slogans", brief="A slogan", count=1).json()["id"]
    first = api_client.get(f"/api/jobs/{job_id}/logs").json()
    control.run(job_id)

    rest = api_client.get(f"/api/jobs/{job_id}/logs?after={first[-1]['seq']}").json()

    assert [line["seq"] for line in rest] == sorted(line["seq"] for line in rest)
    assert rest[0]["seq"] > first[-1]["seq"] and rest[0]["message"] == "Started."
    assert api_client.get(f"/api/jobs/{job_id}/logs?after={rest[-1]['seq']}").json() == []


def test_a_daily_run_job_has_a_step_per_brand(api_client, owner):
    for n in range(2):
        make_plan(make_brand(slug=f"roastery-{n}", brand_name=f"Roastery {n}"))
    answer = start(api_client, "daily_run", date=DAY.isoformat(), dry_run=True)
    job_id = answer.json()["id"]

    assert control.run(job_id) == RunStatus.SUCCEEDED

    assert steps(job_id) == [
        ("Daily posts of Roastery 0", "succeeded"),
        ("Daily posts of Roastery 1", "succeeded"),
    ]
    messages = [line["message"] for line in api_client.get(f"/api/jobs/{job_id}/logs").json()]
    assert any(m.startswith("Daily posts of Roastery 0: Roastery 0: ") for m in messages)


@pytest.mark.parametrize(
    ("body", "status", "message"),
    [
        ({"job_type": "world_domination", "params": {}}, 422, "job_type"),
        ({"job_type": "slogans", "params": {}}, 422, "brief"),
        ({"job_type": "slogans", "params": {"brief": "x", "colour": "red"}}, 422, "colour"),
        ({"job_type": "slogans", "params": {"brief": "x", "count": 21}}, 422, "count"),
        ({"job_type": "monthly_plan", "params": {"brand": "nope"}}, 404, "no brand"),
        ({"job_type": "daily_run", "params": {}}, 404, "no brand to run the day for"),
        (
            {
                "job_type": "regeneration",
                "params": {"campaign": "x", "phase_num": 1, "new_direction": "y"},
            },
            404,
            "no campaign 'x'",
        ),
    ],
)
def test_a_bad_start_says_what_is_wrong_and_queues_nothing(api_client, body, status, message):
    answer = api_client.post("/api/jobs/start", body, content_type=JSON)

    assert answer.status_code == status, answer.content
    assert message in str(answer.json()["detail"])
    assert not Job.objects.exists()


def test_jobs_are_listed_as_jobs_and_as_sessions_and_stay_in_their_workspace(api_client, outsider):
    job_id = start(api_client, "evaluation").json()["id"]

    mine = api_client.get("/api/jobs").json()["items"]
    assert [j["id"] for j in mine] == [job_id]
    assert api_client.get("/api/sessions").json()["items"] == mine
    assert api_client.get("/api/jobs?status=pending&kind=evaluation").json()["count"] == 1
    assert api_client.get("/api/jobs?status=running").json()["count"] == 0
    theirs = token_client(outsider)
    assert theirs.get("/api/jobs").json()["items"] == []
    assert theirs.get(f"/api/jobs/{job_id}/status").status_code == 404
    assert theirs.post(f"/api/jobs/{job_id}/stop", content_type=JSON).status_code == 404


def test_a_viewer_cannot_start_or_stop_a_job(api_client, viewer):
    job_id = start(api_client, "evaluation").json()["id"]
    api = token_client(viewer)

    assert start(api, "evaluation").status_code == 403
    assert api.post(f"/api/jobs/{job_id}/stop", content_type=JSON).status_code == 403
    assert api.get(f"/api/jobs/{job_id}/logs").status_code == 200


def test_the_cli_starts_lists_follows_and_stops_jobs(owner, scripted):
    scripted.script("write", draft("Fresh coffee, roasted the day you order."))
    scripted.script("review", verdict("approve"))
    runner = CliRunner()

    started = runner.invoke(
        app, ["jobs", "start", "slogans", "--param", "brief=A slogan", "--param", "count=2"]
    )
    assert started.exit_code == 0, started.output
    job = Job.objects.get()
    assert f"Queued job {job.pk}" in started.output
    listed = json.loads(runner.invoke(app, ["jobs", "list", "--json"]).output)
    assert [(j["id"], j["status"]) for j in listed] == [(job.pk, "pending")]

    control.run(job.pk)
    logs = runner.invoke(app, ["jobs", "logs", str(job.pk), "--follow"])
    assert logs.exit_code == 0, logs.output
    assert "Slogan 2 of 2" in logs.output and "Finished." in logs.output
    assert "succeeded" in logs.output
    ended = runner.invoke(app, ["jobs", "stop", str(job.pk)])
    assert ended.exit_code != 0 and "has ended already" in ended.output
    bad = runner.invoke(app, ["jobs", "start", "slogans", "--param", "count"])
    assert bad.exit_code != 0 and "name=value" in bad.output


def test_the_job_page_shows_the_log_live_and_a_stop_button(client, owner, api_client):
    job_id = start(api_client, "slogans", brief="A slogan", count=2).json()["id"]

    page = client.get(f"/jobs/{job_id}/").content.decode()

    assert "Queued: 2 slogans: A slogan (2 step(s))." in page
    assert 'hx-trigger="every 2s"' in page and ">Stop</button>" in page
    part = client.get(f"/jobs/{job_id}/?part=log", headers={"HX-Request": "true"})
    assert part.content.decode().lstrip().startswith('<section id="job-log"')
    stopped = client.post(f"/jobs/{job_id}/stop/", follow=True).content.decode()
    assert "Stopped: its steps are skipped." in stopped
    assert ">Stop</button>" not in stopped and "skipped" in stopped
    again = client.post(f"/jobs/{job_id}/stop/", follow=True).content.decode()
    assert "has ended already (stopped)" in again


def test_a_queued_job_waits_for_any_worker_whoever_stored_it(api_client):
    from datetime import timedelta

    from django.utils import timezone

    from clarion.agents.jobs import end_abandoned_jobs

    job_id = start(api_client, "evaluation").json()["id"]
    Job.objects.filter(pk=job_id).update(
        runner="laptop:77", updated_at=timezone.now() - timedelta(hours=2)
    )

    assert end_abandoned_jobs(lease_seconds=60) == []
    assert Job.objects.get(pk=job_id).status == "pending"

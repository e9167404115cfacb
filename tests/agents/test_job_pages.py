"""The jobs pages: running and recent jobs of the workspace, and one job with its tasks and
model calls, in a bounded number of queries."""

from __future__ import annotations

import datetime as dt

import pytest
from django.test import Client
from django.utils import timezone

from clarion.agents.models import AgentCall, Job, Task
from clarion.publishing.services import run_daily
from tests.conftest import SIGN_IN_QUERIES
from tests.factories import make_brand
from tests.publishing.helpers import DAY, make_plan

pytestmark = pytest.mark.django_db


def a_job(workspace, *, tasks=0, calls=1, **fields):
    start = timezone.now() - dt.timedelta(minutes=5)
    values = {
        "kind": "strategy",
        "title": "Plan: Spring launch",
        "status": "succeeded",
        "model_name": "openai:gpt-4o-mini",
        "requests": 3,
        "input_tokens": 1200,
        "output_tokens": 800,
        "started_at": start,
        "finished_at": start + dt.timedelta(seconds=42),
        **fields,
    }
    job = Job.objects.create(workspace=workspace, **values)
    for n in range(tasks):
        task = Task.objects.create(
            job=job,
            role="writer",
            name=f"writer, turn {n + 1}",
            status="succeeded",
            model_name="openai:gpt-4o-mini",
            attempts=calls,
            requests=calls,
            input_tokens=400,
            output_tokens=200,
            duration_ms=1500,
        )
        AgentCall.objects.bulk_create(
            AgentCall(
                task=task,
                model_name="openai:gpt-4o-mini",
                attempt=a + 1,
                status="ok" if a == calls - 1 else "timeout",
                requests=1,
                input_tokens=400,
                output_tokens=200 if a == calls - 1 else 0,
                duration_ms=1500,
                error="" if a == calls - 1 else "the model did not answer within 30 s",
            )
            for a in range(calls)
        )
    return job


def test_the_list_shows_running_and_recent_jobs_with_their_figures(client, brand):
    workspace = brand.workspace
    running = a_job(
        workspace,
        title="Monthly plan for Northwind",
        kind="plan",
        status="running",
        finished_at=None,
    )
    failed = a_job(
        workspace,
        title="Regenerate c-1 from phase 2",
        status="failed",
        error="the strategist's answer broke the graph rules: phase 5 is out of range",
    )

    page = client.get("/jobs/").content.decode()

    running_part = page.split('id="running-jobs"')[1].split("</section>")[0]
    assert "Monthly plan for Northwind" in running_part and 'hx-trigger="every 5s"' in page
    assert f'id="job-{failed.pk}"' in page and f'id="job-{running.pk}"' in page
    assert "phase 5 is out of range" in page
    assert "Campaign plan" in page and "Monthly plan" in page
    assert "openai:gpt-4o-mini" in page and "1200 / 800" in page and "42.0 s" in page


def test_the_running_part_refreshes_alone(client, brand):
    a_job(
        brand.workspace,
        title="Writing today's posts",
        kind="post",
        status="running",
        finished_at=None,
    )

    part = client.get("/jobs/?part=running", headers={"HX-Request": "true"}).content.decode()

    assert part.lstrip().startswith('<section id="running-jobs"')
    assert "Writing today&#x27;s posts" in part and "<html" not in part


def test_the_list_filters_by_kind(client, brand):
    a_job(brand.workspace, title="A slogan for spring", kind="slogan")
    a_job(brand.workspace, title="Plan: Spring launch", kind="strategy")

    page = client.get("/jobs/?kind=slogan").content.decode()

    assert "A slogan for spring" in page and "Plan: Spring launch" not in page
    assert '<option value="slogan" selected>Slogan session</option>' in page
    assert "Plan: Spring launch" in client.get("/jobs/?kind=%00").content.decode()


def test_a_job_shows_its_tasks_and_model_calls(client, brand):
    job = a_job(brand.workspace, tasks=2, calls=2)

    page = client.get(f"/jobs/{job.pk}/").content.decode()

    assert "<h1>Plan: Spring launch</h1>" in page
    assert page.count('class="task"') == 2 and page.count('class="call"') == 4
    assert "writer, turn 2" in page
    assert "the model did not answer within 30 s" in page
    assert "timeout" in page and "1.5 s" in page and "1500 ms" in page


def test_the_daily_posts_job_is_shown_with_what_ran(client, brand):
    make_plan(brand, networks=("LinkedIn",))
    run_daily(date=DAY, brands=[brand])
    job = Job.objects.get(workspace=brand.workspace)

    page = client.get(f"/jobs/{job.pk}/").content.decode()

    assert page.count('class="task"') == job.tasks.count() > 0


def test_another_workspaces_jobs_are_absent_and_404(client, brand, other_workspace, outsider):
    theirs = a_job(other_workspace, title="Their secret plan", tasks=1)
    make_brand(workspace=other_workspace, brand_name="Theirs")

    page = client.get("/jobs/").content.decode()

    assert "Their secret plan" not in page
    assert client.get(f"/jobs/{theirs.pk}/").status_code == 404
    assert client.get("/jobs/999999/").status_code == 404


def test_a_viewer_reads_the_jobs(viewer, brand):
    job = a_job(brand.workspace, tasks=1)
    browser = Client()
    browser.force_login(viewer)

    assert browser.get("/jobs/").status_code == 200
    page = browser.get(f"/jobs/{job.pk}/").content.decode()
    assert "writer, turn 1" in page and "<button" not in page.split("<main>")[1]
    assert browser.post("/jobs/").status_code == 403


def test_the_pages_cost_the_same_queries_for_300_jobs_and_300_tasks(
    client, brand, django_assert_max_num_queries
):
    Job.objects.bulk_create(
        Job(workspace=brand.workspace, kind="post", title=f"Post {n}", status="succeeded")
        for n in range(300)
    )
    big = a_job(brand.workspace, tasks=300, calls=2)

    with django_assert_max_num_queries(SIGN_IN_QUERIES + 9):
        page = client.get("/jobs/").content.decode()
    assert page.count('<tr id="job-') == 50 and "Page 1 of 7 · 301 jobs" in page

    with django_assert_max_num_queries(SIGN_IN_QUERIES + 10):  # and its log
        page = client.get(f"/jobs/{big.pk}/?page=2").content.decode()
    assert page.count('class="task"') == 50 and page.count('class="call"') == 100

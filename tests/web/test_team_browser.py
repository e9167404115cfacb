"""The Team page in a real browser: hire a writer, fire the other, and see who writes."""

from __future__ import annotations

import pytest

pytestmark = pytest.mark.django_db(transaction=True)


def test_a_person_hires_a_writer_fires_the_other_and_the_calls_go_to_the_new_one(page, owner):
    from playwright.sync_api import expect

    from clarion.agents.models import Task
    from clarion.writing.services import run_session, start_session

    page.goto("/team/")
    page.fill("input[name=name]", "Quill")
    page.select_option("select[name=role]", "writer")
    page.get_by_role("button", name="Hire", exact=True).click()
    expect(page.locator("body")).to_contain_text("Hired Quill, writer: on duty now.")

    page.get_by_role("button", name="Fire Wren").click()
    expect(page.locator("body")).to_contain_text("Fired Wren: Quill serves the writer role now.")
    expect(page.get_by_role("button", name="Rehire Wren")).to_be_visible()

    workspace = owner.memberships.get().workspace
    session = run_session(start_session(brief="A slogan for fresh coffee", workspace=workspace))
    writer = Task.objects.get(job=session.job, role="writer").agent
    assert writer.name == "Quill"

    page.reload()
    quill = page.locator("tr", has_text="Quill")
    expect(quill).to_contain_text("serving")
    expect(quill).to_contain_text("1 done")
    page.get_by_role("button", name="Fire Quill").click()
    expect(page.locator(".notice.bad")).to_contain_text("Quill is the only active writer")


def test_a_person_follows_a_job_and_stops_it(page, owner, api_token):
    from django.test import Client
    from playwright.sync_api import expect

    api = Client(headers={"Authorization": f"Bearer {api_token}"})
    body = {"job_type": "slogans", "params": {"brief": "A slogan for fresh coffee", "count": 3}}
    job = api.post("/api/jobs/start", body, content_type="application/json").json()

    page.goto(f"/jobs/{job['id']}/")
    expect(page.locator("#job-log")).to_contain_text("Queued: 3 slogans")
    page.get_by_role("button", name="Stop").click()
    expect(page.locator("body")).to_contain_text("Stopped: its steps are skipped.")
    expect(page.locator(".task-table")).to_contain_text("skipped")
    expect(page.get_by_role("button", name="Stop")).to_have_count(0)


def test_a_person_approves_an_automation_candidate(page, owner, api_token):
    from django.test import Client
    from playwright.sync_api import expect

    from clarion.automation.models import Schedule

    api = Client(headers={"Authorization": f"Bearer {api_token}"})
    for _ in range(3):  # the same ask, three times
        api.post(
            "/api/jobs/start",
            {"job_type": "evaluation", "params": {}},
            content_type="application/json",
        )

    page.goto("/learning/automation/")
    expect(page.locator(".candidate")).to_contain_text(
        "You asked to evaluate the experiments 3 times"
    )
    page.get_by_role("button", name="Approve").click()
    expect(page.locator("body")).to_contain_text("runs from now on.")
    expect(page.locator(".candidate")).to_contain_text("automated")
    assert Schedule.objects.get().job_type == "evaluation"

"""The Team pages: the roster with its advice, hiring, firing and rehiring; model usage."""

from __future__ import annotations

import pytest

from clarion.agents.models import Agent
from clarion.writing.services import run_session, start_session
from tests.conftest import token_client
from tests.scripted import draft, verdict

pytestmark = pytest.mark.django_db


def workspace_of(user):
    return user.memberships.order_by("created_at").first().workspace


def test_the_roster_shows_each_agent_its_record_and_advice(client, owner):
    Agent.objects.filter(workspace=workspace_of(owner), name="Wren").update(
        total_tasks_completed=3, total_tasks_failed=17, success_rate=0.15
    )

    page = client.get("/team/")

    assert page.status_code == 200
    html = page.content.decode()
    for name in ("Wren", "Iris", "Atlas", "Mira", "Sage"):
        assert name in html
    assert "3 of 20 tasks completed" in html and ">Fire<" in html
    assert "serving" in html and "Hire an agent" in html
    assert 'aria-current="page">Team' in html


def test_hiring_firing_and_rehiring_from_the_page(client, owner):
    workspace = workspace_of(owner)
    hired = client.post(
        "/team/", {"name": "Quill", "role": "writer", "temperature": "0.7"}, follow=True
    )
    assert "Hired Quill, writer: on duty now." in hired.content.decode()
    quill = Agent.objects.get(workspace=workspace, name="Quill")
    wren = Agent.objects.get(workspace=workspace, name="Wren")

    fired = client.post(f"/team/{wren.pk}/fire/", follow=True).content.decode()
    assert "Fired Wren: Quill serves the writer role now." in fired
    refused = client.post(f"/team/{quill.pk}/fire/", follow=True).content.decode()
    assert "Quill is the only active writer" in refused
    quill.refresh_from_db()
    assert quill.is_active
    back = client.post(f"/team/{wren.pk}/rehire/", follow=True).content.decode()
    assert "Wren is back on duty." in back


def test_a_bad_hire_keeps_the_form_with_the_reason(client):
    page = client.post("/team/", {"name": "wren", "role": "writer", "temperature": "0.7"})

    assert page.status_code == 400
    assert "already on this workspace" in page.content.decode()
    bad_model = client.post(
        "/team/", {"name": "Quill", "role": "writer", "temperature": "0.7", "llm_preference": "x"}
    )
    assert "is not a model spec" in bad_model.content.decode()
    assert not Agent.objects.filter(name="Quill").exists()


def test_a_viewer_sees_the_roster_without_the_buttons_and_cannot_fire(viewer):
    from django.test import Client

    browser = Client()
    browser.force_login(viewer)
    html = browser.get("/team/").content.decode()
    assert "Wren" in html and ">Fire<" not in html and "Hire an agent" not in html
    wren = Agent.objects.get(workspace=workspace_of(viewer), name="Wren")
    assert browser.post(f"/team/{wren.pk}/fire/").status_code == 403
    wren.refresh_from_db()
    assert wren.is_active


def test_another_workspaces_agent_cannot_be_fired_from_here(client, outsider):
    theirs = Agent.objects.get(workspace=workspace_of(outsider), name="Wren")
    Agent.objects.create(workspace=theirs.workspace, name="Quill", role="writer", prompt="p")

    page = client.post(f"/team/{theirs.pk}/fire/", follow=True).content.decode()

    assert "That agent is not on this workspace" in page
    theirs.refresh_from_db()
    assert theirs.is_active


def test_the_usage_page_shows_calls_cost_and_latency_per_model_and_agent(client, owner, scripted):
    scripted.script("write", draft("Fresh coffee, roasted the day you order."))
    scripted.script("review", verdict("approve"))
    run_session(start_session(brief="A slogan", workspace=workspace_of(owner)))

    html = client.get("/team/usage/?days=7").content.decode()

    assert "Per model" in html and "Per agent" in html
    assert "scripted" in html and "Wren" in html and "Iris" in html
    assert "no price known" in html  # the scripted model is in no price table
    assert client.get("/team/usage/?days=abc").status_code == 200
    assert token_client(owner).get("/api/rl/llm-stats").json()["total"]["calls"] == 2

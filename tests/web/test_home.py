"""The frame of every page and the overview: the workspace's own figures, the navigation's
approval count, and a banner when no worker runs or posts are overdue."""

from __future__ import annotations

from datetime import timedelta

import pytest
from django.test import Client
from django.utils import timezone

from clarion.publishing.models import Publication
from clarion.publishing.services import run_daily
from tests.factories import live_worker, make_brand
from tests.publishing.helpers import make_plan

pytestmark = pytest.mark.django_db


def _waiting_posts(brand, day):
    brand.approval_required = True
    brand.save()
    make_plan(brand, day=day, networks=("LinkedIn", "X"))
    run_daily(date=day, brands=[brand])


def test_the_overview_counts_only_the_workspaces_own(client, brand, other_workspace, outsider):
    theirs = make_brand(workspace=other_workspace, brand_name="Theirs")
    today = timezone.localdate()
    _waiting_posts(theirs, today)

    page = client.get("/").content.decode()

    assert 'id="brand-count">1<' in page
    assert 'id="approval-count">0<' in page
    assert "nav-count-approvals" not in page


def test_the_navigation_shows_the_approvals_waiting(client, brand):
    _waiting_posts(brand, timezone.localdate())

    page = client.get("/").content.decode()

    assert 'id="approval-count">2<' in page


def test_a_banner_says_when_no_worker_runs_and_when_posts_are_overdue(client, brand):
    day = timezone.localdate() - timedelta(days=1)
    _waiting_posts(brand, day)
    Publication.objects.update(scheduled_at=timezone.now() - timedelta(hours=2))

    page = client.get("/").content.decode()
    assert "No worker is running" in page
    assert "2 posts are overdue" in page

    live_worker()
    page = client.get("/").content.decode()
    assert "No worker is running" not in page


def test_a_person_of_two_workspaces_switches_from_any_page(owner, other_workspace, outsider):
    from clarion.accounts.workspaces import add_member

    add_member(workspace=other_workspace, user=owner, role="viewer")
    browser = Client()
    browser.force_login(owner)

    assert 'id="switch-workspace"' in browser.get("/").content.decode()
    browser.post("/account/workspace/", {"workspace": "other-client"})
    page = browser.get("/").content.decode()
    assert "<h1>Other client</h1>" in page
    assert "role-viewer" in page

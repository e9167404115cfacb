"""A workspace sees only its own: for every kind of object, another workspace's is 404 by id
and by slug, and absent from lists, counts and exports, whatever the credentials.

Three standing people: the owner of A (``owner``), a viewer of A (``viewer``) and the owner
of B (``outsider``). Both workspaces have a brand with the same slug.
"""

from __future__ import annotations

from dataclasses import dataclass

import pytest
from django.test import Client

from clarion.campaigns import services as campaigns
from clarion.campaigns.media import render_card
from clarion.campaigns.models import Campaign, Post
from clarion.publishing import approvals
from clarion.publishing.models import Publication
from clarion.publishing.services import run_daily
from clarion.writing.models import IterationSession
from clarion.writing.services import run_session, start_session
from tests.campaigns.test_regeneration import give_content
from tests.conftest import token_client
from tests.factories import make_brand
from tests.publishing.helpers import DAY, make_plan

pytestmark = pytest.mark.django_db
JSON = "application/json"


@dataclass
class OtherWorkspace:
    """Everything workspace B has, made by B's owner's services."""

    brand_pk: int
    campaign: Campaign
    post: Post
    plan_pk: int
    waiting_pk: int
    rejected_pk: int
    session: IterationSession


@pytest.fixture
def theirs(outsider, other_workspace) -> OtherWorkspace:
    brand = make_brand(workspace=other_workspace, approval_required=True)
    campaign = campaigns.create_campaign(
        brand=brand, goal="Win the other client", phase_count=3, campaign_id="their_campaign"
    )
    post = campaign.posts.order_by("pk").first()
    assert post is not None
    give_content(post)
    render_card(post=post)
    plan = make_plan(brand, networks=("LinkedIn", "X"))
    run_daily(date=DAY, brands=[brand])
    waiting, rejected = Publication.objects.filter(brand=brand).order_by("pk")
    approvals.reject_publication(publication_id=rejected.pk, by="outsider@example.com")
    session = run_session(start_session(brief="A slogan for the other client", brand=brand))
    return OtherWorkspace(
        brand_pk=brand.pk,
        campaign=campaign,
        post=post,
        plan_pk=plan.pk,
        waiting_pk=waiting.pk,
        rejected_pk=rejected.pk,
        session=session,
    )


@pytest.fixture
def ours(owner):
    """Workspace A's brand: the same slug as B's."""
    return make_brand()


@pytest.fixture(params=["token", "session"])
def as_owner_of_a(request, owner, ours) -> Client:
    if request.param == "token":
        return token_client(owner)
    browser = Client()
    browser.force_login(owner)
    return browser


def test_both_workspaces_use_the_same_brand_slug(theirs, ours):
    assert ours.slug == "northwind-coffee"
    assert theirs.campaign.brand.slug == ours.slug
    assert theirs.campaign.brand.pk != ours.pk


def test_their_objects_by_id_are_not_found(as_owner_of_a, theirs):
    c = theirs.campaign.campaign_id
    paths = [
        f"/api/brands/{theirs.brand_pk}",
        f"/api/campaigns/{c}",
        f"/api/campaigns/{theirs.campaign.pk}",
        f"/api/campaigns/{c}/graph",
        f"/api/campaigns/{c}/metrics",
        f"/api/campaigns/{c}/trigger-check",
        f"/api/campaigns/{c}/messages",
        f"/api/campaigns/{c}/versions",
        f"/api/campaigns/{c}/versions/1/compare/1",
        f"/api/posts/{theirs.post.pk}",
        f"/api/strategy/active/{theirs.brand_pk}?date={DAY}",
        f"/api/strategy/posts/{theirs.brand_pk}/{DAY}",
        f"/api/strategy/plans/{theirs.plan_pk}/export.ics",
        f"/api/strategy/plans/{theirs.plan_pk}/export.csv",
        f"/api/analytics/yesterday/{theirs.brand_pk}",
        f"/api/jobs/{theirs.session.job_id}",
        f"/api/slogans/{theirs.session.pk}",
    ]
    for path in paths:
        response = as_owner_of_a.get(path)
        assert response.status_code == 404, (path, response.status_code, response.content[:200])


def test_they_see_their_own_objects_by_the_same_paths(theirs, outsider):
    """The control: the paths above answer B's owner, so the 404s are the workspace's doing."""
    c = theirs.campaign.campaign_id
    api = token_client(outsider)
    for path in [
        f"/api/brands/{theirs.brand_pk}",
        "/api/brands/northwind-coffee",
        f"/api/campaigns/{c}/graph",
        f"/api/posts/{theirs.post.pk}",
        f"/api/strategy/plans/{theirs.plan_pk}/export.csv",
        f"/api/jobs/{theirs.session.job_id}",
        f"/api/slogans/{theirs.session.pk}",
    ]:
        assert api.get(path).status_code == 200, path
    performance = api.get(f"/api/analytics/performance?start={DAY}&end={DAY}").json()
    assert performance["total"]["failed"] == 1
    assert [p["id"] for p in api.get("/api/approvals").json()] == [theirs.waiting_pk]
    browser = Client()
    browser.force_login(outsider)
    assert browser.get(f"/media/cards/{c}/{theirs.post.post_id}.png").status_code == 200


def test_a_slug_means_the_brand_of_the_requests_own_workspace(as_owner_of_a, theirs, ours):
    response = as_owner_of_a.get("/api/brands/northwind-coffee")

    assert response.status_code == 200
    assert response.json()["id"] == ours.pk


def test_their_objects_are_absent_from_lists_and_counts(as_owner_of_a, theirs, ours):
    assert [b["id"] for b in as_owner_of_a.get("/api/brands").json()["items"]] == [ours.pk]
    assert as_owner_of_a.get("/api/campaigns").json()["count"] == 0
    assert as_owner_of_a.get("/api/slogans").json()["count"] == 0
    assert as_owner_of_a.get("/api/approvals").json() == []
    status = as_owner_of_a.get(f"/api/orchestrator/status?date={DAY}").json()
    assert sum(status["counts"].values()) == 0
    assert status["publications"] == []
    assert status["runs"] == []
    performance = as_owner_of_a.get(f"/api/analytics/performance?start={DAY}&end={DAY}").json()
    assert performance["by_network"] == {}
    assert [performance["total"][k] for k in ("published", "failed", "pending")] == [0, 0, 0]


def test_nothing_of_theirs_can_be_changed(as_owner_of_a, theirs):
    c = theirs.campaign.campaign_id
    brand = f"{theirs.brand_pk}"
    attempts = [
        ("patch", f"/api/brands/{brand}", {"tone": "rude"}),
        ("post", f"/api/campaigns/{c}/approve-all", {}),
        ("post", f"/api/campaigns/{c}/content", {}),
        ("post", f"/api/campaigns/{c}/chat", {"message": "hello"}),
        ("post", f"/api/campaigns/{c}/versions/1/restore", {}),
        ("post", f"/api/posts/{theirs.post.pk}/select-variant", {"variant_id": "B"}),
        (
            "post",
            "/api/agents/regenerate-strategy/",
            {"campaign_id": c, "phase_num": 2, "new_direction": "x"},
        ),
        ("post", "/api/campaigns", {"brand": brand, "goal": "steal their brand"}),
        ("post", "/api/strategy/generate", {"brand": brand, "start_date": str(DAY)}),
        ("post", "/api/slogans", {"brief": "a slogan", "brand": brand}),
        ("post", f"/api/approvals/{theirs.waiting_pk}/approve", {}),
        ("post", f"/api/approvals/{theirs.waiting_pk}/reject", {"reason": "no"}),
        ("post", "/api/approvals/approve", {"ids": [theirs.waiting_pk]}),
        ("post", "/api/orchestrator/daily", {"brands": [brand], "execute_date": str(DAY)}),
    ]
    for method, path, body in attempts:
        response = getattr(as_owner_of_a, method)(path, body, content_type=JSON)
        assert response.status_code == 404, (path, response.status_code, response.content[:200])
    waiting = Publication.objects.get(pk=theirs.waiting_pk)
    assert waiting.state == "awaiting_approval" and waiting.approved_at is None
    assert Post.objects.get(pk=theirs.post.pk).selected_variant == "A"
    assert theirs.campaign.brand.tone == "friendly"


def test_running_or_retrying_the_day_never_touches_their_publications(as_owner_of_a, theirs):
    before = list(Publication.objects.order_by("pk").values_list("pk", "state", "content"))

    run = as_owner_of_a.post(
        "/api/orchestrator/daily", {"execute_date": str(DAY)}, content_type=JSON
    )
    retry = as_owner_of_a.post(f"/api/orchestrator/retry/{DAY}/LinkedIn", content_type=JSON)
    retry_x = as_owner_of_a.post(f"/api/orchestrator/retry/{DAY}/X", content_type=JSON)

    assert run.status_code == retry.status_code == retry_x.status_code == 200
    assert run.json()["counts"].get("slots", 0) == 0
    assert list(Publication.objects.order_by("pk").values_list("pk", "state", "content")) == before


def test_their_media_card_is_not_found(owner, theirs):
    browser = Client()
    browser.force_login(owner)
    path = f"/media/cards/{theirs.campaign.campaign_id}/{theirs.post.post_id}.png"

    assert browser.get(path).status_code == 404


def test_a_viewer_reads_their_workspace_but_changes_nothing(viewer, ours):
    api = token_client(viewer)

    assert api.get("/api/brands").status_code == 200
    assert api.get("/api/me").json()["role"] == "viewer"
    refused = api.patch(f"/api/brands/{ours.slug}", {"tone": "rude"}, content_type=JSON)
    assert refused.status_code == 403
    assert "viewers can read" in refused.json()["detail"]
    created = api.post("/api/tokens", {"name": "my script"}, content_type=JSON)
    assert created.status_code == 201  # their own tokens are theirs to manage
    ours.refresh_from_db()
    assert ours.tone == "friendly"


def test_a_person_in_two_workspaces_switches_between_them(owner, other_workspace, outsider):
    from clarion.accounts.workspaces import add_member

    add_member(workspace=other_workspace, user=owner, role="viewer")
    mine = make_brand(brand_name="Ours")
    make_brand(workspace=other_workspace, brand_name="Theirs")
    browser = Client()
    browser.force_login(owner)

    listed = browser.get("/api/workspaces").json()
    assert [(w["slug"], w["role"], w["current"]) for w in listed] == [
        ("default", "owner", True),
        ("other-client", "viewer", False),
    ]
    assert [b["brand_name"] for b in browser.get("/api/brands").json()["items"]] == [
        mine.brand_name
    ]

    switched = browser.post(
        "/api/workspaces/current", {"workspace": "other-client"}, content_type=JSON
    )
    assert switched.status_code == 200
    assert [b["brand_name"] for b in browser.get("/api/brands").json()["items"]] == ["Theirs"]
    assert browser.get("/api/me").json() == {
        "email": "owner@example.com",
        "workspace": "other-client",
        "role": "viewer",
        "api_token": None,
    }
    assert browser.post("/api/brands", {"brand_name": "X"}, content_type=JSON).status_code == 403


def test_a_token_acts_only_in_the_workspace_it_was_made_in(owner, other_workspace, outsider):
    from clarion.accounts.workspaces import add_member

    add_member(workspace=other_workspace, user=owner, role="editor")
    make_brand(workspace=other_workspace, brand_name="Theirs")
    api = token_client(owner)  # made in the owner's first workspace

    assert api.get("/api/brands").json() == {"items": [], "count": 0}
    refused = api.post("/api/workspaces/current", {"workspace": "other-client"}, content_type=JSON)
    assert refused.status_code == 409


def test_someone_in_no_workspace_is_refused_with_the_reason(owner):
    from clarion.accounts.models import Membership
    from clarion.accounts.services import create_user
    from tests.conftest import PASSWORD

    loner = create_user(email="loner@example.com", password=PASSWORD)
    browser = Client()
    browser.force_login(loner)
    Membership.objects.filter(user=loner).delete()

    response = browser.get("/api/brands")
    assert response.status_code == 403
    assert "not a member of any workspace" in response.json()["detail"]

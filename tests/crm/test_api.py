"""/api/data/…: leads imported from a file upload and listed; campaigns, content and social posts
read from what Clarion keeps; each workspace sees only its own."""

from __future__ import annotations

import datetime as dt

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.test import Client

from clarion.agents.models import Agent
from clarion.campaigns.models import ContentVariant, Post
from clarion.crm.models import Lead
from clarion.crm.services import import_leads
from clarion.publishing.models import ChannelAccount, Publication
from tests.campaigns.factories import make_campaign
from tests.conftest import token_client
from tests.factories import make_brand

pytestmark = pytest.mark.django_db


def upload(content: bytes, name: str = "leads.csv") -> dict[str, SimpleUploadedFile]:
    return {"file": SimpleUploadedFile(name, content, content_type="text/csv")}


def test_an_upload_is_imported_and_the_report_names_bad_lines(api_client):
    data = b"Email;Name;Score\nann@acme.example;Ann;80\nbroken;Bob;10\nann@acme.example;;90\n"

    response = api_client.post("/api/data/leads/import", upload(data))

    assert response.status_code == 200, response.content
    report = response.json()
    assert report["created"] == 1 and report["merged_in_file"] == 1
    assert report["rejected"] == [{"line": 3, "reason": "'broken' is not a valid e-mail address"}]
    assert report["delimiter"] == "semicolon" and report["encoding"] == "utf-8"
    ann = Lead.objects.get()
    assert (ann.score, ann.source) == (90, "import leads.csv")


def test_a_file_too_large_is_a_413_and_a_bad_file_a_422(api_client):
    big = b"email\n" + b"x" * (5 * 1024 * 1024 + 1)
    too_large = api_client.post("/api/data/leads/import", upload(big))
    assert too_large.status_code == 413
    assert "at most 5,242,880" in too_large.json()["detail"]

    no_email = api_client.post("/api/data/leads/import", upload(b"Name\nAnn\n"))
    assert no_email.status_code == 422
    assert "no e-mail column" in no_email.json()["detail"][0]["msg"]

    missing = api_client.post("/api/data/leads/import", {})
    assert missing.status_code == 422
    assert not Lead.objects.exists()


def test_a_body_that_declares_more_than_the_cap_is_refused_before_it_is_read(api_client):
    response = api_client.post(
        "/api/data/leads/import",
        upload(b"email\nann@acme.example\n"),
        CONTENT_LENGTH=str(50 * 1024 * 1024),
    )
    assert response.status_code == 413


def test_a_viewer_may_list_leads_but_not_import_them(viewer, workspace):
    import_leads(workspace=workspace, data=b"email\nann@acme.example\n")
    api = token_client(viewer)

    refused = api.post("/api/data/leads/import", upload(b"email\nbo@acme.example\n"))

    assert refused.status_code == 403
    assert [lead["email"] for lead in api.get("/api/data/leads").json()["items"]] == [
        "ann@acme.example"
    ]


def test_leads_are_filtered_by_status_score_and_text(api_client, workspace):
    import_leads(
        workspace=workspace,
        data=b"email,name,company,status,score\n"
        b"ann@acme.example,Ann,Acme,qualified,80\n"
        b"bo@beta.example,Bo,Beta,new,40\n"
        b"cy@acme.example,Cy,Acme,new,90\n",
    )

    def emails(query: str) -> list[str]:
        page = api_client.get(f"/api/data/leads{query}").json()
        return [lead["email"] for lead in page["items"]]

    assert emails("") == ["cy@acme.example", "ann@acme.example", "bo@beta.example"]
    assert emails("?status=new") == ["cy@acme.example", "bo@beta.example"]
    assert emails("?min_score=50&q=acme") == ["cy@acme.example", "ann@acme.example"]
    assert emails("?limit=1&offset=1") == ["ann@acme.example"]
    assert api_client.get("/api/data/leads?limit=1").json()["count"] == 3
    assert api_client.get("/api/data/leads?status=won").status_code == 422
    assert api_client.get("/api/data/leads?min_score=101").status_code == 422


def _marketing_data(workspace, slug: str) -> None:
    """A campaign with content and a published social post, in ``workspace``."""
    brand = make_brand(workspace=workspace, brand_name=f"Brand {slug}")
    campaign = make_campaign(brand, (2,), campaign_id=f"launch-{slug}", phase="ready")
    first = campaign.posts.order_by("position").first()
    Post.objects.filter(pk=first.pk).update(status="published", selected_variant="A")
    ContentVariant.objects.create(
        post=first, variant_id="A", content=f"Fresh beans from {slug}", platform="LinkedIn"
    )
    account = ChannelAccount.objects.create(brand=brand, platform="Mastodon")
    Publication.objects.create(
        brand=brand,
        account=account,
        network="Mastodon",
        date=dt.date(2026, 3, 2),
        idempotency_key=f"key-{slug}",
        content=f"Toot from {slug}",
        state="published",
        remote_url=f"https://social.example/@{slug}/1",
        scheduled_at=dt.datetime(2026, 3, 2, 9, tzinfo=dt.UTC),
        published_at=dt.datetime(2026, 3, 2, 9, 1, tzinfo=dt.UTC),
    )


def test_every_data_endpoint_shows_only_the_workspace_of_the_caller(
    api_client, outsider, workspace, other_workspace
):
    _marketing_data(workspace, "mine")
    _marketing_data(other_workspace, "theirs")
    import_leads(workspace=workspace, data=b"email\nmine@x.example\n")
    import_leads(workspace=other_workspace, data=b"email\ntheirs@x.example\n")
    theirs = token_client(outsider)

    for client, slug in ((api_client, "mine"), (theirs, "theirs")):
        leads = client.get("/api/data/leads").json()
        assert [lead["email"] for lead in leads["items"]] == [f"{slug}@x.example"]
        [campaign] = client.get("/api/data/campaigns").json()["items"]
        assert campaign["id"] == f"launch-{slug}"
        [piece] = client.get("/api/data/content").json()["items"]
        assert piece["text"] == f"Fresh beans from {slug}"
        [post] = client.get("/api/data/social").json()["items"]
        assert post["url"] == f"https://social.example/@{slug}/1"


def test_campaigns_read_as_the_dashboard_expects(api_client, workspace):
    _marketing_data(workspace, "mine")
    brand = make_brand(workspace=workspace, brand_name="Planning brand")
    make_campaign(brand, (1,), campaign_id="still-planning")

    campaigns = {c["id"]: c for c in api_client.get("/api/data/campaigns").json()["items"]}

    active = campaigns["launch-mine"]
    assert (active["type"], active["status"], active["stage"]) == ("social", "active", "ready")
    serving = Agent.objects.filter(workspace=workspace, role="strategist").order_by("id").first()
    assert active["owner"] == serving.name
    assert active["metrics"] | {"platforms": []} == {
        "posts": 2,
        "published": 1,
        "failed": 0,
        "variants": 1,
        "platforms": [],
    }
    assert campaigns["still-planning"]["status"] == "planning"

    Post.objects.filter(campaign__campaign_id="launch-mine").update(status="published")
    done = api_client.get("/api/data/campaigns").json()["items"]
    assert {c["id"]: c["status"] for c in done}["launch-mine"] == "completed"


def test_content_and_social_posts_carry_text_network_and_state(api_client, workspace):
    _marketing_data(workspace, "mine")

    [piece] = api_client.get("/api/data/content?platform=LinkedIn").json()["items"]
    assert (piece["platform"], piece["status"], piece["selected"], piece["post"]) == (
        "LinkedIn",
        "published",
        True,
        "p1-1",
    )
    assert api_client.get("/api/data/content?platform=X").json()["items"] == []

    [post] = api_client.get("/api/data/social?network=Mastodon&state=published").json()["items"]
    assert (post["network"], post["state"], post["text"]) == (
        "Mastodon",
        "published",
        "Toot from mine",
    )
    assert post["published_at"].startswith("2026-03-02T09:01")
    assert api_client.get("/api/data/social?state=failed").json()["count"] == 0


def test_a_control_character_in_the_file_is_refused_naming_its_line(api_client):
    data = b"email,name\nok@x.example,Ok\nbell@x.example,Ring\x07\n"

    response = api_client.post("/api/data/leads/import", upload(data))

    assert response.status_code == 422
    [error] = response.json()["detail"]
    assert (error["type"], error["loc"]) == ("control_character", ["body", "file"])
    assert error["msg"].endswith("(U+0007); found on line 3")
    assert not Lead.objects.exists()


def test_an_upload_that_is_not_a_readable_form_is_refused_in_words(api_client):
    def post(body: bytes, content_type: str):
        return api_client.generic("POST", "/api/data/leads/import", body, content_type=content_type)

    unreadable = post(b"abc", "multipart/form-data")
    assert unreadable.status_code == 400
    assert "not a readable multipart/form-data form" in unreadable.json()["detail"]
    raw = post(b"email\nann@acme.example\n", "text/csv")
    assert raw.status_code == 415
    assert "a file sent as multipart/form-data" in raw.json()["detail"]


def test_a_signed_in_browser_must_send_the_csrf_token_with_an_upload(owner):
    browser = Client(enforce_csrf_checks=True)
    browser.force_login(owner)

    forged = browser.post("/api/data/leads/import", upload(b"email\nann@acme.example\n"))

    assert forged.status_code == 403
    assert not Lead.objects.exists()


def test_the_data_lists_cost_the_same_queries_for_one_row_as_for_many(api_client, workspace):
    from django.db import connection
    from django.test.utils import CaptureQueriesContext

    paths = ("/api/data/leads", "/api/data/campaigns", "/api/data/content", "/api/data/social")

    def costs() -> list[int]:
        counted = []
        for path in paths:
            with CaptureQueriesContext(connection) as queries:
                assert api_client.get(path).status_code == 200
            counted.append(len(queries))
        return counted

    agent = Agent.objects.filter(workspace=workspace, is_active=True).first()
    import_leads(workspace=workspace, data=f"email,agent\na@x.example,{agent.name}\n".encode())
    _marketing_data(workspace, "one")
    api_client.get("/api/me")  # the token's first use is recorded once
    few = costs()
    rows = "".join(f"l{i}@x.example,{agent.name}\n" for i in range(5))
    import_leads(workspace=workspace, data=f"email,agent\n{rows}".encode())
    for slug in ("two", "three", "four"):
        _marketing_data(workspace, slug)

    assert costs() == few

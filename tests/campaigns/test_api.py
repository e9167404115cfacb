"""The campaign endpoints, the regeneration endpoint and the chat (seed 001)."""

from __future__ import annotations

import pytest

from clarion.campaigns import services
from clarion.campaigns.models import Campaign, ConversationMessage, Post
from tests.campaigns.test_regeneration import give_content
from tests.campaigns.test_strategy import BRANCH_MERGE, plan, post

pytestmark = pytest.mark.django_db
JSON = "application/json"


@pytest.fixture
def campaign(brand, scripted) -> Campaign:
    scripted.script("plan", BRANCH_MERGE)
    made = services.create_campaign(
        brand=brand, goal="Grow subscriptions", phase_count=3, campaign_id="campaign_001"
    )
    scripted.replies["plan"].clear()
    scripted.requests.clear()
    return made


PHASE_2 = plan(
    [post("n1", "v1_a1", "v1_a2"), post("n2", "v1_a2")],
    [post("m1", "n1", "n2"), post("m2", "n2")],
    first=2,
)


def test_create_a_campaign(client, brand):
    response = client.post(
        "/api/campaigns",
        {"brand": brand.slug, "goal": "Launch the winter blend", "platforms": ["X", "Bluesky"]},
        content_type="application/json",
    )
    assert response.status_code == 201, response.content
    data = response.json()
    assert data["metadata"]["platforms"] == ["X", "Bluesky"]
    assert {p["phase"] for p in data["posts"]} == {1, 2, 3, 4}
    assert data["strategy"].startswith("graph LR")
    assert client.get(f"/api/campaigns/{data['campaign_id']}").json()["posts"] == data["posts"]


def test_create_a_campaign_for_an_unknown_brand_is_404(client):
    response = client.post(
        "/api/campaigns", {"brand": "nobody", "goal": "x"}, content_type="application/json"
    )
    assert response.status_code == 404


def test_a_model_failure_is_503_with_the_reason(client, brand, scripted, settings):
    settings.CLARION_LLM_MAX_RETRIES = 0
    scripted.script("plan", RuntimeError("model down"))
    response = client.post(
        "/api/campaigns", {"brand": brand.slug, "goal": "x"}, content_type="application/json"
    )
    assert response.status_code == 503
    assert "model down" in response.json()["detail"]
    assert not Campaign.objects.exists()


def test_regenerate_strategy_endpoint(client, campaign, scripted):
    scripted.script("plan", PHASE_2)
    response = client.post(
        "/api/agents/regenerate-strategy/",
        {"campaign_id": "campaign_001", "phase_num": 2, "new_direction": "Focus on ProductHunt"},
        content_type="application/json",
    )
    assert response.status_code == 200, response.content
    data = response.json()
    assert (data["version"], data["from_phase"], data["archived"]) == (2, 2, 5)
    assert sorted(p["post_id"] for p in data["posts"]) == ["v2_m1", "v2_m2", "v2_n1", "v2_n2"]
    n1 = next(p for p in data["posts"] if p["post_id"] == "v2_n1")
    assert n1["parents"] == ["v1_a1", "v1_a2"] and n1["children"] == ["v2_m1"]


@pytest.mark.parametrize(
    ("body", "status", "message"),
    [
        ({"campaign_id": "nope", "phase_num": 2, "new_direction": "x"}, 404, "no campaign 'nope'"),
        (
            {"campaign_id": "campaign_001", "phase_num": 0, "new_direction": "x"},
            422,
            "between 1 and 4",
        ),
        (
            {"campaign_id": "campaign_001", "phase_num": 5, "new_direction": "x"},
            422,
            "between 1 and 4",
        ),
        ({"campaign_id": "campaign_001", "phase_num": 2, "new_direction": "   "}, 422, "pattern"),
        ({"campaign_id": "campaign_001", "phase_num": 2, "new_direction": ""}, 422, "at least 1"),
    ],
)
def test_regenerate_strategy_errors(client, campaign, body, status, message):
    response = client.post(
        "/api/agents/regenerate-strategy/", body, content_type="application/json"
    )
    assert response.status_code == status
    assert message in response.content.decode()
    campaign.refresh_from_db()
    assert campaign.current_version == 1


def test_chat_regenerate_command(client, campaign, scripted):
    scripted.script("plan", PHASE_2)
    response = client.post(
        "/api/campaigns/campaign_001/chat",
        {"message": "!regenerate phase 2 pivot to developer-first strategy with technical demos"},
        content_type="application/json",
    )
    assert response.status_code == 200
    data = response.json()
    assert data["regeneration"]["version"] == 2
    assert "Regenerated from phase 2: version 2" in data["reply"]["content"]
    assert scripted.requests_for("plan")[0]["new_direction"] == (
        "pivot to developer-first strategy with technical demos"
    )
    stored = list(ConversationMessage.objects.values_list("role", flat=True))
    assert stored == ["user", "assistant"]


@pytest.mark.parametrize(
    "message",
    ["!regenerate", "!regenerate phase two something", "!regenerate phase 2", "!REGENERATE 2 x"],
)
def test_a_malformed_command_gets_the_syntax(client, campaign, scripted, message):
    response = client.post(
        "/api/campaigns/campaign_001/chat", {"message": message}, content_type="application/json"
    )
    assert response.status_code == 200
    data = response.json()
    assert "!regenerate phase <number> <new direction>" in data["reply"]["content"]
    assert data["regeneration"] is None
    assert scripted.requests_for("plan") == []
    assert ConversationMessage.objects.count() == 2


def test_a_command_with_a_bad_phase_is_explained(client, campaign):
    response = client.post(
        "/api/campaigns/campaign_001/chat",
        {"message": "!regenerate phase 9 go bigger"},
        content_type="application/json",
    )
    assert "must be between 1 and 4" in response.json()["reply"]["content"]
    campaign.refresh_from_db()
    assert campaign.current_version == 1


def test_other_messages_are_answered_with_the_campaign_as_context(client, campaign, scripted):
    scripted.script("chat", {"reply": "Phase 2 is where the branching starts."})
    client.post(
        "/api/campaigns/campaign_001/chat", {"message": "Hello"}, content_type="application/json"
    )
    response = client.post(
        "/api/campaigns/campaign_001/chat",
        {"message": "What happens in phase 2?"},
        content_type="application/json",
    )
    assert response.json()["reply"]["content"] == "Phase 2 is where the branching starts."
    request = scripted.requests_for("chat")[1]
    assert request["message"] == "What happens in phase 2?"
    assert [p["number"] for p in request["campaign"]["phases"]] == [1, 2, 3]
    assert [t["content"] for t in request["history"]] == ["Hello", request["history"][1]["content"]]
    messages = client.get("/api/campaigns/campaign_001/messages").json()
    assert [m["role"] for m in messages["items"]] == ["user", "assistant"] * 2


def test_the_offline_strategist_answers_chat(client, brand):
    made = services.create_campaign(brand=brand, goal="Grow", generate_content=False)
    response = client.post(
        f"/api/campaigns/{made.campaign_id}/chat",
        {"message": "Summarise the plan"},
        content_type="application/json",
    )
    assert "has 4 phases" in response.json()["reply"]["content"]


def test_views_versions_and_restore_endpoints(client, campaign, scripted):
    for p in campaign.posts.filter(phase=1):
        give_content(p)
    scripted.script("plan", PHASE_2)
    services.regenerate_from_phase(campaign=campaign, phase_num=2, new_direction="pivot")

    graph = client.get("/api/campaigns/campaign_001/graph").json()
    assert len(graph["nodes"]) == 6 and graph["version"] == 2
    assert client.get("/api/campaigns/campaign_001/metrics").json()["posts"] == 6
    assert sorted(
        client.post("/api/campaigns/campaign_001/approve-all", content_type=JSON).json()["approved"]
    ) == [
        "v1_a1",
        "v1_a2",
    ]
    assert sorted(client.get("/api/campaigns/campaign_001/trigger-check").json()["due"]) == [
        "v1_a1",
        "v1_a2",
    ]
    versions = client.get("/api/campaigns/campaign_001/versions").json()
    assert [v["number"] for v in versions] == [1, 2]
    diff = client.get("/api/campaigns/campaign_001/versions/1/compare/2").json()
    assert [p["key"] for p in diff["removed"]] == ["2.3", "3.2"] or diff["removed"]
    assert client.get("/api/campaigns/campaign_001/versions/1/compare/9").status_code == 404
    restored = client.post("/api/campaigns/campaign_001/versions/1/restore", content_type=JSON)
    assert restored.status_code == 200 and restored.json()["current_version"] == 3
    assert (
        client.post("/api/campaigns/campaign_001/versions/3/restore", content_type=JSON).status_code
        == 422
    )


def test_select_variant_endpoint(client, campaign):
    a1 = Post.objects.get(post_id="v1_a1")
    give_content(a1)
    response = client.post(
        f"/api/posts/{a1.pk}/select-variant", {"variant_id": "B"}, content_type="application/json"
    )
    assert response.status_code == 200 and response.json()["selected_variant"] == "B"
    missing = client.post(
        f"/api/posts/{a1.pk}/select-variant", {"variant_id": "Z"}, content_type="application/json"
    )
    assert missing.status_code == 422 and "has no variant 'Z'" in missing.content.decode()
    assert (
        client.post(
            "/api/posts/999999/select-variant", {"variant_id": "A"}, content_type="application/json"
        ).status_code
        == 404
    )


def test_list_endpoints_use_a_fixed_number_of_queries(
    client, campaign, django_assert_max_num_queries
):
    for p in campaign.posts.all():
        give_content(p)
    with django_assert_max_num_queries(8):
        client.get("/api/campaigns/campaign_001/graph")
    with django_assert_max_num_queries(10):
        client.get("/api/campaigns/campaign_001")

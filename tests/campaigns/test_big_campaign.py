"""The canvas, metrics and detail of a campaign cost the same few queries whatever its size."""

from __future__ import annotations

import pytest

from clarion.campaigns import services
from clarion.campaigns.models import Campaign, ContentVariant, Post, PostLink
from tests.conftest import SIGN_IN_QUERIES

pytestmark = pytest.mark.django_db

PLATFORMS = ("X", "LinkedIn", "Bluesky")


def make_campaign(brand, *, phases: int, per_phase: int) -> Campaign:
    """``phases`` × ``per_phase`` posts chained phase to phase, with A/B variants on three
    networks (B approved on every third post), metrics on every other post."""
    campaign = Campaign.objects.create(
        brand=brand, campaign_id=f"big-{phases}x{per_phase}", name="Big launch"
    )
    posts = Post.objects.bulk_create(
        Post(
            campaign=campaign,
            post_id=f"p{phase}-{n}",
            phase=phase,
            phase_name=f"Phase {phase}",
            position=n,
            title=f"Post {n} of phase {phase}",
            metrics={"impressions": 10 * n, "clicks": n, "ok": True} if n % 2 else {},
            status="ready" if n % 3 else "draft",
        )
        for phase in range(1, phases + 1)
        for n in range(1, per_phase + 1)
    )
    posts = list(campaign.posts.order_by("phase", "position"))
    by_phase: dict[int, list[Post]] = {}
    for p in posts:
        by_phase.setdefault(p.phase, []).append(p)
    PostLink.objects.bulk_create(
        PostLink(source=source, target=by_phase[phase + 1][i])
        for phase in range(1, phases)
        for i, source in enumerate(by_phase[phase])
    )
    ContentVariant.objects.bulk_create(
        ContentVariant(
            post=p,
            platform=platform,
            variant_id=variant,
            content=f"{p.title} on {platform}, take {variant}",
            is_approved=variant == "B" and p.position % 3 == 0,
        )
        for p in posts
        for platform in PLATFORMS
        for variant in ("A", "B")
    )
    return campaign


@pytest.mark.parametrize("per_phase", [3, 30])
def test_the_graph_is_three_queries_whatever_the_size(
    client, brand, per_phase, django_assert_max_num_queries
):
    campaign = make_campaign(brand, phases=3, per_phase=per_phase)
    with django_assert_max_num_queries(SIGN_IN_QUERIES + 1 + 3):
        graph = client.get(f"/api/campaigns/{campaign.campaign_id}/graph").json()
    assert len(graph["nodes"]) == 3 * per_phase
    assert len(graph["edges"]) == 2 * per_phase
    assert [p["number"] for p in graph["phases"]] == [1, 2, 3]


def test_the_graph_summarises_each_posts_variants_as_they_are(client, brand):
    campaign = make_campaign(brand, phases=2, per_phase=4)
    lonely = campaign.posts.get(post_id="p1-1")
    lonely.variants.all().delete()
    ContentVariant.objects.create(post=lonely, platform="Mastodon", variant_id="C", content="c")

    nodes = {n["id"]: n for n in services.graph_json(campaign)["nodes"]}

    assert nodes["p1-1"]["variants"] == {
        "count": 1,
        "ids": ["C"],
        "platforms": ["Mastodon"],
        "approved": 0,
    }
    assert nodes["p1-3"]["variants"] == {
        "count": 6,
        "ids": ["A", "B"],
        "platforms": ["Bluesky", "LinkedIn", "X"],
        "approved": 3,
    }
    bare = campaign.posts.get(post_id="p2-2")
    bare.variants.all().delete()
    assert services.graph_json(campaign)["nodes"][5]["variants"] == {
        "count": 0,
        "ids": [],
        "platforms": [],
        "approved": 0,
    }


@pytest.mark.parametrize("per_phase", [3, 30])
def test_metrics_are_one_query_whatever_the_size(
    client, brand, per_phase, django_assert_max_num_queries
):
    campaign = make_campaign(brand, phases=3, per_phase=per_phase)
    with django_assert_max_num_queries(SIGN_IN_QUERIES + 1 + 1):
        metrics = client.get(f"/api/campaigns/{campaign.campaign_id}/metrics").json()
    assert metrics["posts"] == 3 * per_phase
    odd = range(1, per_phase + 1, 2)
    assert metrics["totals"] == {"impressions": 3 * 10 * sum(odd), "clicks": 3 * sum(odd)}


@pytest.mark.parametrize("per_phase", [3, 30])
def test_the_detail_sums_up_variants_in_a_bounded_number_of_queries(
    client, brand, per_phase, django_assert_max_num_queries
):
    campaign = make_campaign(brand, phases=3, per_phase=per_phase)
    with django_assert_max_num_queries(SIGN_IN_QUERIES + 1 + 3):
        detail = client.get(f"/api/campaigns/{campaign.campaign_id}").json()
    posts = {p["post_id"]: p for p in detail["posts"]}
    assert len(posts) == 3 * per_phase
    assert "variants" not in posts["p1-1"]
    assert posts["p2-3"]["variant_summary"] == {
        "count": 6,
        "ids": ["A", "B"],
        "platforms": ["Bluesky", "LinkedIn", "X"],
        "approved": 3,
    }
    assert posts["p2-1"]["parents"] == ["p1-1"] and posts["p2-1"]["children"] == ["p3-1"]
    full = client.get(f"/api/posts/{posts['p2-3']['pk']}").json()
    assert len(full["variants"]) == 6 and full["variants"][0]["content"]

"""The strategist's plans: validation, retries, storage, links (seeds 000 and 001)."""

from __future__ import annotations

from typing import Any

import pytest
from django_tasks_db.models import DBTaskResult

from clarion.agents.models import AgentMemory
from clarion.agents.schemas import StrategyPlan
from clarion.agents.strategist import plan_problems
from clarion.campaigns import services
from clarion.campaigns.models import Campaign, Post, PostLink, StrategyVersion
from clarion.core.errors import InvalidInput, Unavailable

pytestmark = pytest.mark.django_db


def post(key: str, *parents: str, title: str = "") -> dict[str, Any]:
    return {
        "key": key,
        "title": title or f"Post {key}",
        "objective": f"Objective of {key}",
        "hook": f"Hook of {key}",
        "parents": list(parents),
    }


def plan(*phases: list[dict[str, Any]], first: int = 1, names: list[str] | None = None) -> dict:
    return {
        "phases": [
            {
                "number": first + index,
                "name": (names or [])[index]
                if names and index < len(names)
                else f"Stage {first + index}",
                "posts": posts,
            }
            for index, posts in enumerate(phases)
        ],
        "rationale": "scripted",
    }


# Branch (a1 → b1, b2) and merge (a1, a2 → b3).
BRANCH_MERGE = plan(
    [post("a1"), post("a2")],
    [post("b1", "a1"), post("b2", "a1"), post("b3", "a1", "a2")],
    [post("c1", "b1", "b2"), post("c2", "b3")],
)


def links(campaign: Campaign, *, active_only: bool = True) -> set[tuple[str, str]]:
    query = PostLink.objects.filter(source__campaign=campaign)
    if active_only:
        query = query.filter(source__is_active=True, target__is_active=True)
    return set(query.values_list("source__post_id", "target__post_id"))


def test_a_campaign_is_planned_and_stored_as_version_1(brand):
    campaign = services.create_campaign(brand=brand, goal="Launch the winter blend")

    posts = list(campaign.posts.all())
    phases = sorted({p.phase for p in posts})
    assert phases == [1, 2, 3, 4]
    for number in phases:
        assert 2 <= sum(1 for p in posts if p.phase == number) <= 5
    assert all(p.version == 1 and p.is_active for p in posts)
    assert campaign.current_version == 1
    assert campaign.platforms == ["X", "LinkedIn", "Facebook"]
    assert campaign.strategy.startswith("graph LR\n")
    assert campaign.versions.get().post_ids == [p.pk for p in posts]
    memory = AgentMemory.objects.get(agent_name=f"strategist:{campaign.campaign_id}")
    assert memory.context["goal"] == "Launch the winter blend"
    assert memory.history[0]["event"] == "created"
    # Content for every post is queued for the worker in the same transaction.
    task = DBTaskResult.objects.get()
    assert task.args_kwargs["args"][0] == campaign.pk


def test_branch_and_merge_links_are_stored(brand, scripted):
    scripted.script("plan", BRANCH_MERGE)

    campaign = services.create_campaign(brand=brand, goal="Grow", phase_count=3)

    assert links(campaign) == {
        ("v1_a1", "v1_b1"),
        ("v1_a1", "v1_b2"),
        ("v1_a1", "v1_b3"),
        ("v1_a2", "v1_b3"),
        ("v1_b1", "v1_c1"),
        ("v1_b2", "v1_c1"),
        ("v1_b3", "v1_c2"),
    }
    b3 = campaign.posts.get(post_id="v1_b3")
    assert {p.post_id for p in b3.parents.all()} == {"v1_a1", "v1_a2"}
    assert {p.post_id for p in campaign.posts.get(post_id="v1_a1").children.all()} == {
        "v1_b1",
        "v1_b2",
        "v1_b3",
    }


def test_an_invalid_plan_goes_back_to_the_model_with_the_reason(brand, scripted):
    lonely = plan([post("a1"), post("a2")], [post("b1", "a1"), post("b2", "a1")])
    scripted.script("plan", lonely, BRANCH_MERGE)

    campaign = services.create_campaign(brand=brand, goal="Grow", phase_count=3)

    requests = scripted.requests_for("plan")
    assert len(requests) == 2
    assert requests[0].get("feedback") is None
    assert "must be numbered [1, 2, 3]" in requests[1]["feedback"]
    assert "'a2' in phase 1 must lead to at least one post of phase 2" in requests[1]["feedback"]
    assert campaign.posts.count() == 7


def test_a_plan_that_never_validates_fails_cleanly_and_leaves_no_rows(brand, scripted, settings):
    settings.CLARION_STRATEGY_PLAN_ATTEMPTS = 2
    scripted.script("plan", plan([post("a1")], [post("b1", "a1"), post("b2", "zz")]))

    with pytest.raises(Unavailable, match="still invalid after 2 attempt"):
        services.create_campaign(brand=brand, goal="Grow", phase_count=2)

    assert len(scripted.requests_for("plan")) == 2
    assert not Campaign.objects.exists()
    assert not Post.objects.exists()
    assert not StrategyVersion.objects.exists()
    assert not DBTaskResult.objects.exists()


def test_a_model_error_leaves_no_rows(brand, scripted, settings):
    settings.CLARION_LLM_MAX_RETRIES = 0
    scripted.script("plan", RuntimeError("model down"))

    with pytest.raises(Unavailable, match="could not plan"):
        services.create_campaign(brand=brand, goal="Grow")

    assert not Campaign.objects.exists()
    assert not Post.objects.exists()


@pytest.mark.parametrize(
    ("raw", "problem"),
    [
        (
            plan([post("a1"), post("a1")], [post("b1", "a1"), post("b2", "a1")]),
            "used more than once",
        ),
        (
            plan([post("a1"), post("a2")], [post("b1", "a1"), post("b2")]),
            "needs at least one parent",
        ),
        (
            plan([post("a1"), post("a2", "a1")], [post("b1", "a1"), post("b2", "a2")]),
            "not posts of nothing",
        ),
        (
            plan(
                [post("a1"), post("a2")],
                [post("b1", "a1", "a2"), *(post(f"b{i}", "a1") for i in range(2, 7))],
            ),
            "must have 2 to 5 posts",
        ),
        (
            plan([post("a1"), post("a2")], [post("b1", "a1"), post("b2", "c9")]),
            "that are not posts of phase 1",
        ),
    ],
)
def test_plan_problems_name_what_is_wrong(raw, problem):
    problems = plan_problems(StrategyPlan.model_validate(raw), first_phase=1, phase_count=2)
    assert any(problem in p for p in problems), problems


def test_a_valid_plan_has_no_problems():
    assert (
        plan_problems(StrategyPlan.model_validate(BRANCH_MERGE), first_phase=1, phase_count=3) == []
    )


def test_continuing_plans_must_link_every_kept_post():
    raw = plan([post("n1", "v1_a1"), post("n2", "v1_a1")], first=2)
    problems = plan_problems(
        StrategyPlan.model_validate(raw),
        first_phase=2,
        phase_count=1,
        previous_keys=["v1_a1", "v1_a2"],
    )
    assert problems == ["posts ['v1_a2'] of phase 1 must each lead to at least one post of phase 2"]


@pytest.mark.parametrize(
    ("options", "field"),
    [
        ({"goal": "   "}, "goal"),
        ({"goal": "x" * 2001}, "goal"),
        ({"goal": "Grow", "phase_count": 1}, "phase_count"),
        ({"goal": "Grow", "phase_count": 7}, "phase_count"),
        ({"goal": "Grow", "platforms": ["MySpace"]}, "platforms"),
        ({"goal": "Grow", "campaign_id": "no spaces"}, "campaign_id"),
    ],
)
def test_bad_campaign_input_is_refused_before_any_model_call(brand, scripted, options, field):
    with pytest.raises(InvalidInput) as caught:
        services.create_campaign(brand=brand, **options)
    assert caught.value.field == field
    assert scripted.requests == []

"""Regeneration from phase N, versions (list, compare, restore) and the active-only views."""

from __future__ import annotations

from datetime import timedelta

import pytest
from django.utils import timezone
from django_tasks_db.models import DBTaskResult

from clarion.campaigns import mermaid, services
from clarion.campaigns.models import Campaign, ContentVariant, Post, PostStatus
from clarion.campaigns.services import strategy
from clarion.core.errors import Conflict, InvalidInput, Unavailable
from tests.campaigns.test_strategy import BRANCH_MERGE, links, plan, post

pytestmark = pytest.mark.django_db


@pytest.fixture
def campaign(brand, scripted) -> Campaign:
    """Three phases: a1 a2 | b1 b2 b3 | c1 c2 (branching and merging), version 1."""
    scripted.script("plan", BRANCH_MERGE)
    made = services.create_campaign(
        brand=brand, goal="Grow subscriptions", phase_count=3, generate_content=False
    )
    scripted.replies["plan"].clear()
    scripted.requests.clear()
    return made


def state(campaign: Campaign) -> dict:
    """Everything a regeneration may change, to compare before and after."""
    campaign.refresh_from_db()
    return {
        "version": campaign.current_version,
        "strategy": campaign.strategy,
        "posts": sorted(
            Post.objects.filter(campaign=campaign).values_list(
                "pk", "is_active", "version", "updated_at"
            )
        ),
        "links": links(campaign, active_only=False),
        "versions": campaign.versions.count(),
        "tasks": DBTaskResult.objects.count(),
    }


def active_ids(campaign: Campaign) -> list[str]:
    return list(campaign.posts.filter(is_active=True).values_list("post_id", flat=True))


def test_regenerating_from_a_middle_phase_keeps_earlier_phases_and_archives_the_rest(
    campaign, scripted
):
    phase1 = {p.pk: p.updated_at for p in campaign.posts.filter(phase=1)}
    scripted.script(
        "plan",
        plan(
            [
                post("n1", "v1_a1"),
                post("n2", "v1_a1", "v1_a2"),
                post("n3", "v1_a2"),
                post("n4", "v1_a2"),
            ],
            [post("m1", "n1", "n2"), post("m2", "n3", "n4")],
            first=2,
            names=["Developers", "Launch"],
        ),
    )

    result = services.regenerate_from_phase(
        campaign=campaign, phase_num=2, new_direction="developer-first"
    )

    campaign.refresh_from_db()
    assert result.version == campaign.current_version == 2
    assert result.archived == 5
    # Phase 1 stays active and untouched.
    assert {p.pk: p.updated_at for p in campaign.posts.filter(phase=1, is_active=True)} == phase1
    assert not campaign.posts.filter(phase__gte=2, version=1, is_active=True).exists()
    assert sorted(active_ids(campaign)) == [
        "v1_a1",
        "v1_a2",
        "v2_m1",
        "v2_m2",
        "v2_n1",
        "v2_n2",
        "v2_n3",
        "v2_n4",
    ]
    assert all(p.version == 2 for p in result.posts)
    # Phase 1 links to the new phase 2, many-to-many (branch and merge).
    assert links(campaign) == {
        ("v1_a1", "v2_n1"),
        ("v1_a1", "v2_n2"),
        ("v1_a2", "v2_n2"),
        ("v1_a2", "v2_n3"),
        ("v1_a2", "v2_n4"),
        ("v2_n1", "v2_m1"),
        ("v2_n2", "v2_m1"),
        ("v2_n3", "v2_m2"),
        ("v2_n4", "v2_m2"),
    }
    # The strategist saw the kept posts and the direction; phases 2-3 were asked for.
    request = scripted.requests_for("plan")[0]
    assert request["first_phase"] == 2 and request["phase_count"] == 2
    assert request["new_direction"] == "developer-first"
    assert {p["key"] for p in request["existing_posts"]} == {"v1_a1", "v1_a2"}
    assert any("created" in line for line in request["memory"])
    # Content is queued for the new posts only.
    queued = DBTaskResult.objects.get()
    assert sorted(queued.args_kwargs["args"][1]) == sorted(p.pk for p in result.posts)
    assert "Phase 2: Developers" in campaign.strategy
    assert "v1_b1" not in campaign.strategy


def test_regenerating_from_phase_1_archives_everything(campaign, scripted):
    scripted.script(
        "plan",
        plan(
            [post("x1"), post("x2")],
            [post("y1", "x1", "x2"), post("y2", "x2")],
            [post("z1", "y1"), post("z2", "y2")],
        ),
    )

    result = services.regenerate_from_phase(
        campaign=campaign, phase_num=1, new_direction="start over"
    )

    assert result.archived == 7
    assert sorted(active_ids(campaign)) == ["v2_x1", "v2_x2", "v2_y1", "v2_y2", "v2_z1", "v2_z2"]
    assert scripted.requests_for("plan")[0]["existing_posts"] == []


def test_regenerating_after_the_last_phase_adds_a_phase(campaign, scripted):
    scripted.script("plan", plan([post("d1", "v1_c1"), post("d2", "v1_c2")], first=4))

    result = services.regenerate_from_phase(
        campaign=campaign, phase_num=4, new_direction="add a loyalty phase"
    )

    assert result.archived == 0
    assert campaign.posts.filter(is_active=True).count() == 9
    assert ("v1_c1", "v2_d1") in links(campaign)
    assert campaign.versions.count() == 2


def test_the_offline_strategist_regenerates_valid_plans(brand):
    campaign = services.create_campaign(brand=brand, goal="Grow", generate_content=False)
    for phase in (1, 3, 5):
        services.regenerate_from_phase(
            campaign=campaign, phase_num=phase, new_direction=f"turn {phase}"
        )
    campaign.refresh_from_db()
    assert campaign.current_version == 4
    posts = list(campaign.posts.filter(is_active=True))
    assert sorted({p.phase for p in posts}) == [1, 2, 3, 4, 5]
    for number in range(2, 6):
        for p in posts:
            if p.phase == number:
                assert p.parents.filter(is_active=True, phase=number - 1).exists()


@pytest.mark.parametrize("phase_num", [0, -1, 5, 99])
def test_a_phase_out_of_range_is_refused_with_the_range(campaign, scripted, phase_num):
    before = state(campaign)
    with pytest.raises(InvalidInput, match=r"must be between 1 and 4: the campaign has 3 phase"):
        services.regenerate_from_phase(campaign=campaign, phase_num=phase_num, new_direction="x")
    assert state(campaign) == before
    assert scripted.requests == []


def test_an_empty_direction_is_refused(campaign):
    with pytest.raises(InvalidInput, match="new_direction: must not be empty"):
        services.regenerate_from_phase(campaign=campaign, phase_num=2, new_direction="  ")


def test_a_model_error_in_the_middle_of_a_regeneration_changes_nothing(
    campaign, scripted, settings
):
    settings.CLARION_LLM_MAX_RETRIES = 0
    invalid = plan([post("n1", "v1_a1")], [post("m1", "n1")], first=2)
    scripted.script("plan", invalid, RuntimeError("model crashed"))
    before = state(campaign)

    with pytest.raises(Unavailable, match="model crashed"):
        services.regenerate_from_phase(campaign=campaign, phase_num=2, new_direction="pivot")

    assert len(scripted.requests_for("plan")) == 2  # the retry after the invalid plan failed
    assert state(campaign) == before


def script_phase_2(scripted, n1_title: str = "") -> None:
    """The strategist's next plan: phases 2 and 3 anew (n1 n2 | m1 m2), under phase 1."""
    scripted.script(
        "plan",
        plan(
            [post("n1", "v1_a1", "v1_a2", title=n1_title), post("n2", "v1_a2")],
            [post("m1", "n1", "n2"), post("m2", "n2")],
            first=2,
        ),
    )


def test_a_database_failure_while_storing_rolls_everything_back(campaign, scripted, monkeypatch):
    script_phase_2(scripted)
    before = state(campaign)

    def broken(*args, **kwargs):
        raise RuntimeError("disk full")

    monkeypatch.setattr(strategy, "_snapshot", broken)
    with pytest.raises(RuntimeError, match="disk full"):
        services.regenerate_from_phase(campaign=campaign, phase_num=2, new_direction="pivot")
    assert state(campaign) == before


def test_a_campaign_changed_while_planning_is_not_overwritten(campaign, scripted, monkeypatch):
    script_phase_2(scripted)
    ask = strategy._ask_strategist

    def ask_and_race(*args, **kwargs):
        Campaign.objects.filter(pk=campaign.pk).update(current_version=9)  # someone else won
        return ask(*args, **kwargs)

    monkeypatch.setattr(strategy, "_ask_strategist", ask_and_race)
    with pytest.raises(Conflict, match="changed while the strategist was planning"):
        services.regenerate_from_phase(campaign=campaign, phase_num=2, new_direction="pivot")
    assert campaign.posts.filter(is_active=True, version=1).count() == 7


def regenerate_phase_2(campaign, scripted):
    script_phase_2(scripted, n1_title="New one")
    return services.regenerate_from_phase(campaign=campaign, phase_num=2, new_direction="pivot")


def test_versions_are_listed_compared_and_restored(campaign, scripted):
    regenerate_phase_2(campaign, scripted)
    campaign.refresh_from_db()

    versions = list(services.list_versions(campaign))
    assert [(v.number, v.kind, v.from_phase) for v in versions] == [
        (1, "created", None),
        (2, "regenerated", 2),
    ]

    diff = services.compare_versions(campaign=campaign, a=1, b=2)
    assert [p["key"] for p in diff.removed] == ["2.3"]
    assert diff.added == []
    assert [c.key for c in diff.changed] == ["2.1", "2.2", "3.1", "3.2"]
    assert diff.changed[0].after["title"] == "New one" and "title" in diff.changed[0].fields
    assert diff.unchanged == 2
    assert ("1.1", "2.3") in diff.links_removed and ("1.2", "2.1") in diff.links_added

    restored = services.restore_version(campaign=campaign, number=1)

    assert restored.current_version == 3
    assert sorted(active_ids(campaign)) == [
        "v1_a1",
        "v1_a2",
        "v1_b1",
        "v1_b2",
        "v1_b3",
        "v1_c1",
        "v1_c2",
    ]
    assert Post.objects.filter(campaign=campaign).count() == 11  # nothing deleted
    assert restored.versions.get(number=3).restored_from == 1
    assert services.compare_versions(campaign=campaign, a=1, b=3).changed == []
    assert restored.strategy == restored.versions.get(number=1).mermaid


def test_restoring_an_unknown_or_current_version_is_refused(campaign):
    from clarion.core.errors import NotFound

    with pytest.raises(NotFound, match="has no version 7"):
        services.restore_version(campaign=campaign, number=7)
    with pytest.raises(InvalidInput, match="already the current version"):
        services.restore_version(campaign=campaign, number=1)


def give_content(post: Post) -> None:
    for variant in ("A", "B"):
        ContentVariant.objects.create(
            post=post,
            variant_id=variant,
            platform="X",
            content=f"{post.post_id} {variant}: fresh beans every week. Subscribe today.",
        )
    post.status, post.selected_variant = PostStatus.READY, "A"
    post.save()


def test_restoring_a_version_whose_posts_all_have_content_makes_the_campaign_ready(
    campaign, scripted
):
    for old_post in campaign.posts.all():
        give_content(old_post)
    regenerate_phase_2(campaign, scripted)

    restored = services.restore_version(campaign=campaign, number=1)

    campaign.refresh_from_db()
    assert restored.phase == campaign.phase == "ready"
    assert campaign.content_failures == []


def test_restoring_a_version_with_posts_lacking_content_says_what_is_missing(campaign, scripted):
    for old_post in campaign.posts.filter(phase=1):
        give_content(old_post)
    regenerate_phase_2(campaign, scripted)

    restored = services.restore_version(campaign=campaign, number=1)

    campaign.refresh_from_db()
    assert restored.phase == campaign.phase == "content_missing"
    assert campaign.content_failures == [
        "5 restored post(s) have no content yet; it is queued for the worker"
    ]


def test_archived_posts_never_appear_in_the_views(campaign, scripted):
    for p in campaign.posts.all():
        give_content(p)
        p.metrics = {"impressions": 100, "clicks": 5}
        p.save()
    regenerate_phase_2(campaign, scripted)
    archived = set(campaign.posts.filter(is_active=False).values_list("post_id", flat=True))
    assert archived

    graph = services.graph_json(campaign)
    shown = (
        {n["id"] for n in graph["nodes"]}
        | {e["source"] for e in graph["edges"]}
        | {e["target"] for e in graph["edges"]}
    )
    assert not shown & archived
    assert graph["nodes"][0]["variants"] == {
        "count": 2,
        "ids": ["A", "B"],
        "platforms": ["X"],
        "approved": 0,
    }

    metrics = services.campaign_metrics(campaign)
    assert metrics["posts"] == 6
    assert metrics["totals"] == {"impressions": 200.0, "clicks": 10.0}  # the two kept phase-1 posts

    approval = services.approve_all(campaign=campaign)
    assert sorted(approval.approved) == ["v1_a1", "v1_a2"]
    assert not set(approval.skipped) & archived
    assert not ContentVariant.objects.filter(post__is_active=False, is_approved=True).exists()
    assert set(
        ContentVariant.objects.filter(is_approved=True).values_list("post__post_id", "variant_id")
    ) == {("v1_a1", "A"), ("v1_a2", "A")}

    check = services.trigger_check(campaign=campaign)
    listed = {*check["waiting_for_content"], *check["ready"], *check["due"], *check["scheduled"]}
    assert not listed & archived
    assert sorted(check["due"]) == ["v1_a1", "v1_a2"] and check["triggered"]


def test_trigger_check_separates_due_from_scheduled(campaign):
    a1, a2 = campaign.posts.filter(phase=1)
    for p, when in ((a1, -1), (a2, 1)):
        give_content(p)
        p.status, p.scheduled_for = PostStatus.APPROVED, timezone.now() + timedelta(hours=when)
        p.save()
    check = services.trigger_check(campaign=campaign)
    assert check["due"] == [a1.post_id] and check["scheduled"] == [a2.post_id]
    assert len(check["waiting_for_content"]) == 5


def test_select_variant_moves_the_approval(campaign):
    a1 = campaign.posts.get(post_id="v1_a1")
    give_content(a1)
    services.approve_all(campaign=campaign)
    services.select_variant(post=Post.objects.get(pk=a1.pk), variant_id="b")
    a1.refresh_from_db()
    assert a1.selected_variant == "B"
    assert list(a1.variants.filter(is_approved=True).values_list("variant_id", flat=True)) == ["B"]
    with pytest.raises(InvalidInput, match="has no variant 'C'"):
        services.select_variant(post=a1, variant_id="C")


def test_approve_all_skips_and_reports_variants_that_fail_the_checks(campaign):
    a1, a2 = campaign.posts.filter(phase=1).order_by("post_id")
    give_content(a1)
    give_content(a2)
    a2.variants.filter(variant_id="A").update(content="Cheap beans, guaranteed. " + "x" * 300)

    approval = services.approve_all(campaign=campaign)

    assert approval.approved == [a1.post_id]
    assert a2.post_id in approval.skipped
    [failed] = approval.failed_checks
    assert (failed["post_id"], failed["platform"], failed["variant_id"]) == (a2.post_id, "X", "A")
    reasons = " ".join(failed["problems"]).lower()
    assert "cheap" in reasons and "guaranteed" in reasons and "call to action" in reasons
    assert "280" in reasons
    assert not a2.variants.filter(is_approved=True).exists()
    assert Post.objects.get(pk=a2.pk).status == PostStatus.READY


def test_selecting_a_variant_that_fails_the_checks_withdraws_the_approval(campaign):
    a1 = campaign.posts.get(post_id="v1_a1")
    give_content(a1)
    a1.variants.filter(variant_id="B").update(content="No call to action here.")
    services.approve_all(campaign=campaign)

    services.select_variant(post=Post.objects.get(pk=a1.pk), variant_id="B")

    a1.refresh_from_db()
    assert a1.status == PostStatus.READY
    assert not a1.variants.filter(is_approved=True).exists()


def test_select_variant_refuses_archived_posts(campaign, scripted):
    b1 = campaign.posts.get(post_id="v1_b1")
    give_content(b1)
    regenerate_phase_2(campaign, scripted)
    with pytest.raises(Conflict, match="archived"):
        services.select_variant(post=Post.objects.get(pk=b1.pk), variant_id="A")


def test_mermaid_export_parse_export_is_identical(campaign, scripted):
    regenerate_phase_2(campaign, scripted)
    campaign.refresh_from_db()
    text = services.export_mermaid(campaign)
    assert text == campaign.strategy
    graph = mermaid.parse_mermaid(text)
    assert mermaid.to_mermaid(graph) == text
    assert [len(p.nodes) for p in graph.phases] == [2, 2, 2]
    assert set(graph.edges) == links(campaign)


def test_mermaid_labels_are_normalised():
    text = """flowchart TD
    subgraph "Phase 1 (Existing)"
        a1[Intro post] & a2("Second (New)")
    end
    subgraph P2["Phase 2: Launch (New)"]
        b1
    end
    a1 --> b1
    a2 -->|merge| b1
    """
    graph = mermaid.parse_mermaid(text)
    assert [(p.number, p.name) for p in graph.phases] == [(1, ""), (2, "Launch")]
    assert [n.label for n in graph.phases[0].nodes] == ["Intro post", "Second"]
    assert graph.edges == (("a1", "b1"), ("a2", "b1"))
    again = mermaid.to_mermaid(graph)
    assert "(New)" not in again and "(Existing)" not in again
    assert mermaid.to_mermaid(mermaid.parse_mermaid(again)) == again


@pytest.mark.parametrize(
    ("text", "message"),
    [
        ("", "empty"),
        ("pie title x", "line 1: expected 'graph LR'"),
        ("graph LR\n  a --> b", "line 2: node 'a' is outside every phase"),
        ('graph LR\n subgraph p1["Phase 1"]\n a', "missing its 'end'"),
        (
            'graph LR\n subgraph p1["Phase 1"]\n end\n subgraph p2["Phase 1"]\n end',
            "phase 1 appears twice",
        ),
    ],
)
def test_unreadable_mermaid_names_the_problem(text, message):
    with pytest.raises(mermaid.MermaidError, match=message):
        mermaid.parse_mermaid(text)

from __future__ import annotations

import re
from typing import Any

import pydantic_ai.models
import pytest
from django.db import OperationalError, connection, transaction
from django_tasks_db.models import DBTaskResult
from PIL import Image

from clarion.agents import llm
from clarion.agents.models import Agent, Job
from clarion.agents.roster import seed_builtin_team
from clarion.campaigns import content
from clarion.campaigns.content import ContentProgress, compose_brief, generate_content
from clarion.campaigns.media import campaign_headlines, card_headline, headline_of
from clarion.campaigns.models import Campaign, CampaignStage, ContentVariant, Post, PostStatus
from clarion.campaigns.tasks import enqueue_content, generate_content_task
from clarion.core.errors import InvalidInput
from clarion.testing.chat_server import FakeChatServer
from clarion.writing.models import IterationSession
from tests.campaigns.factories import make_campaign
from tests.scripted import draft, verdict

# Variants are written by pool threads with their own connections: rows must be committed.
pytestmark = pytest.mark.django_db(transaction=True)

METADATA_KEYS = {
    "poll",
    "angle",
    "hook_style",
    "session_id",
    "completion_reason",
    "approved",
    "score",
    "needs_human_review",
}


@pytest.fixture(autouse=True)
def _team_and_media(settings, tmp_path):
    """Transactional tests flush the built-in team the migrations made: seed it again."""
    seed_builtin_team(Agent)
    settings.MEDIA_ROOT = tmp_path / "media"
    settings.CLARION_LLM_MAX_CONCURRENCY = 4


def write_reply(request: dict[str, Any]) -> dict[str, Any]:
    """A draft that names its post, network and variant, and passes every check."""
    step = re.search(r"step (\d+\.\d+)", request["brief"])
    return draft(
        f"[{request['variant']}] Step {step.group(1) if step else '?'} on {request['platform']}: "
        "coffee roasted to order, at your door in 48 hours. Subscribe today.",
        angle=request.get("angle") or "",
        hook_style=request.get("hook_style") or "",
    )


def approving(scripted: Any, score: int = 8) -> None:
    scripted.script("write", write_reply)
    scripted.script("review", verdict("approve", score=score))


def test_every_active_post_and_network_gets_variants_a_and_b_with_distinct_angles(brand):
    campaign = make_campaign(brand, phases=[2, 2])
    seen: list[ContentProgress] = []

    report = generate_content(campaign=campaign, on_progress=seen.append)

    posts = list(Post.objects.filter(campaign=campaign))
    assert report.written == 4 * 3 * 2 and report.failed == 0 and report.skipped == 0
    assert report.calls >= report.written * 2 and report.tokens > 0
    assert report.cards == 4
    assert len(seen) == 24 and seen[-1].completed == seen[-1].total == 24
    for post in posts:
        variants = list(post.variants.all())
        assert {(v.platform, v.variant_id) for v in variants} == {
            (p, v) for p in ("X", "LinkedIn", "Facebook") for v in ("A", "B")
        }
        for platform in ("X", "LinkedIn", "Facebook"):
            a, b = (v for v in variants if v.platform == platform)
            assert a.metadata["angle"] != b.metadata["angle"]
            assert a.metadata["hook_style"] != b.metadata["hook_style"]
            assert a.content and b.content and a.content != b.content
        for variant in variants:
            assert set(variant.metadata) >= METADATA_KEYS
            session = IterationSession.objects.get(pk=variant.metadata["session_id"])
            assert session.final_text == variant.content
            assert session.angle == variant.metadata["angle"]
            assert session.variant == variant.variant_id
            assert session.platform == variant.platform
            assert variant.metadata["approved"] == (session.completion_reason == "approved")
            assert not variant.is_approved  # people approve; the reviewer only advises
        assert post.status == PostStatus.READY
        assert post.selected_variant in ("A", "B")
        assert post.media_path
        selected = next(
            v for v in variants if (v.variant_id, v.platform) == (post.selected_variant, "LinkedIn")
        )
        assert card_headline(post) == headline_of(selected.content) != post.hook
    # The cards drawn: each its own headline, however the copy of two posts begins.
    assert len(set(campaign_headlines(campaign).values())) == len(posts)
    assert report.approved == sum(
        v.metadata["approved"] for v in ContentVariant.objects.filter(post__campaign=campaign)
    )
    campaign.refresh_from_db()
    assert campaign.phase == CampaignStage.READY


def test_the_brief_carries_the_goal_phase_and_post(brand):
    campaign = make_campaign(brand, phases=[1])
    post = campaign.posts.get()

    brief = compose_brief(campaign=campaign, post=post)

    assert brief.startswith(f"Write a post about {post.title}.")
    for text in (post.objective, post.hook, post.phase_name, campaign.description):
        assert text in brief


def test_archived_posts_and_posts_outside_the_selection_get_nothing(brand, scripted):
    approving(scripted)
    campaign = make_campaign(brand, phases=[2, 2], platforms=["Mastodon"])
    archived = list(campaign.posts.filter(phase=2))
    Post.objects.filter(phase=2, campaign=campaign).update(is_active=False)
    chosen = campaign.posts.get(post_id="p1-1")

    report = generate_content(campaign=campaign, post_ids=[chosen.pk, archived[0].pk])

    assert report.posts == 1 and report.written == 2
    assert set(ContentVariant.objects.values_list("post__post_id", "platform")) == {
        ("p1-1", "Mastodon")
    }
    assert {r["platform"] for r in scripted.requests_for("write")} == {"Mastodon"}
    assert not Post.objects.get(pk=archived[0].pk).media_path
    campaign.refresh_from_db()
    assert campaign.phase == CampaignStage.CONTENT_MISSING  # p1-2 has none, none is queued
    assert campaign.content_failures == [
        "1 post(s) have no content yet and nothing is queued to write them"
    ]

    generate_content(campaign=campaign)

    assert not ContentVariant.objects.filter(post__is_active=False).exists()
    campaign.refresh_from_db()
    assert campaign.phase == CampaignStage.READY


def test_a_second_run_writes_nothing_and_asks_the_model_nothing(brand, scripted):
    approving(scripted)
    campaign = make_campaign(brand, phases=[2, 1])
    first = generate_content(campaign=campaign)
    requests, variants, jobs = (
        len(scripted.requests),
        ContentVariant.objects.count(),
        Job.objects.count(),
    )

    second = generate_content(campaign=campaign)

    assert first.written == 18 and first.approved == 18
    assert (second.written, second.skipped, second.failed, second.cards) == (0, 18, 0, 0)
    assert second.calls == 0
    assert len(scripted.requests) == requests
    assert ContentVariant.objects.count() == variants
    assert Job.objects.count() == jobs


def test_a_model_failure_leaves_variants_missing_and_a_rerun_writes_only_those(brand, scripted):
    def flaky(request: dict[str, Any]) -> dict[str, Any]:
        if request["platform"] == "LinkedIn" and request["variant"] == "B":
            raise RuntimeError("model server fell over")
        return write_reply(request)

    scripted.script("write", flaky)
    scripted.script("review", verdict("approve"))
    campaign = make_campaign(brand, phases=[2, 1])

    first = generate_content(campaign=campaign)

    assert (first.written, first.failed) == (15, 3)
    assert len(first.failures) == 3
    assert all("LinkedIn B" in f and "model server fell over" in f for f in first.failures)
    assert not ContentVariant.objects.filter(platform="LinkedIn", variant_id="B").exists()
    assert set(Post.objects.values_list("status", flat=True)) == {PostStatus.DRAFT}
    campaign.refresh_from_db()
    assert campaign.phase == CampaignStage.CONTENT_MISSING
    assert campaign.content_failures == first.failures

    scripted.replies["write"] = [write_reply]
    before = len(scripted.requests_for("write"))
    second = generate_content(campaign=campaign)

    retried = scripted.requests_for("write")[before:]
    assert {(r["platform"], r["variant"]) for r in retried} == {("LinkedIn", "B")}
    assert (second.written, second.skipped, second.failed) == (3, 15, 0)
    assert ContentVariant.objects.count() == 18
    assert set(Post.objects.values_list("status", flat=True)) == {PostStatus.READY}
    campaign.refresh_from_db()
    assert campaign.phase == CampaignStage.READY
    assert campaign.content_failures == []


def test_the_variant_with_the_best_mean_score_is_selected_and_ties_go_to_a(brand, scripted):
    def review(request: dict[str, Any]) -> dict[str, Any]:
        text = request["draft"]
        if "Step 1.1" in text:  # B wins on every network
            return verdict("approve", score=9 if text.startswith("[B]") else 7)
        if "Step 1.2" in text:  # B wins on X only, A wins on average
            if text.startswith("[B]"):
                return verdict("approve", score=9 if " on X" in text else 6)
            return verdict("approve", score=8)
        return verdict("approve", score=7)  # Step 1.3: a tie

    scripted.script("write", write_reply)
    scripted.script("review", review)
    campaign = make_campaign(brand, phases=[3])

    generate_content(campaign=campaign)

    selected = dict(campaign.posts.values_list("post_id", "selected_variant"))
    assert selected == {"p1-1": "B", "p1-2": "A", "p1-3": "A"}
    scores = {
        (v.platform, v.variant_id): v.metadata["score"]
        for v in ContentVariant.objects.filter(post__post_id="p1-1")
    }
    assert scores[("X", "B")] == 9.0 and scores[("X", "A")] == 7.0


def test_a_draft_that_never_passes_review_is_kept_and_flagged_for_a_human(
    brand, scripted, settings
):
    settings.CLARION_MAX_TURNS = 2
    scripted.script("write", write_reply)
    scripted.script("review", verdict("revise", score=5, fixes=["stronger_hook: ask a question"]))
    campaign = make_campaign(brand, phases=[1], platforms=["X"])

    report = generate_content(campaign=campaign)

    assert (report.written, report.approved) == (2, 0)
    for variant in ContentVariant.objects.all():
        assert variant.metadata["completion_reason"] == "max_turns"
        assert variant.metadata["needs_human_review"] is True
        assert variant.metadata["approved"] is False
    assert campaign.posts.get().status == PostStatus.READY


def test_the_networks_come_from_the_campaign_and_bad_input_is_refused(brand, scripted):
    approving(scripted)
    campaign = make_campaign(brand, phases=[1], platforms=["bluesky", "Twitter"])

    generate_content(campaign=campaign, variants=("A", "B", "C"))

    rows = set(ContentVariant.objects.values_list("platform", "variant_id"))
    assert rows == {(p, v) for p in ("Bluesky", "X") for v in ("A", "B", "C")}
    angles = {v.metadata["angle"] for v in ContentVariant.objects.filter(platform="X")}
    assert len(angles) == 3
    with pytest.raises(InvalidInput):
        generate_content(campaign=campaign, variants=("A", "A"))
    campaign.metadata = {"platforms": ["Myspace"]}
    with pytest.raises(InvalidInput):
        generate_content(campaign=campaign)


def test_the_task_reloads_the_campaign_and_running_it_twice_is_harmless(brand, scripted):
    approving(scripted)
    campaign = make_campaign(brand, phases=[1, 1], platforms=["X"])
    first_post = campaign.posts.get(phase=1)

    result = generate_content_task.call(campaign.pk, [first_post.pk])
    again = generate_content_task.call(campaign.pk, [first_post.pk])

    assert (result["written"], again["written"], again["skipped"]) == (2, 0, 2)
    assert ContentVariant.objects.count() == 2
    assert generate_content_task.call(10**9, None) == {"campaign": 10**9, "status": "missing"}


def test_enqueue_content_queues_one_task_with_the_ids(brand):
    campaign = make_campaign(brand, phases=[1])
    post = campaign.posts.get()

    enqueue_content(campaign=campaign, post_pks=[post.pk])

    task = DBTaskResult.objects.get()
    assert task.args_kwargs["args"] == [campaign.pk, [post.pk]]
    assert task.task_path.endswith("generate_content_task")


def test_a_rolled_back_enqueue_leaves_no_task(brand):
    def create_then_fail() -> None:
        with transaction.atomic():
            campaign = make_campaign(brand, phases=[1])
            enqueue_content(campaign=campaign, post_pks=None)
            raise RuntimeError("the caller's transaction fails")

    with pytest.raises(RuntimeError):
        create_then_fail()

    assert not Campaign.objects.exists()
    assert not DBTaskResult.objects.exists()


def test_inside_a_transaction_the_work_runs_in_the_calling_thread(brand, scripted):
    approving(scripted)
    with transaction.atomic():
        campaign = make_campaign(brand, phases=[1], platforms=["X"])
        report = generate_content(campaign=campaign)
        assert report.written == 2
        assert campaign.posts.get().status == PostStatus.READY


def test_a_missing_card_is_drawn_again_on_the_next_run(brand, scripted, settings):
    approving(scripted)
    campaign = make_campaign(brand, phases=[1], platforms=["X"])
    generate_content(campaign=campaign)
    post = campaign.posts.get()
    card = settings.MEDIA_ROOT / post.media_path
    card.unlink()

    report = generate_content(campaign=campaign)

    assert (report.cards, report.written) == (1, 0)
    with Image.open(card) as image:
        assert image.size == (1200, 630)


def test_variants_are_written_concurrently_up_to_the_model_bound(brand, settings, monkeypatch):
    monkeypatch.setattr(pydantic_ai.models, "ALLOW_MODEL_REQUESTS", True)
    settings.CLARION_LLM_MAX_CONCURRENCY = 3
    campaign = make_campaign(brand, phases=[3, 3], platforms=["X"])
    with FakeChatServer(latency=0.03) as server:
        settings.CLARION_LLM = "openai-compatible:fake-model"
        settings.CLARION_LLM_BASE_URL = server.base_url
        llm.reset_models()

        report = generate_content(campaign=campaign)

    assert report.written == 12 and report.failed == 0
    assert report.calls == server.requests
    assert report.tokens == server.prompt_tokens + server.completion_tokens
    # An in-memory SQLite database (the SQLite test run) cannot be shared by
    # threads, so the variants are written one after the other there.
    in_memory = connection.vendor == "sqlite" and "memory" in str(connection.settings_dict["NAME"])
    assert server.max_in_flight == (1 if in_memory else 3)


def test_text_of_a_session_whose_variant_was_never_stored_is_kept_without_asking_again(
    brand, scripted, monkeypatch
):
    approving(scripted)
    campaign = make_campaign(brand, phases=[1], platforms=["X", "LinkedIn"])
    store = content._store_variant

    def dies_on_linkedin_b(item: Any, session: Any, **kwargs: Any) -> None:
        if (item.platform, item.variant_id) == ("LinkedIn", "B"):
            raise OperationalError("the database went away")
        store(item, session, **kwargs)

    monkeypatch.setattr(content, "_store_variant", dies_on_linkedin_b)
    first = generate_content(campaign=campaign)
    monkeypatch.setattr(content, "_store_variant", store)
    assert (first.written, first.failed) == (3, 1)
    assert "OperationalError: the database went away" in first.failures[0]
    requests = len(scripted.requests)

    second = generate_content(campaign=campaign)

    assert (second.recovered, second.written, second.skipped) == (1, 0, 3)
    assert len(scripted.requests) == requests
    variant = ContentVariant.objects.get(platform="LinkedIn", variant_id="B")
    session = IterationSession.objects.get(pk=variant.metadata["session_id"])
    assert variant.content == session.final_text
    assert campaign.posts.get().status == PostStatus.READY


def test_a_post_archived_during_the_run_is_skipped(brand, scripted, settings):
    settings.CLARION_LLM_MAX_CONCURRENCY = 1  # two threads: p1-2 starts after p1-1
    campaign = make_campaign(brand, phases=[2], platforms=["X"])

    def regenerated_meanwhile(request: dict[str, Any]) -> dict[str, Any]:
        Post.objects.filter(campaign=campaign, post_id="p1-2").update(is_active=False)
        connection.close()  # this runs on the model loop's thread
        return write_reply(request)

    scripted.script("write", regenerated_meanwhile)
    scripted.script("review", verdict("approve"))

    report = generate_content(campaign=campaign)

    assert (report.written, report.skipped, report.failed) == (2, 2, 0)
    assert set(ContentVariant.objects.values_list("post__post_id", flat=True)) == {"p1-1"}
    campaign.refresh_from_db()
    assert campaign.phase == CampaignStage.READY

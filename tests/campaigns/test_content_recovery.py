"""Campaign content after failures and crashes: nothing written twice, nothing stuck "generating"."""

from __future__ import annotations

from datetime import timedelta
from typing import Any

import pytest
from django.utils import timezone
from django_tasks_db.models import DBTaskResult
from pydantic_ai.exceptions import ModelHTTPError

from clarion.agents.jobs import new_job
from clarion.campaigns.content import generate_content
from clarion.campaigns.models import Campaign, CampaignStage, ContentVariant, Post, PostStatus
from clarion.campaigns.recovery import recover_content_sessions, recover_stalled_campaigns
from clarion.campaigns.tasks import generate_content_task
from clarion.core.worker import ClarionWorker
from clarion.writing.models import IterationSession, SessionStatus, Turn
from clarion.writing.services import start_session
from tests.campaigns.factories import make_campaign
from tests.campaigns.test_content import write_reply
from tests.factories import dead_worker, live_worker
from tests.scripted import verdict

pytestmark = pytest.mark.django_db


def run_queued_tasks() -> None:
    """Run the queue as ``clarion worker --batch`` does, in this thread only.

    (Without the heartbeat thread: the in-memory test database fails a second
    connection's writes at once instead of making it wait.)
    """
    ClarionWorker(
        queue_names=["default"],
        interval=0,
        batch=True,
        backend_name="default",
        startup_delay=False,
        max_tasks=None,
        worker_id="test-worker",
        excluded_queue_names=[],
    ).run()


def approving(scripted: Any) -> None:
    scripted.script("write", write_reply)
    scripted.script("review", verdict("approve"))


def orphan(campaign: Campaign, post: Post, variant: str, *, runner: str) -> IterationSession:
    """A content session for X ``variant`` of ``post`` whose process died after a revised turn."""
    job = new_job(
        "post",
        f"{post.post_id} X {variant}",
        metadata={"campaign": campaign.pk, "post": post.pk, "platform": "X", "variant": variant},
    )
    session = start_session(
        kind="post",
        brief=f"Write a post about {post.title}.",
        brand=campaign.brand,
        platform="X",
        variant=variant,
        job=job,
        origin="campaign",
    )
    Turn.objects.create(
        session=session,
        turn_number=1,
        text="A first draft the reviewer sent back.",
        decision="revise",
        feedback="Add the call to action.",
        score=5.0,
        reviewed_at=timezone.now(),
    )
    IterationSession.objects.filter(pk=session.pk).update(
        status=SessionStatus.RUNNING, runner=runner
    )
    return IterationSession.objects.get(pk=session.pk)


def sessions_per_variant(campaign: Campaign) -> dict[tuple[int, str, str], int]:
    counts: dict[tuple[int, str, str], int] = {}
    for session in IterationSession.objects.filter(job__metadata__campaign=campaign.pk):
        meta = session.job.metadata
        key = (meta["post"], meta["platform"], meta["variant"])
        counts[key] = counts.get(key, 0) + 1
    return counts


def test_a_rerun_after_a_crash_takes_over_the_dead_workers_sessions_instead_of_starting_new(
    brand, scripted
):
    approving(scripted)
    campaign = make_campaign(brand, phases=[1, 1], platforms=["X"])
    first = campaign.posts.get(post_id="p1-1")
    orphaned = orphan(campaign, first, "A", runner=dead_worker())

    report = generate_content(campaign=campaign)

    assert report.written == 4 and report.failed == 0
    assert set(sessions_per_variant(campaign).values()) == {1}
    orphaned.refresh_from_db()
    assert orphaned.completion_reason == "approved"
    assert [t.turn_number for t in orphaned.turns.all()] == [1, 2]  # resumed after turn 1
    assert orphaned.recoveries == 1
    campaign.refresh_from_db()
    assert campaign.phase == CampaignStage.READY


def test_a_variant_a_live_process_is_writing_is_left_to_it(brand, scripted):
    approving(scripted)
    campaign = make_campaign(brand, phases=[1, 1], platforms=["X"])
    busy = orphan(campaign, campaign.posts.get(post_id="p1-1"), "A", runner=live_worker())

    report = generate_content(campaign=campaign)

    assert (report.written, report.busy, report.failed) == (3, 1, 0)
    assert IterationSession.objects.get(pk=busy.pk).status == SessionStatus.RUNNING
    campaign.refresh_from_db()
    assert campaign.phase == CampaignStage.GENERATING  # the live process will settle it


def test_a_stale_content_session_still_wanted_is_handed_to_a_queued_content_task(brand, scripted):
    approving(scripted)
    campaign = make_campaign(brand, phases=[1, 1], platforms=["X"])
    post = campaign.posts.get(post_id="p1-1")
    session = orphan(campaign, post, "B", runner=dead_worker())

    assert recover_content_sessions() == {"resumed": [session.pk], "cancelled": [], "failed": []}
    assert recover_content_sessions() == {"resumed": [], "cancelled": [], "failed": []}

    session.refresh_from_db()
    assert (session.status, session.runner, session.recoveries) == ("pending", "", 1)
    [task] = DBTaskResult.objects.all()
    assert task.args_kwargs["args"] == [campaign.pk, [post.pk]]

    generate_content_task.call(campaign.pk, [post.pk])

    session.refresh_from_db()
    assert session.completion_reason == "approved"
    assert set(sessions_per_variant(campaign).values()) == {1}
    assert ContentVariant.objects.filter(post=post).count() == 2


def test_no_second_content_task_is_queued_when_one_is_waiting(brand):
    campaign = make_campaign(brand, phases=[1, 1], platforms=["X"])
    generate_content_task.enqueue(campaign.pk, None)
    orphan(campaign, campaign.posts.get(post_id="p1-1"), "A", runner=dead_worker())

    assert len(recover_content_sessions()["resumed"]) == 1
    assert DBTaskResult.objects.count() == 1


def test_a_handed_back_session_waits_for_its_queued_content_task_however_long(brand):
    campaign = make_campaign(brand, phases=[1, 1], platforms=["X"])
    session = orphan(campaign, campaign.posts.get(post_id="p1-1"), "A", runner=dead_worker())
    recover_content_sessions()
    IterationSession.objects.filter(pk=session.pk).update(
        updated_at=timezone.now() - timedelta(days=1)
    )

    assert recover_content_sessions() == {"resumed": [], "cancelled": [], "failed": []}
    assert IterationSession.objects.get(pk=session.pk).recoveries == 1

    DBTaskResult.objects.all().delete()  # its task is lost: it is handed back once more
    assert recover_content_sessions()["resumed"] == [session.pk]
    assert DBTaskResult.objects.count() == 1


@pytest.mark.parametrize("why", ["stored", "archived"])
def test_a_stale_content_session_no_longer_wanted_is_cancelled(brand, why):
    campaign = make_campaign(brand, phases=[1, 1], platforms=["X"])
    post = campaign.posts.get(post_id="p1-1")
    session = orphan(campaign, post, "A", runner=dead_worker())
    if why == "stored":
        ContentVariant.objects.create(post=post, platform="X", variant_id="A", content="Done.")
    else:
        Post.objects.filter(pk=post.pk).update(is_active=False)

    assert recover_content_sessions()["cancelled"] == [session.pk]

    session.refresh_from_db()
    assert session.completion_reason == "cancelled"
    assert "its variant is no longer wanted" in session.error
    assert not DBTaskResult.objects.exists()


@pytest.mark.django_db(transaction=True)
def test_failed_variants_leave_the_campaign_content_missing_and_queueing_it_again_finishes_it(
    brand, scripted, settings, api_client
):
    settings.CLARION_LLM_MAX_RETRIES = 0
    refused = ModelHTTPError(status_code=400, model_name="scripted", body="refused")

    def flaky(request: dict[str, Any]) -> dict[str, Any]:
        if request["variant"] == "B":
            raise refused
        return write_reply(request)

    scripted.script("write", flaky)
    scripted.script("review", verdict("approve"))
    campaign = make_campaign(brand, phases=[1, 1], platforms=["X"], phase="generating")
    generate_content_task.enqueue(campaign.pk, None)
    client = api_client

    run_queued_tasks()

    data = client.get(f"/api/campaigns/{campaign.campaign_id}").json()
    assert data["phase"] == "content_missing"
    assert len(data["content_failures"]) == 2
    assert all(" X B: " in line and "status_code: 400" in line for line in data["content_failures"])
    assert {p["status"] for p in data["posts"]} == {PostStatus.DRAFT}

    scripted.replies["write"] = [write_reply]
    response = client.post(
        f"/api/campaigns/{campaign.campaign_id}/content", content_type="application/json"
    )
    assert response.status_code == 202 and response.json()["queued_posts"] == 2
    assert client.get(f"/api/campaigns/{campaign.campaign_id}").json()["phase"] == "generating"
    run_queued_tasks()

    data = client.get(f"/api/campaigns/{campaign.campaign_id}").json()
    assert (data["phase"], data["content_failures"]) == ("ready", [])
    assert {p["status"] for p in data["posts"]} == {PostStatus.READY}
    assert ContentVariant.objects.count() == 4
    assert {r["variant"] for r in scripted.requests_for("write")[-2:]} == {"B"}


def test_a_campaign_whose_content_run_stopped_for_good_says_content_is_missing(brand):
    campaign = make_campaign(brand, phases=[1, 1], platforms=["X"], phase="generating")
    Campaign.objects.filter(pk=campaign.pk).update(updated_at=timezone.now() - timedelta(hours=2))

    assert recover_stalled_campaigns(lease_seconds=3600) == [campaign.campaign_id]

    campaign.refresh_from_db()
    assert campaign.phase == CampaignStage.CONTENT_MISSING
    assert campaign.content_failures == [
        "content generation stopped before it finished: 2 post(s) have no content; "
        "queue what is missing"
    ]


def test_a_campaign_with_content_queued_or_recently_active_is_not_stalled(brand):
    queued = make_campaign(brand, phases=[1, 1], platforms=["X"], phase="generating")
    generate_content_task.enqueue(queued.pk, None)
    recent = make_campaign(brand, phases=[1, 1], platforms=["X"], phase="generating")
    Campaign.objects.update(updated_at=timezone.now() - timedelta(hours=2))

    assert recover_stalled_campaigns(lease_seconds=3600 * 24) == []
    assert recover_stalled_campaigns(lease_seconds=3600) == [recent.campaign_id]


def test_a_content_task_that_reads_a_session_just_before_it_is_handed_back_still_resumes_it(
    brand, scripted, monkeypatch
):
    """The worker's clean-up pass and the re-queued content task race for a dead worker's session."""
    approving(scripted)
    campaign = make_campaign(brand, phases=[1, 1], platforms=["X"])
    post = campaign.posts.get(post_id="p1-1")
    session = orphan(campaign, post, "A", runner=dead_worker())
    from clarion.campaigns import content

    real = content.Liveness.of
    handed: list[dict[str, list[int]]] = []

    def of_then_hand_back(runners: Any, **kwargs: Any) -> Any:
        liveness = real(runners, **kwargs)
        if not handed:  # between this read and the take, the clean-up pass hands it back
            monkeypatch.setattr(content.Liveness, "of", real)
            handed.append(recover_content_sessions())
        return liveness

    monkeypatch.setattr(content.Liveness, "of", of_then_hand_back)

    report = generate_content(campaign=campaign, post_ids=[post.pk])

    assert handed[0]["resumed"] == [session.pk]
    assert (report.written, report.busy, report.failed) == (2, 0, 0), report
    session.refresh_from_db()
    assert session.completion_reason == "approved"
    assert session.recoveries == 1
    assert set(sessions_per_variant(campaign).values()) == {1}

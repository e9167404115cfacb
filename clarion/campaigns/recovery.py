"""Campaign content after a crash: sessions taken over or cancelled, stalled campaigns settled.

A content session whose process died is resumed if its variant is still
wanted, by the content task of its post (queued here if none is waiting),
which takes the session over instead of starting a second one; it is cancelled
when the variant was stored meanwhile or its post archived. A campaign left
"generating" by a run that stopped for good ends in ``content_missing`` with
the reason.
"""

from __future__ import annotations

from datetime import datetime, timedelta

from django.conf import settings
from django.db import transaction
from django.utils import timezone

from clarion.campaigns.content import CONTENT_DONE, queued_content
from clarion.campaigns.models import Campaign, CampaignStage, ContentVariant, Post
from clarion.core.liveness import lease
from clarion.writing.models import IterationSession, SessionOrigin, SessionStatus
from clarion.writing.recovery import cancel_session, give_up, hand_back, stale_sessions

_UNFINISHED = (SessionStatus.PENDING, SessionStatus.RUNNING)


def recover_content_sessions(
    *, lease_seconds: int | None = None, now: datetime | None = None
) -> dict[str, list[int]]:
    """Resume or cancel the campaign sessions whose process died, by whether their variant is wanted.

    A session whose variant is stored meanwhile, or whose post was archived, is
    cancelled. Otherwise it is handed back (pending, free to take) and a content
    task for its post is queued unless one is waiting already; that task takes
    it over and resumes it after its last reviewed turn, so no second session
    writes the same variant. A session whose process died
    ``CLARION_MAX_RECOVERIES`` times ends with an error.
    """
    from clarion.campaigns.tasks import generate_content_task

    result: dict[str, list[int]] = {"resumed": [], "cancelled": [], "failed": []}
    stale = stale_sessions(origin=SessionOrigin.CAMPAIGN, lease_seconds=lease_seconds, now=now)
    if not stale:
        return result
    meta = dict(
        IterationSession.objects.filter(pk__in=[s.pk for s in stale]).values_list(
            "pk", "job__metadata"
        )
    )
    post_pks = {int((meta.get(s.pk) or {}).get("post") or 0) for s in stale}
    active = set(Post.objects.filter(pk__in=post_pks, is_active=True).values_list("pk", flat=True))
    stored = set(
        ContentVariant.objects.filter(post__in=post_pks).values_list(
            "post_id", "platform", "variant_id"
        )
    )
    queued = queued_content()
    for session in stale:
        info = meta.get(session.pk) or {}
        campaign_pk, post_pk = info.get("campaign"), info.get("post")
        key = (post_pk, info.get("platform"), info.get("variant"))
        covered = queued.get(campaign_pk, set()) if isinstance(campaign_pk, int) else set()
        waiting = covered is None or post_pk in covered  # a queued content task will take it
        if post_pk not in active or key in stored:
            reason = (
                f"cancelled: {session.holder} stopped while writing it, and its variant is no "
                "longer wanted (stored by another run, or its post was archived)"
            )
            if cancel_session(session, reason=reason):
                result["cancelled"].append(session.pk)
        elif session.status == SessionStatus.PENDING and not session.runner and waiting:
            continue  # handed back already, its content task is in the queue
        elif session.recoveries >= settings.CLARION_MAX_RECOVERIES:
            if give_up(session):
                result["failed"].append(session.pk)
        else:
            with transaction.atomic():
                if not hand_back(session):
                    continue
                if isinstance(campaign_pk, int) and isinstance(post_pk, int) and not waiting:
                    generate_content_task.enqueue(campaign_pk, [post_pk])
                    assert covered is not None
                    covered.add(post_pk)
                    queued[campaign_pk] = covered
            result["resumed"].append(session.pk)
    return result


def recover_stalled_campaigns(
    *, lease_seconds: int | None = None, now: datetime | None = None
) -> list[str]:
    """Campaigns left "generating" by a run that stopped for good say that content is missing.

    A campaign counts as stalled when no content task is queued or running for
    it, none of its sessions is unfinished, and nothing of it moved for the lease
    (``CLARION_SESSION_LEASE_SECONDS``). Returns their campaign ids.
    """
    now = now or timezone.now()
    cutoff = now - (lease() if lease_seconds is None else timedelta(seconds=lease_seconds))
    candidates = list(
        Campaign.objects.filter(phase=CampaignStage.GENERATING, updated_at__lt=cutoff).only(
            "pk", "campaign_id", "updated_at"
        )
    )
    if not candidates:
        return []
    queued = queued_content(running=True)
    settled: list[str] = []
    for campaign in candidates:
        if campaign.pk in queued:
            continue
        sessions = IterationSession.objects.filter(
            origin=SessionOrigin.CAMPAIGN, job__metadata__campaign=campaign.pk
        )
        if sessions.filter(status__in=_UNFINISHED).exists():
            continue  # recover_content_sessions deals with them first
        if sessions.filter(updated_at__gte=cutoff).exists():
            continue
        active = Post.objects.filter(campaign=campaign, is_active=True)
        waiting = active.exclude(status__in=CONTENT_DONE).count()
        stage = CampaignStage.CONTENT_MISSING if waiting else CampaignStage.READY
        failures = (
            [
                f"content generation stopped before it finished: {waiting} post(s) have no "
                "content; queue what is missing"
            ]
            if waiting
            else []
        )
        if Campaign.objects.filter(
            pk=campaign.pk, phase=CampaignStage.GENERATING, updated_at=campaign.updated_at
        ).update(phase=stage, content_failures=failures, updated_at=now):
            settled.append(campaign.campaign_id)
    return settled

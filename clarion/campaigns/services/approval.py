"""Approval: the hard checks on a variant, approving a campaign, choosing a variant, due posts."""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import datetime
from typing import Any

from django.db import transaction
from django.utils import timezone

from clarion.brands.models import Brand
from clarion.campaigns.models import Campaign, ContentVariant, Post, PostStatus
from clarion.campaigns.services.graph import _active_posts
from clarion.core.errors import Conflict, InvalidInput
from clarion.writing.checks import check_draft


@dataclass
class ApprovalResult:
    approved: list[str]
    skipped: list[str]
    failed_checks: list[dict[str, Any]] = field(default_factory=list)


def variant_problems(variant: ContentVariant, brand: Brand) -> list[str]:
    """The hard checks (length, call to action, banned terms) on a variant's text."""
    failures = check_draft(
        variant.content,
        platform=variant.platform,
        require_cta=True,
        cta_targets=list(brand.cta_targets),
        banned_terms=list(brand.banned_terms),
        previous_drafts=[],
        allowed_domains=list(brand.domains),
    )
    return [f.message for f in failures]


def approve_all(*, campaign: Campaign) -> ApprovalResult:
    """Approve the selected variant of every active post that has content.

    A variant that fails the hard checks is not approved: it is reported with its
    reasons (``failed_checks``), and its post stays unapproved until it is fixed.
    """
    result = ApprovalResult([], [])
    brand = campaign.brand
    with transaction.atomic():
        posts = list(_active_posts(campaign).select_for_update())
        for post in posts:
            chosen = list(
                ContentVariant.objects.filter(post=post, variant_id=post.selected_variant)
            )
            if not post.selected_variant or not chosen:
                result.skipped.append(post.post_id)
                continue
            failing = []
            for variant in chosen:
                problems = variant_problems(variant, brand)
                if problems:
                    failing.append(variant)
                    result.failed_checks.append(
                        {
                            "post_id": post.post_id,
                            "platform": variant.platform,
                            "variant_id": variant.variant_id,
                            "problems": problems,
                        }
                    )
            if failing:
                result.skipped.append(post.post_id)
                continue
            ContentVariant.objects.filter(pk__in=[v.pk for v in chosen]).update(is_approved=True)
            if post.status in (PostStatus.DRAFT, PostStatus.READY):
                post.status = PostStatus.APPROVED
                post.save(update_fields=["status", "updated_at"])
            result.approved.append(post.post_id)
    return result


def trigger_check(*, campaign: Campaign, now: datetime | None = None) -> dict[str, Any]:
    """Which active posts await approval, and which approved ones are due to publish."""
    moment = now or timezone.now()
    waiting, ready, due, scheduled = [], [], [], []
    for post in _active_posts(campaign):
        if post.status == PostStatus.DRAFT:
            waiting.append(post.post_id)
        elif post.status == PostStatus.READY:
            ready.append(post.post_id)
        elif post.status in (PostStatus.APPROVED, PostStatus.SCHEDULED):
            if post.scheduled_for is None or post.scheduled_for <= moment:
                due.append(post.post_id)
            else:
                scheduled.append(post.post_id)
    return {
        "campaign_id": campaign.campaign_id,
        "checked_at": moment,
        "waiting_for_content": waiting,
        "ready": ready,
        "due": due,
        "scheduled": scheduled,
        "triggered": bool(due),
    }


def select_variant(*, post: Post, variant_id: str) -> Post:
    """Choose which A/B variant of a post goes out (approval moves with the choice)."""
    chosen = variant_id.strip().upper()
    if not post.is_active:
        raise Conflict(f"post {post.post_id} is archived (an earlier strategy version)")
    available = sorted(set(post.variants.values_list("variant_id", flat=True)))
    if chosen not in available:
        hint = ", ".join(available) if available else "none yet: its content is not written"
        raise InvalidInput("variant_id", f"post {post.post_id} has no variant {chosen!r} ({hint})")
    with transaction.atomic():
        if post.status in (PostStatus.APPROVED, PostStatus.SCHEDULED):
            post.variants.exclude(variant_id=chosen).update(is_approved=False)
            brand = post.campaign.brand
            new = list(post.variants.filter(variant_id=chosen))
            if all(not variant_problems(v, brand) for v in new):
                post.variants.filter(variant_id=chosen).update(is_approved=True)
            else:  # a choice that fails the checks is not approved: the post waits again
                post.status = PostStatus.READY
        post.selected_variant = chosen
        post.save(update_fields=["selected_variant", "status", "updated_at"])
    return post

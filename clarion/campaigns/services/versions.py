"""Strategy versions: listed, compared post by post, and restored as a new version."""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import Any

from django.db import transaction
from django.db.models import QuerySet
from django.utils import timezone

from clarion.campaigns.content import settle_stage
from clarion.campaigns.models import (
    Campaign,
    Post,
    PostLink,
    PostStatus,
    StrategyVersion,
    VersionKind,
)
from clarion.campaigns.services.records import _enqueue_content, _memory, _snapshot
from clarion.core.errors import InvalidInput, NotFound


def list_versions(campaign: Campaign) -> QuerySet[StrategyVersion]:
    return campaign.versions.order_by("number")


def get_version(campaign: Campaign, number: int) -> StrategyVersion:
    found = campaign.versions.filter(number=number).first() if 0 < number < 2**31 else None
    if found is None:
        raise NotFound(
            f"campaign {campaign.campaign_id} has no version {number} "
            f"(versions 1 to {campaign.current_version})"
        )
    return found


@dataclass
class PostChange:
    key: str
    before: dict[str, Any]
    after: dict[str, Any]
    fields: list[str]


@dataclass
class VersionDiff:
    campaign_id: str
    from_version: int
    to_version: int
    added: list[dict[str, Any]] = field(default_factory=list)
    removed: list[dict[str, Any]] = field(default_factory=list)
    changed: list[PostChange] = field(default_factory=list)
    unchanged: int = 0
    links_added: list[tuple[str, str]] = field(default_factory=list)
    links_removed: list[tuple[str, str]] = field(default_factory=list)


_COMPARED = ("phase_name", "title", "objective", "hook")


def _summary(post: Post) -> dict[str, Any]:
    return {
        "key": f"{post.phase}.{post.position}",
        "post_id": post.post_id,
        "phase": post.phase,
        "phase_name": post.phase_name,
        "title": post.title,
        "objective": post.objective,
        "hook": post.hook,
        "version": post.version,
    }


def _version_posts(version: StrategyVersion) -> tuple[dict[str, Post], set[tuple[str, str]]]:
    posts = list(Post.objects.filter(pk__in=version.post_ids))
    by_pk = {post.pk: post for post in posts}
    keyed = {f"{post.phase}.{post.position}": post for post in posts}
    links = {
        (
            f"{by_pk[s].phase}.{by_pk[s].position}",
            f"{by_pk[t].phase}.{by_pk[t].position}",
        )
        for s, t in PostLink.objects.filter(source_id__in=by_pk, target_id__in=by_pk).values_list(
            "source_id", "target_id"
        )
    }
    return keyed, links


def compare_versions(*, campaign: Campaign, a: int, b: int) -> VersionDiff:
    """What changed from version ``a`` to ``b``; posts match by their place (phase.position)."""
    before, links_before = _version_posts(get_version(campaign, a))
    after, links_after = _version_posts(get_version(campaign, b))
    diff = VersionDiff(campaign.campaign_id, a, b)
    order = sorted(set(before) | set(after), key=lambda k: tuple(int(x) for x in k.split(".")))
    for key in order:
        old, new = before.get(key), after.get(key)
        if old is None and new is not None:
            diff.added.append(_summary(new))
        elif new is None and old is not None:
            diff.removed.append(_summary(old))
        elif old is not None and new is not None:
            fields = [name for name in _COMPARED if getattr(old, name) != getattr(new, name)]
            if fields:
                diff.changed.append(PostChange(key, _summary(old), _summary(new), fields))
            else:
                diff.unchanged += 1
    diff.links_added = sorted(links_after - links_before)
    diff.links_removed = sorted(links_before - links_after)
    return diff


def restore_version(*, campaign: Campaign, number: int) -> Campaign:
    """Make version ``number``'s posts the active ones again, as a new version.

    The stage follows the restored posts: ready when every one has its content,
    content missing (and queued for the worker) when some have not.
    """
    target = get_version(campaign, number)
    if number == campaign.current_version:
        raise InvalidInput("version", f"version {number} is already the current version")
    with transaction.atomic():
        locked = Campaign.objects.select_for_update().select_related("brand").get(pk=campaign.pk)
        now = timezone.now()
        Post.objects.filter(campaign=locked, is_active=True).exclude(pk__in=target.post_ids).update(
            is_active=False, updated_at=now
        )
        Post.objects.filter(campaign=locked, pk__in=target.post_ids).update(
            is_active=True, updated_at=now
        )
        locked.current_version += 1
        _snapshot(locked, kind=VersionKind.RESTORED, restored_from=number)
        _memory(locked).remember(
            "restored",
            version=locked.current_version,
            summary=f"v{locked.current_version}: restored version {number}",
        )
        drafts = list(locked.posts.filter(is_active=True, status=PostStatus.DRAFT))
        _enqueue_content(locked, drafts)
        missing = (
            [f"{len(drafts)} restored post(s) have no content yet; it is queued for the worker"]
            if drafts
            else []
        )
        settle_stage(locked, missing=missing)
    campaign.refresh_from_db()
    return locked

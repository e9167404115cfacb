"""Campaigns and posts found by their reference; ``NotFound`` otherwise."""

from __future__ import annotations

from clarion.accounts.models import Workspace
from clarion.accounts.scope import scoped
from clarion.campaigns.models import Campaign, Post
from clarion.core.errors import NotFound


def get_campaign(ref: str | int, *, workspace: Workspace | None = None) -> Campaign:
    """A campaign by ``campaign_id`` (or primary key), of ``workspace`` when given;
    ``NotFound`` otherwise (another workspace's campaign is not found either)."""
    query = Campaign.objects.select_related("brand")
    if workspace is not None:
        query = scoped(query, workspace)
    found = query.filter(campaign_id=str(ref)).first()
    if found is None and str(ref).isdigit() and len(str(ref)) < 19:
        found = query.filter(pk=int(ref)).first()
    if found is None:
        raise NotFound(f"no campaign {ref!r}")
    return found


_MAX_ID = 2**63 - 1


def get_post(pk: int) -> Post:
    post = (
        Post.objects.select_related("campaign").filter(pk=pk).first() if 0 < pk <= _MAX_ID else None
    )
    if post is None:
        raise NotFound(f"no post {pk}")
    return post

"""The marketing data views of the agent service's dashboard (``/api/data/…``), read from what
Clarion keeps: campaigns with their counts, content pieces (a post's variants) and social posts
(the publication ledger). Read-only, and always one workspace's.
"""

from __future__ import annotations

from django.db.models import Count, Q, QuerySet, Subquery

from clarion.accounts.models import Workspace
from clarion.accounts.scope import scoped
from clarion.agents.models import AgentRole
from clarion.agents.runtime import serving_agents
from clarion.campaigns.models import Campaign, CampaignStage, ContentVariant, PostStatus
from clarion.publishing.models import Publication

# Clarion's campaign stages, as the dashboard's three campaign statuses.
PLANNING, ACTIVE, COMPLETED = "planning", "active", "completed"


def campaign_status(stage: str, posts: int, published: int) -> str:
    """``planning`` while the strategy is planned, ``completed`` once every post is published,
    ``active`` in between (content written, reviewed, scheduled or publishing)."""
    if stage == CampaignStage.PLANNING:
        return PLANNING
    if posts and published >= posts:
        return COMPLETED
    return ACTIVE


def campaigns_of(workspace: Workspace) -> QuerySet[Campaign]:
    """The workspace's campaigns with their post counts and the strategist who owns them."""
    active = Q(posts__is_active=True)
    strategist = serving_agents([AgentRole.STRATEGIST], workspace.pk).values("name")[:1]
    return (
        scoped(Campaign, workspace)
        .select_related("brand")
        .annotate(
            post_count=Count("posts", filter=active, distinct=True),
            published_count=Count(
                "posts", filter=active & Q(posts__status=PostStatus.PUBLISHED), distinct=True
            ),
            failed_count=Count(
                "posts", filter=active & Q(posts__status=PostStatus.FAILED), distinct=True
            ),
            variant_count=Count("posts__variants", filter=active, distinct=True),
            owner_name=Subquery(strategist),
        )
        .order_by("-created_at", "-id")
    )


def content_of(workspace: Workspace, *, platform: str | None = None) -> QuerySet[ContentVariant]:
    """The content pieces of the workspace's current posts (archived versions left out)."""
    pieces = scoped(ContentVariant, workspace).filter(post__is_active=True)
    if platform:
        pieces = pieces.filter(platform=platform)
    return pieces.select_related("post__campaign").order_by("-created_at", "-id")


def social_of(
    workspace: Workspace, *, network: str | None = None, state: str | None = None
) -> QuerySet[Publication]:
    """The workspace's social posts: every row of the publication ledger, latest slot first."""
    posts = scoped(Publication, workspace).select_related("brand")
    if network:
        posts = posts.filter(network=network)
    if state:
        posts = posts.filter(state=state)
    return posts.order_by("-scheduled_at", "-id")

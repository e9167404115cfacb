"""Campaign endpoints: plan, regenerate (seed 001), chat, versions, and the canvas views."""

from __future__ import annotations

from typing import Any

from django.db.models import QuerySet
from django.http import HttpRequest
from ninja import Router, Status
from ninja.pagination import paginate

from clarion.accounts.auth import workspace_of
from clarion.accounts.scope import get_scoped, scoped
from clarion.api.pagination import Pages
from clarion.api.schemas import CONFLICT, INVALID, NOT_FOUND, UNAVAILABLE
from clarion.brands.services import get_brand
from clarion.campaigns import services
from clarion.campaigns.models import Campaign, ContentVariant, ConversationMessage, Post
from clarion.campaigns.schemas import (
    ApprovalOut,
    CampaignDetailOut,
    CampaignIn,
    CampaignOut,
    ChatIn,
    ChatOut,
    ContentQueuedOut,
    GraphOut,
    MessageOut,
    MetricsOut,
    PostOut,
    RegenerateIn,
    RegenerationOut,
    SelectVariantIn,
    TriggerOut,
    VariantEditIn,
    VariantOut,
    VersionDiffOut,
    VersionOut,
)
from clarion.core.errors import NotFound

router = Router(tags=["campaigns"])


def _campaign(request: HttpRequest, ref: str) -> Campaign:
    """A campaign of the request's workspace by ``campaign_id`` or id (404 otherwise)."""
    return services.get_campaign(ref, workspace=workspace_of(request))


def _post(request: HttpRequest, pk: int) -> Post:
    if not 0 < pk < 2**63:
        raise NotFound(f"no post {pk}")
    query = Post.objects.select_related("campaign")
    return get_scoped(query, workspace_of(request), missing=f"no post {pk}", pk=pk)


def _posts(query: QuerySet[Post]) -> QuerySet[Post]:
    return services.with_graph(query)


def _regeneration(result: services.Regeneration) -> dict[str, Any]:
    return {
        "campaign_id": result.campaign.campaign_id,
        "from_phase": result.from_phase,
        "version": result.version,
        "archived": result.archived,
        "posts": list(_posts(Post.objects.filter(pk__in=[p.pk for p in result.posts]))),
        "strategy": result.campaign.strategy,
    }


@router.post(
    "/campaigns",
    response={201: CampaignDetailOut, **NOT_FOUND, **INVALID, **CONFLICT, **UNAVAILABLE},
)
def create_campaign(request: HttpRequest, payload: CampaignIn) -> Status:
    """Plan a campaign with the strategist; A/B content and media are queued for the worker."""
    campaign = services.create_campaign(
        brand=get_brand(payload.brand, workspace=workspace_of(request)),
        goal=payload.goal,
        name=payload.name,
        phase_count=payload.phase_count,
        platforms=payload.platforms,
        campaign_id=payload.campaign_id,
        generate_content=payload.generate_content,
    )
    return Status(201, campaign)


@router.get("/campaigns", response={200: list[CampaignOut], **INVALID})
@paginate(Pages)
def list_campaigns(request: HttpRequest) -> QuerySet[Campaign]:
    return scoped(Campaign.objects.select_related("brand"), workspace_of(request))


@router.get("/campaigns/{campaign_id}", response={200: CampaignDetailOut, **NOT_FOUND})
def get_campaign(request: HttpRequest, campaign_id: str) -> Campaign:
    """The campaign with its active posts (archived ones appear only in versions)."""
    return _campaign(request, campaign_id)


@router.get("/campaigns/{campaign_id}/graph", response={200: GraphOut, **NOT_FOUND})
def campaign_graph(request: HttpRequest, campaign_id: str) -> dict[str, Any]:
    """The canvas: active nodes with their variants summary, and active edges."""
    return services.graph_json(_campaign(request, campaign_id))


@router.get("/campaigns/{campaign_id}/metrics", response={200: MetricsOut, **NOT_FOUND})
def campaign_metrics(request: HttpRequest, campaign_id: str) -> dict[str, Any]:
    return services.campaign_metrics(_campaign(request, campaign_id))


@router.post("/campaigns/{campaign_id}/approve-all", response={200: ApprovalOut, **NOT_FOUND})
def approve_all(request: HttpRequest, campaign_id: str) -> services.ApprovalResult:
    """Approve the selected variant of every active post that has content; variants that
    fail the hard checks are reported (``failed_checks``) and not approved."""
    return services.approve_all(campaign=_campaign(request, campaign_id))


@router.get("/campaigns/{campaign_id}/trigger-check", response={200: TriggerOut, **NOT_FOUND})
def trigger_check(request: HttpRequest, campaign_id: str) -> dict[str, Any]:
    """Which active posts await content or approval, and which are due to publish."""
    return services.trigger_check(campaign=_campaign(request, campaign_id))


@router.post("/campaigns/{campaign_id}/content", response={202: ContentQueuedOut, **NOT_FOUND})
def queue_content(request: HttpRequest, campaign_id: str) -> Status:
    """Queue A/B variants and media for every active post that lacks them."""
    campaign = _campaign(request, campaign_id)
    count = services.queue_missing_content(campaign=campaign)
    return Status(202, {"campaign_id": campaign.campaign_id, "queued_posts": count})


@router.post(
    "/campaigns/{campaign_id}/chat",
    response={200: ChatOut, **NOT_FOUND, **INVALID},
)
def campaign_chat(request: HttpRequest, campaign_id: str, payload: ChatIn) -> dict[str, Any]:
    """Talk to the strategist; ``!regenerate phase X <direction>`` regenerates the strategy."""
    result = services.chat(campaign=_campaign(request, campaign_id), message=payload.message)
    return {
        "message": result.message,
        "reply": result.reply,
        "regeneration": _regeneration(result.regeneration) if result.regeneration else None,
    }


@router.get(
    "/campaigns/{campaign_id}/messages", response={200: list[MessageOut], **NOT_FOUND, **INVALID}
)
@paginate(Pages)
def list_messages(request: HttpRequest, campaign_id: str) -> QuerySet[ConversationMessage]:
    return _campaign(request, campaign_id).messages.order_by("created_at", "id")


@router.get("/campaigns/{campaign_id}/versions", response={200: list[VersionOut], **NOT_FOUND})
def list_versions(request: HttpRequest, campaign_id: str) -> Any:
    return services.list_versions(_campaign(request, campaign_id))


@router.get(
    "/campaigns/{campaign_id}/versions/{a}/compare/{b}",
    response={200: VersionDiffOut, **NOT_FOUND, **INVALID},
)
def compare_versions(request: HttpRequest, campaign_id: str, a: int, b: int) -> Any:
    """Posts added, removed and changed from version ``a`` to ``b``, and links changed."""
    return services.compare_versions(campaign=_campaign(request, campaign_id), a=a, b=b)


@router.post(
    "/campaigns/{campaign_id}/versions/{number}/restore",
    response={200: CampaignDetailOut, **NOT_FOUND, **INVALID},
)
def restore_version(request: HttpRequest, campaign_id: str, number: int) -> Campaign:
    """Make an earlier version's posts active again, as a new version (nothing is deleted)."""
    campaign = services.restore_version(campaign=_campaign(request, campaign_id), number=number)
    return campaign


@router.get("/posts/{post_pk}", response={200: PostOut, **NOT_FOUND, **INVALID})
def get_post(request: HttpRequest, post_pk: int) -> Post:
    return _posts(Post.objects.filter(pk=_post(request, post_pk).pk)).get()


@router.post(
    "/posts/{post_pk}/select-variant",
    response={200: PostOut, **NOT_FOUND, **INVALID, **CONFLICT},
)
def select_variant(request: HttpRequest, post_pk: int, payload: SelectVariantIn) -> Post:
    post = services.select_variant(post=_post(request, post_pk), variant_id=payload.variant_id)
    return _posts(Post.objects.filter(pk=post.pk)).get()


@router.patch(
    "/posts/{post_pk}/variants/{platform}/{variant_id}",
    response={200: VariantOut, **NOT_FOUND, **INVALID, **CONFLICT},
)
def edit_variant(
    request: HttpRequest, post_pk: int, platform: str, variant_id: str, payload: VariantEditIn
) -> ContentVariant:
    """Replace a variant's text; a text failing the hard checks is refused (422, every reason)."""
    post = _post(request, post_pk)
    variant = post.variants.filter(platform=platform, variant_id=variant_id.upper()).first()
    if variant is None:
        raise NotFound(f"post {post.post_id} has no {platform} variant {variant_id!r}")
    variant.post = post
    return services.edit_variant(variant=variant, content=payload.content)


@router.post(
    "/agents/regenerate-strategy/",
    response={200: RegenerationOut, **NOT_FOUND, **INVALID, **CONFLICT, **UNAVAILABLE},
)
def regenerate_strategy(request: HttpRequest, payload: RegenerateIn) -> dict[str, Any]:
    """Regenerate from ``phase_num`` on with a new direction (seed 001).

    Phases before it stay active and untouched; posts of that phase and later are
    archived; the new posts carry the campaign's next version and get their A/B
    content and media in the background.
    """
    result = services.regenerate_from_phase(
        campaign=_campaign(request, payload.campaign_id),
        phase_num=payload.phase_num,
        new_direction=payload.new_direction,
        phase_count=payload.phase_count,
    )
    return _regeneration(result)

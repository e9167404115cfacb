"""Pages and files the campaigns app serves: the list, the canvas, the post panel, the chat.

Thin views: each loads its objects through the workspace scope (another workspace's
campaign is a 404), calls one service (the same ones the API calls) and renders a
page, or one of its partials for htmx.
"""

from __future__ import annotations

from collections import defaultdict
from typing import Any

from django.core.paginator import Paginator
from django.db.models import Count, Max, Q
from django.http import FileResponse, Http404, HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.urls import reverse
from django.views.decorators.http import require_GET, require_POST
from django_htmx.middleware import HtmxDetails

from clarion.accounts.auth import workspace_of
from clarion.accounts.scope import get_scoped, scoped
from clarion.campaigns import canvas, services
from clarion.campaigns.forms import CampaignForm, ChatForm, VariantTextForm
from clarion.campaigns.media import stored_card
from clarion.campaigns.models import Campaign, ContentVariant, Post, PostStatus
from clarion.core.errors import Conflict, InvalidInput, NotFound, Unavailable


class HtmxRequest(HttpRequest):
    htmx: HtmxDetails


PAGE_SIZE = 50
CHAT_HISTORY = 50
CONTENT_DONE = [PostStatus.READY, PostStatus.APPROVED, PostStatus.SCHEDULED, PostStatus.PUBLISHED]


def _campaign(request: HttpRequest, campaign_id: str) -> Campaign:
    try:
        return get_scoped(
            Campaign.objects.select_related("brand"),
            workspace_of(request),
            missing=f"no campaign {campaign_id!r}",
            campaign_id=campaign_id,
        )
    except NotFound as exc:
        raise Http404(str(exc)) from exc


def _post(request: HttpRequest, pk: int) -> Post:
    try:
        return get_scoped(
            Post.objects.select_related("campaign__brand"),
            workspace_of(request),
            missing=f"no post {pk}",
            pk=pk,
        )
    except NotFound as exc:
        raise Http404(str(exc)) from exc


def _reason(exc: Exception) -> str:
    return exc.message if isinstance(exc, InvalidInput) else str(exc)


# --- The list of campaigns, and a new one ---


def _campaigns_page(request: HttpRequest, form: CampaignForm, *, status: int = 200) -> HttpResponse:
    workspace = workspace_of(request)
    rows = (
        scoped(Campaign.objects.select_related("brand"), workspace)
        .annotate(
            total_posts=Count("posts", filter=Q(posts__is_active=True)),
            ready_posts=Count(
                "posts", filter=Q(posts__is_active=True, posts__status__in=CONTENT_DONE)
            ),
            phase_total=Max("posts__phase", filter=Q(posts__is_active=True)),
        )
        .order_by("-created_at", "-id")
    )
    page = Paginator(rows, PAGE_SIZE).get_page(request.GET.get("page"))
    context = {"section": "campaigns", "page": page, "form": form}
    return render(request, "campaigns/list.html", context, status=status)


@require_GET
def list_campaigns(request: HttpRequest) -> HttpResponse:
    return _campaigns_page(request, CampaignForm(workspace=workspace_of(request)))


@require_POST
def create_campaign(request: HttpRequest) -> HttpResponse:
    """Plan a campaign with the strategist, then show its canvas filling in."""
    form = CampaignForm(request.POST, workspace=workspace_of(request))
    if not form.is_valid():
        return _campaigns_page(request, form, status=422)
    data = form.cleaned_data
    try:
        campaign = services.create_campaign(
            brand=data["brand"],
            goal=data["goal"],
            name=data["name"] or None,
            phase_count=data["phase_count"],
            platforms=data["platforms"],
        )
    except InvalidInput as exc:
        field = exc.field if exc.field in form.fields else None
        form.add_error(field, exc.message)
        return _campaigns_page(request, form, status=422)
    except (Conflict, Unavailable) as exc:
        form.add_error(None, str(exc))
        return _campaigns_page(request, form, status=409 if isinstance(exc, Conflict) else 503)
    return redirect("campaigns:show-campaign", campaign_id=campaign.campaign_id)


# --- The canvas ---


def _compare(
    request: HttpRequest, campaign: Campaign
) -> tuple[services.VersionDiff | None, str, dict[str, str]]:
    """The comparison asked for by ``?a=&b=`` (or why it cannot be made)."""
    a, b = request.GET.get("a", ""), request.GET.get("b", "")
    if not a and not b:
        return None, "", {}
    if not (a.isdigit() and b.isdigit()) or len(a) > 9 or len(b) > 9:
        return None, "Choose two versions to compare.", {}
    if a == b:
        return None, "Choose two different versions to compare.", {}
    try:
        diff = services.compare_versions(campaign=campaign, a=int(a), b=int(b))
    except (NotFound, InvalidInput) as exc:
        return None, _reason(exc), {}
    return diff, "", canvas.diff_marks(diff)


def _board_context(request: HttpRequest, campaign: Campaign) -> dict[str, Any]:
    diff, compare_error, marks = _compare(request, campaign)
    versions = list(services.list_versions(campaign))
    return {
        "campaign": campaign,
        "canvas": canvas.layout(services.graph_json(campaign), diff=marks),
        "versions": versions[::-1],
        "diff": diff,
        "compare_error": compare_error,
        "compare_a": request.GET.get("a") or (versions[-2].number if len(versions) > 1 else ""),
        "compare_b": request.GET.get("b") or campaign.current_version,
        "progress": services.generation_progress(campaign),
    }


def _chat_context(campaign: Campaign, form: ChatForm | None = None, **extra: Any) -> dict[str, Any]:
    latest = list(campaign.messages.order_by("-created_at", "-id")[:CHAT_HISTORY])
    return {
        "campaign": campaign,
        "messages": latest[::-1],
        "chat_form": form or ChatForm(),
        "last_phase": services.last_phase(campaign),
        **extra,
    }


@require_GET
def show_campaign(request: HtmxRequest, campaign_id: str) -> HttpResponse:
    """The canvas, the version history and the chat; ``?a=1&b=2`` compares two versions."""
    campaign = _campaign(request, campaign_id)
    context = _board_context(request, campaign)
    if request.htmx:  # the canvas, or the version history, refreshed
        part = "history" if request.htmx.target == "history" else "board"
        return render(request, f"campaigns/canvas.html#{part}", context)
    context.update(_chat_context(campaign))
    context["section"] = "campaigns"
    return render(request, "campaigns/canvas.html", context)


@require_GET
def show_progress(request: HttpRequest, campaign_id: str) -> HttpResponse:
    """The background writing of the newest posts; polled every 2 s until it is complete."""
    campaign = _campaign(request, campaign_id)
    progress = services.generation_progress(campaign)
    response = render(
        request,
        "campaigns/canvas.html#progress",
        {"campaign": campaign, "progress": progress, "polling": True},
    )
    if progress["complete"]:
        response["HX-Trigger"] = "canvas-changed"  # the board reloads with the new content
    return response


@require_GET
def export_mermaid(request: HttpRequest, campaign_id: str) -> HttpResponse:
    campaign = _campaign(request, campaign_id)
    response = HttpResponse(
        services.export_mermaid(campaign), content_type="text/vnd.mermaid; charset=utf-8"
    )
    name = f"{campaign.campaign_id}-v{campaign.current_version}.mmd"
    response["Content-Disposition"] = f'attachment; filename="{name}"'
    return response


@require_POST
def approve_all(request: HtmxRequest, campaign_id: str) -> HttpResponse:
    """Approve every selected variant that passes the hard checks; say why the rest did not."""
    campaign = _campaign(request, campaign_id)
    result = services.approve_all(campaign=campaign)
    context = {"campaign": campaign, "approval": result}
    if request.htmx:
        response = render(request, "campaigns/canvas.html#approval", context)
        response["HX-Trigger"] = "canvas-changed"
        return response
    context.update(_board_context(request, campaign))
    context.update(_chat_context(campaign))
    context["section"] = "campaigns"
    return render(request, "campaigns/canvas.html", context)


@require_POST
def restore_version(request: HtmxRequest, campaign_id: str, number: int) -> HttpResponse:
    campaign = _campaign(request, campaign_id)
    try:
        services.restore_version(campaign=campaign, number=number)
    except NotFound as exc:
        raise Http404(str(exc)) from exc
    except InvalidInput as exc:
        context = _board_context(request, campaign)
        context.update(_chat_context(campaign))
        context.update(section="campaigns", restore_error=exc.message)
        return render(request, "campaigns/canvas.html", context, status=422)
    return redirect("campaigns:show-campaign", campaign_id=campaign.campaign_id)


# --- The chat box ---


@require_GET
def check_message(request: HttpRequest, campaign_id: str) -> HttpResponse:
    """What is wrong with a ``!regenerate`` command being typed (nothing is sent)."""
    campaign = _campaign(request, campaign_id)
    problem = services.command_problem(
        campaign=campaign, message=request.GET.get("message", "")[:4000]
    )
    return render(request, "campaigns/canvas.html#chat-check", {"problem": problem})


@require_POST
def send_message(request: HtmxRequest, campaign_id: str) -> HttpResponse:
    """Talk to the strategist; ``!regenerate phase X <direction>`` regenerates the strategy.

    A command the chat would refuse is sent back with its reason, unsent.
    """
    campaign = _campaign(request, campaign_id)
    form = ChatForm(request.POST)
    problem = ""
    regenerated = False
    if form.is_valid():
        message = form.cleaned_data["message"]
        problem = services.command_problem(campaign=campaign, message=message)
        if not problem:
            try:
                result = services.chat(campaign=campaign, message=message)
            except InvalidInput as exc:
                problem = exc.message
            else:
                regenerated = result.regeneration is not None
                form = ChatForm()
    status = 200 if request.htmx else (422 if problem or form.errors else 200)
    if not request.htmx and not problem and not form.errors:
        return redirect("campaigns:show-campaign", campaign_id=campaign.campaign_id)
    context = _chat_context(campaign, form, problem=problem)
    if request.htmx:
        response = render(request, "campaigns/canvas.html#chat", context)
        if regenerated:
            response["HX-Trigger"] = "canvas-changed"
        return response
    context.update(_board_context(request, campaign))
    context["section"] = "campaigns"
    return render(request, "campaigns/canvas.html", context, status=status)


# --- The post panel ---


def _panel_context(post: Post, errors: dict[int, dict[str, Any]] | None = None) -> dict[str, Any]:
    brand = post.campaign.brand
    failed = errors or {}
    networks: dict[str, list[dict[str, Any]]] = defaultdict(list)
    for variant in post.variants.order_by("platform", "variant_id"):
        metadata = variant.metadata or {}
        edit = failed.get(variant.pk)
        networks[variant.platform].append(
            {
                "variant": variant,
                "problems": services.variant_problems(variant, brand),
                "score": metadata.get("score"),
                "needs_review": metadata.get("needs_human_review", False),
                "edited": metadata.get("edited", False),
                "selected": variant.variant_id == post.selected_variant,
                "edit_problems": edit["problems"] if edit else [],
                "edit_text": edit["text"] if edit else variant.content,
            }
        )
    variant_ids = sorted({row["variant"].variant_id for rows in networks.values() for row in rows})
    return {
        "post": post,
        "campaign": post.campaign,
        "networks": sorted(networks.items()),
        "variant_ids": variant_ids,
        "card_url": reverse(
            "campaigns:post-card",
            kwargs={"campaign_id": post.campaign.campaign_id, "post_id": post.post_id},
        )
        if post.media_path
        else "",
        "status_label": canvas.STATUS_LABELS.get(post.status, post.status),
    }


def _render_panel(
    request: HtmxRequest, post: Post, *, status: int = 200, **extra: Any
) -> HttpResponse:
    context = _panel_context(post, extra.pop("errors", None))
    context.update(extra)
    if request.htmx:
        return render(request, "campaigns/post.html#panel", context, status=status)
    context["section"] = "campaigns"
    return render(request, "campaigns/post.html", context, status=status)


@require_GET
def show_post(request: HtmxRequest, pk: int) -> HttpResponse:
    """A post's variants side by side per network, with its card, scores and checks."""
    return _render_panel(request, _post(request, pk))


@require_POST
def select_variant(request: HtmxRequest, pk: int) -> HttpResponse:
    post = _post(request, pk)
    try:
        services.select_variant(post=post, variant_id=request.POST.get("variant_id", "")[:8])
    except (InvalidInput, Conflict) as exc:
        return _render_panel(request, post, status=200 if request.htmx else 422, error=_reason(exc))
    response = _render_panel(request, post, notice=f"Variant {post.selected_variant} selected.")
    response["HX-Trigger"] = "canvas-changed"
    return response


@require_POST
def edit_variant(request: HtmxRequest, pk: int, variant_pk: int) -> HttpResponse:
    """Store a variant's edited text if it passes the hard checks; say what fails otherwise."""
    post = _post(request, pk)
    variant = scoped(ContentVariant, workspace_of(request)).filter(post=post, pk=variant_pk).first()
    if variant is None:
        raise Http404(f"post {post.post_id} has no variant {variant_pk}")
    variant.post = post
    form = VariantTextForm(request.POST)
    text = request.POST.get("content", "")
    failed_status = 200 if request.htmx else 422
    if not form.is_valid():
        problems = [str(e) for e in form.errors.get("content", [])]
        errors = {variant.pk: {"problems": problems, "text": text}}
        return _render_panel(request, post, status=failed_status, errors=errors)
    try:
        services.edit_variant(variant=variant, content=form.cleaned_data["content"])
    except services.VariantRejected as exc:
        errors = {variant.pk: {"problems": exc.problems, "text": text}}
        return _render_panel(request, post, status=failed_status, errors=errors)
    except (InvalidInput, Conflict) as exc:
        errors = {variant.pk: {"problems": [_reason(exc)], "text": text}}
        return _render_panel(request, post, status=failed_status, errors=errors)
    label = f"{variant.platform} variant {variant.variant_id}"
    return _render_panel(request, post, notice=f"{label} saved: it passes the checks.")


@require_GET
def show_post_card(request: HttpRequest, campaign_id: str, post_id: str) -> FileResponse:
    """The media card PNG of one post; 404 when the post or its card does not exist.

    The post is looked up by its ids in the database and the file comes from its
    recorded path (checked to lie under MEDIA_ROOT/cards): URL text never becomes a path.
    """
    posts = scoped(Post, workspace_of(request))  # another workspace's card: 404
    post = posts.filter(campaign__campaign_id=campaign_id, post_id=post_id).first()
    path = stored_card(post) if post is not None else None
    if path is None:
        raise Http404("no card for this post")
    return FileResponse(path.open("rb"), content_type="image/png")

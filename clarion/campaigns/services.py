"""Campaign actions: plan, regenerate from a phase, versions, and the active-graph views.

The strategist is asked first, outside any transaction; only a plan that passed
its checks is stored, in one transaction with its version snapshot and the
queued content work. So a model failure, or a plan that never validates,
leaves no rows and leaves an existing campaign exactly as it was.
"""

from __future__ import annotations

import re
import uuid
from collections import defaultdict
from collections.abc import Iterable, Sequence
from dataclasses import dataclass, field
from datetime import datetime
from typing import Any

from django.db import transaction
from django.db.models import Prefetch, QuerySet
from django.utils import timezone
from django.utils.text import slugify

from clarion.agents import llm
from clarion.agents.jobs import fail_job, finish_job, start_job
from clarion.agents.models import AgentMemory, Job
from clarion.agents.runtime import AgentCallFailed, NoActiveAgent
from clarion.agents.schemas import (
    CampaignSummary,
    ChatRequest,
    ChatTurn,
    ExistingPost,
    PlannedPhase,
    PlannedPost,
    PlanRequest,
    StrategyPlan,
)
from clarion.agents.strategist import PlanRejected, answer_chat, plan_strategy
from clarion.brands.models import Brand
from clarion.brands.services import brand_context
from clarion.campaigns import mermaid
from clarion.campaigns.content import settle_stage
from clarion.campaigns.models import (
    Campaign,
    CampaignStage,
    ContentVariant,
    ConversationMessage,
    MessageRole,
    Post,
    PostLink,
    PostStatus,
    StrategyVersion,
    VersionKind,
)
from clarion.core import platforms as platform_rules
from clarion.core.errors import Conflict, InvalidInput, NotFound, Unavailable
from clarion.core.inputs import required_text, within
from clarion.writing.checks import check_draft

DEFAULT_PLATFORMS = ("X", "LinkedIn", "Facebook")
DEFAULT_PHASES, MIN_PHASES, MAX_PHASES = 4, 2, 6
MAX_GOAL_CHARS = 2000
_CAMPAIGN_ID = re.compile(r"^[A-Za-z0-9][A-Za-z0-9_-]{0,119}$")
_COMMAND = re.compile(r"^!regenerate\s+phase\s+(\d+)\s+(\S.*)$", re.IGNORECASE | re.DOTALL)
COMMAND_HELP = (
    "To regenerate the strategy, send: !regenerate phase <number> <new direction>. "
    "For example: !regenerate phase 2 pivot to developer-first content with technical demos"
)
_MODEL_ERRORS = (AgentCallFailed, PlanRejected, NoActiveAgent, llm.LLMConfigError)


# --- Lookups and input checks ---


def get_campaign(ref: str | int) -> Campaign:
    """A campaign by ``campaign_id`` (or primary key); ``NotFound`` otherwise."""
    query = Campaign.objects.select_related("brand")
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


def _new_campaign_id(brand: Brand, name: str) -> str:
    words = slugify(" ".join(name.split()[:4]))[:40].strip("-")
    base = "-".join(part for part in (brand.slug[:40], words) if part) or "campaign"
    return f"{base}-{uuid.uuid4().hex[:6]}"


# --- The strategist's plan, stored ---


def _ask_strategist(
    request: PlanRequest, *, job: Job, previous: Iterable[str], taken: Iterable[str]
) -> StrategyPlan:
    try:
        plan = plan_strategy(request, job=job, previous_keys=previous, taken_keys=taken)
    except _MODEL_ERRORS as exc:
        fail_job(job, str(exc))
        raise Unavailable(f"the strategist could not plan: {exc}") from exc
    finish_job(job)
    return plan


def _store_plan(
    campaign: Campaign, plan: StrategyPlan, *, version: int, existing: dict[str, Post]
) -> list[Post]:
    """Create the plan's posts (ids prefixed with the version) and their links."""
    rows = [
        Post(
            campaign=campaign,
            post_id=f"v{version}_{planned.key}",
            phase=phase.number,
            phase_name=phase.name,
            position=position,
            title=planned.title,
            objective=planned.objective,
            hook=planned.hook,
            version=version,
        )
        for phase in plan.phases
        for position, planned in enumerate(phase.posts, start=1)
    ]
    Post.objects.bulk_create(rows)
    by_key = dict(existing)
    created = iter(rows)
    for phase in plan.phases:
        for planned in phase.posts:
            by_key[planned.key] = next(created)
    links = [
        PostLink(source=by_key[parent], target=by_key[planned.key])
        for phase in plan.phases
        for planned in phase.posts
        for parent in planned.parents
    ]
    PostLink.objects.bulk_create(links, ignore_conflicts=True)
    return rows


def _memory(campaign: Campaign) -> AgentMemory:
    memory, _ = AgentMemory.objects.get_or_create(agent_name=f"strategist:{campaign.campaign_id}")
    return memory


def _memory_lines(campaign: Campaign) -> list[str]:
    memory = AgentMemory.objects.filter(agent_name=f"strategist:{campaign.campaign_id}").first()
    if memory is None:
        return []
    return [
        " — ".join(str(entry.get(k, "")) for k in ("event", "summary") if entry.get(k))
        for entry in memory.history[-10:]
    ]


def _snapshot(
    campaign: Campaign,
    *,
    kind: str,
    from_phase: int | None = None,
    direction: str = "",
    restored_from: int | None = None,
) -> StrategyVersion:
    """Store the active graph as version ``campaign.current_version``, and its Mermaid."""
    graph = active_graph(campaign)
    text = mermaid.to_mermaid(graph)
    campaign.strategy = text
    campaign.save(update_fields=["strategy", "current_version", "phase", "updated_at"])
    ids = list(
        campaign.posts.filter(is_active=True)
        .order_by("phase", "position", "id")
        .values_list("pk", flat=True)
    )
    return StrategyVersion.objects.create(
        campaign=campaign,
        number=campaign.current_version,
        kind=kind,
        from_phase=from_phase,
        direction=direction,
        restored_from=restored_from,
        post_ids=ids,
        mermaid=text,
    )


def _enqueue_content(campaign: Campaign, posts: Sequence[Post]) -> None:
    from clarion.campaigns.tasks import enqueue_content

    if posts:
        enqueue_content(campaign=campaign, post_pks=[post.pk for post in posts])


def create_campaign(
    *,
    brand: Brand,
    goal: str,
    name: str | None = None,
    phase_count: int | None = None,
    platforms: Sequence[str] | None = None,
    campaign_id: str | None = None,
    generate_content: bool = True,
) -> Campaign:
    """Plan a campaign with the strategist and store it as version 1.

    With ``generate_content`` the A/B variants and media cards are queued for the
    worker in the same transaction (``clarion campaign create`` writes them inline).
    """
    goal = required_text("goal", goal, MAX_GOAL_CHARS, one_line=True)
    title = required_text("name", name, 200, one_line=True) if name is not None else goal[:80]
    count = within(
        "phase_count",
        DEFAULT_PHASES if phase_count is None else phase_count,
        MIN_PHASES,
        MAX_PHASES,
    )
    targets = platform_rules.parse_platforms(platforms or DEFAULT_PLATFORMS)
    if campaign_id is not None:
        if not _CAMPAIGN_ID.match(campaign_id):
            raise InvalidInput(
                "campaign_id", "use letters, digits, '-' and '_' (at most 120 characters)"
            )
        if Campaign.objects.filter(campaign_id=campaign_id).exists():
            raise Conflict(f"campaign_id {campaign_id!r} is taken")
    slug = campaign_id or _new_campaign_id(brand, title)
    job = start_job("strategy", f"Plan: {title}")
    request = PlanRequest(
        brand=brand_context(brand),
        goal=goal,
        platforms=targets,
        first_phase=1,
        phase_count=count,
        seed=slug,
    )
    plan = _ask_strategist(request, job=job, previous=(), taken=())
    with transaction.atomic():
        if Campaign.objects.filter(campaign_id=slug).exists():
            raise Conflict(f"campaign_id {slug!r} is taken")
        campaign = Campaign.objects.create(
            campaign_id=slug,
            brand=brand,
            name=title,
            description=goal,
            phase=CampaignStage.GENERATING if generate_content else CampaignStage.PLANNING,
            metadata={"platforms": targets, "phase_count": count, "rationale": plan.rationale},
        )
        posts = _store_plan(campaign, plan, version=1, existing={})
        _snapshot(campaign, kind=VersionKind.CREATED)
        memory = _memory(campaign)
        memory.update_context({"goal": goal, "platforms": targets, "version": 1})
        memory.remember("created", version=1, summary=f"planned {count} phases for: {goal[:200]}")
        if generate_content:
            _enqueue_content(campaign, posts)
    return campaign


@dataclass
class Regeneration:
    campaign: Campaign
    from_phase: int
    version: int
    archived: int
    posts: list[Post]


def regenerate_from_phase(
    *,
    campaign: Campaign,
    phase_num: int,
    new_direction: str,
    phase_count: int | None = None,
    generate_content: bool = True,
) -> Regeneration:
    """Keep phases before ``phase_num``, archive the rest, and plan new phases from it.

    ``phase_num`` may be one past the last phase, which adds phases and archives
    nothing. New posts carry the new version; the kept posts of phase
    ``phase_num - 1`` link to the new first phase (branching and merging).
    """
    direction = required_text("new_direction", new_direction, MAX_GOAL_CHARS, one_line=True)
    active = list(campaign.posts.filter(is_active=True))
    last = max((post.phase for post in active), default=0)
    if not 1 <= phase_num <= last + 1:
        raise InvalidInput(
            "phase_num",
            f"must be between 1 and {last + 1}: the campaign has {last} phase(s); "
            f"regenerate from one of them, or from {last + 1} to add phases",
        )
    default_count = last - phase_num + 1 if phase_num <= last else 1
    count = within(
        "phase_count", default_count if phase_count is None else phase_count, 1, MAX_PHASES
    )
    kept = sorted((p for p in active if p.phase < phase_num), key=lambda p: (p.phase, p.position))
    previous = [p for p in kept if p.phase == phase_num - 1]
    expected_version = campaign.current_version
    job = start_job("strategy", f"Regenerate {campaign.campaign_id} from phase {phase_num}")
    request = PlanRequest(
        brand=brand_context(campaign.brand),
        goal=campaign.description,
        platforms=campaign.platforms,
        first_phase=phase_num,
        phase_count=count,
        existing_posts=[
            ExistingPost(
                key=p.post_id,
                phase=p.phase,
                phase_name=p.phase_name,
                title=p.title,
                objective=p.objective,
            )
            for p in kept
        ],
        new_direction=direction,
        memory=_memory_lines(campaign),
        seed=f"{campaign.campaign_id}-v{expected_version + 1}",
    )
    plan = _ask_strategist(
        request,
        job=job,
        previous=[p.post_id for p in previous],
        taken=[p.post_id for p in kept],
    )
    with transaction.atomic():
        locked = Campaign.objects.select_for_update().select_related("brand").get(pk=campaign.pk)
        if locked.current_version != expected_version:
            raise Conflict(
                f"campaign {locked.campaign_id} changed while the strategist was planning "
                f"(it is now at version {locked.current_version}); try again"
            )
        archived = Post.objects.filter(
            campaign=locked, is_active=True, phase__gte=phase_num
        ).update(is_active=False, updated_at=timezone.now())
        version = locked.current_version + 1
        posts = _store_plan(
            locked, plan, version=version, existing={p.post_id: p for p in previous}
        )
        locked.current_version = version
        locked.phase = CampaignStage.GENERATING if generate_content else CampaignStage.PLANNING
        _snapshot(locked, kind=VersionKind.REGENERATED, from_phase=phase_num, direction=direction)
        memory = _memory(locked)
        memory.update_context({"version": version, "direction": direction})
        memory.remember(
            "regenerated",
            version=version,
            from_phase=phase_num,
            summary=f"v{version}: from phase {phase_num}, {direction[:200]}",
        )
        if generate_content:
            _enqueue_content(locked, posts)
    campaign.refresh_from_db()
    return Regeneration(locked, phase_num, version, archived, posts)


def queue_missing_content(*, campaign: Campaign) -> int:
    """Queue content for every active post still without its variants; return how many.

    A campaign whose content was missing is generating again from now; the run
    settles it as ready (or says again what is still missing).
    """
    with transaction.atomic():
        posts = list(campaign.posts.filter(is_active=True, status=PostStatus.DRAFT))
        _enqueue_content(campaign, posts)
        if posts:
            Campaign.objects.filter(pk=campaign.pk).update(
                phase=CampaignStage.GENERATING, updated_at=timezone.now()
            )
            campaign.phase = CampaignStage.GENERATING
    return len(posts)


# --- Versions ---


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


# --- The active graph and its views ---


def with_graph(query: QuerySet[Post]) -> QuerySet[Post]:
    """Posts with their links and variants loaded in three more queries."""
    return query.prefetch_related(
        "parents",
        "children",
        Prefetch("variants", queryset=ContentVariant.objects.order_by("platform", "variant_id")),
    ).order_by("phase", "position", "id")


def _active_posts(campaign: Campaign) -> QuerySet[Post]:
    return campaign.posts.filter(is_active=True).order_by("phase", "position", "id")


def _active_links(campaign: Campaign) -> list[tuple[str, str]]:
    return list(
        PostLink.objects.filter(
            source__campaign=campaign, source__is_active=True, target__is_active=True
        ).values_list("source__post_id", "target__post_id")
    )


def active_graph(campaign: Campaign) -> mermaid.Graph:
    phases: dict[int, list[Post]] = defaultdict(list)
    for post in _active_posts(campaign):
        phases[post.phase].append(post)
    return mermaid.Graph(
        tuple(
            mermaid.Phase(
                number,
                posts[0].phase_name,
                tuple(mermaid.Node(post.post_id, post.title) for post in posts),
            )
            for number, posts in sorted(phases.items())
        ),
        tuple(_active_links(campaign)),
    )


def export_mermaid(campaign: Campaign) -> str:
    return mermaid.to_mermaid(active_graph(campaign))


def plan_from_mermaid(text: str) -> StrategyPlan:
    """A strategy written in Mermaid, as a plan (labels become titles, edges parents)."""
    try:
        graph = mermaid.parse_mermaid(text)
    except mermaid.MermaidError as exc:
        raise InvalidInput("mermaid", str(exc)) from exc
    parents: dict[str, list[str]] = defaultdict(list)
    for source, target in graph.edges:
        parents[target].append(source)
    try:
        return StrategyPlan(
            phases=[
                PlannedPhase(
                    number=phase.number,
                    name=phase.name or f"Phase {phase.number}",
                    posts=[
                        PlannedPost(key=node.key, title=node.label, parents=parents[node.key])
                        for node in phase.nodes
                    ],
                )
                for phase in graph.phases
            ]
        )
    except ValueError as exc:
        raise InvalidInput("mermaid", str(exc).splitlines()[0]) from exc


def graph_json(campaign: Campaign) -> dict[str, Any]:
    """The canvas: active nodes with a summary of their variants, and active edges."""
    posts = list(
        _active_posts(campaign).prefetch_related(
            Prefetch("variants", queryset=ContentVariant.objects.order_by("platform", "variant_id"))
        )
    )
    nodes = []
    for post in posts:
        variants = list(post.variants.all())
        nodes.append(
            {
                "id": post.post_id,
                "pk": post.pk,
                "phase": post.phase,
                "phase_name": post.phase_name,
                "position": post.position,
                "title": post.title,
                "objective": post.objective,
                "hook": post.hook,
                "status": post.status,
                "version": post.version,
                "selected_variant": post.selected_variant,
                "media_url": f"/media/cards/{campaign.campaign_id}/{post.post_id}.png"
                if post.media_path
                else None,
                "variants": {
                    "count": len(variants),
                    "ids": sorted({v.variant_id for v in variants}),
                    "platforms": sorted({v.platform for v in variants}),
                    "approved": sum(1 for v in variants if v.is_approved),
                },
            }
        )
    edges = [{"source": s, "target": t} for s, t in _active_links(campaign)]
    phases = sorted({(post.phase, post.phase_name) for post in posts})
    return {
        "campaign_id": campaign.campaign_id,
        "version": campaign.current_version,
        "phases": [{"number": n, "name": name} for n, name in phases],
        "nodes": nodes,
        "edges": edges,
    }


def campaign_metrics(campaign: Campaign) -> dict[str, Any]:
    """Totals of the active posts' metrics, overall and per phase."""
    totals: dict[str, float] = defaultdict(float)
    phases: dict[int, dict[str, float]] = defaultdict(lambda: defaultdict(float))
    statuses: dict[str, int] = defaultdict(int)
    count = 0
    for post in _active_posts(campaign).only("phase", "status", "metrics"):
        count += 1
        statuses[post.status] += 1
        for name, value in (post.metrics or {}).items():
            if isinstance(value, int | float) and not isinstance(value, bool):
                totals[name] += value
                phases[post.phase][name] += value
    return {
        "campaign_id": campaign.campaign_id,
        "version": campaign.current_version,
        "posts": count,
        "by_status": dict(statuses),
        "totals": dict(totals),
        "by_phase": [{"phase": n, "totals": dict(v)} for n, v in sorted(phases.items())],
    }


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


# --- Chat ---


@dataclass
class ChatResult:
    message: ConversationMessage
    reply: ConversationMessage
    regeneration: Regeneration | None = None


def _campaign_summary(campaign: Campaign) -> CampaignSummary:
    phases: dict[int, list[Post]] = defaultdict(list)
    for post in _active_posts(campaign):
        phases[post.phase].append(post)
    return CampaignSummary(
        name=campaign.name,
        goal=campaign.description,
        version=campaign.current_version,
        phases=[
            PlannedPhase(
                number=number,
                name=posts[0].phase_name or f"Phase {number}",
                posts=[
                    PlannedPost(
                        key=p.post_id,
                        title=p.title,
                        objective=p.objective,
                        hook=p.hook,
                    )
                    for p in posts
                ],
            )
            for number, posts in sorted(phases.items())
        ],
    )


def _reply(campaign: Campaign, text: str, **metadata: Any) -> ConversationMessage:
    return ConversationMessage.objects.create(
        campaign=campaign, role=MessageRole.ASSISTANT, content=text, metadata=metadata
    )


def chat(*, campaign: Campaign, message: str) -> ChatResult:
    """Store the marketer's message and answer it.

    ``!regenerate phase X <direction>`` regenerates the strategy; a malformed
    command gets the syntax back; anything else is answered by the strategist
    with the campaign as context.
    """
    text = required_text("message", message, 4000, one_line=True)
    history = list(campaign.messages.order_by("-created_at", "-id")[:10])[::-1]
    user = ConversationMessage.objects.create(
        campaign=campaign, role=MessageRole.USER, content=text
    )
    if text.lower().startswith("!regenerate"):
        match = _COMMAND.match(text)
        if match is None:
            return ChatResult(
                user, _reply(campaign, COMMAND_HELP, command="regenerate", error="syntax")
            )
        phase, direction = int(match.group(1)), match.group(2).strip()
        user.metadata = {"command": "regenerate", "phase_num": phase}
        user.save(update_fields=["metadata"])
        try:
            result = regenerate_from_phase(
                campaign=campaign, phase_num=phase, new_direction=direction
            )
        except (InvalidInput, Unavailable, Conflict) as exc:
            reason = exc.message if isinstance(exc, InvalidInput) else str(exc)
            return ChatResult(
                user,
                _reply(
                    campaign,
                    f"I could not regenerate: {reason}",
                    command="regenerate",
                    error=reason,
                ),
            )
        done = (
            f"Regenerated from phase {phase}: version {result.version}, "
            f"{len(result.posts)} new posts, {result.archived} archived. "
            "Their A/B variants and media are being written."
        )
        return ChatResult(
            user,
            _reply(result.campaign, done, command="regenerate", version=result.version),
            result,
        )
    job = start_job("chat", f"Chat on {campaign.campaign_id}")
    request = ChatRequest(
        brand=brand_context(campaign.brand),
        campaign=_campaign_summary(campaign),
        history=[ChatTurn(role=m.role, content=m.content) for m in history],
        message=text,
    )
    try:
        answer = answer_chat(request, job=job)
    except (AgentCallFailed, NoActiveAgent, llm.LLMConfigError) as exc:
        fail_job(job, str(exc))
        return ChatResult(
            user,
            _reply(campaign, f"The strategist is unavailable right now: {exc}", error=str(exc)),
        )
    finish_job(job)
    return ChatResult(user, _reply(campaign, answer.reply, job_id=job.pk))

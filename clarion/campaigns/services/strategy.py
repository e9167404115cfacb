"""Campaigns planned by the strategist: created, regenerated from a phase, content queued.

The strategist is asked first, outside any transaction; only a plan that passed
its checks is stored, in one transaction with its version snapshot and the
queued content work. So a model failure, or a plan that never validates,
leaves no rows and leaves an existing campaign exactly as it was.
"""

from __future__ import annotations

import re
import uuid
from collections.abc import Iterable, Sequence
from dataclasses import dataclass

from django.db import transaction
from django.utils import timezone
from django.utils.text import slugify

from clarion.agents import llm
from clarion.agents.jobs import fail_job, finish_job, start_job
from clarion.agents.models import Job
from clarion.agents.runtime import AgentCallFailed, NoActiveAgent
from clarion.agents.schemas import ExistingPost, PlanRequest, StrategyPlan
from clarion.agents.strategist import PlanRejected, plan_strategy
from clarion.audit import services as audit
from clarion.brands.models import Brand
from clarion.brands.services import brand_context
from clarion.campaigns.models import (
    Campaign,
    CampaignStage,
    Post,
    PostLink,
    PostStatus,
    VersionKind,
)
from clarion.campaigns.services.records import _enqueue_content, _memory, _memory_lines, _snapshot
from clarion.core import platforms as platform_rules
from clarion.core.errors import Conflict, InvalidInput, Unavailable
from clarion.core.inputs import required_text, within

DEFAULT_PLATFORMS = ("X", "LinkedIn", "Facebook")
DEFAULT_PHASES, MIN_PHASES, MAX_PHASES = 4, 2, 6
MAX_GOAL_CHARS = 2000
_CAMPAIGN_ID = re.compile(r"^[A-Za-z0-9][A-Za-z0-9_-]{0,119}$")
_MODEL_ERRORS = (AgentCallFailed, PlanRejected, NoActiveAgent, llm.LLMConfigError)


def _new_campaign_id(brand: Brand, name: str) -> str:
    words = slugify(" ".join(name.split()[:4]))[:40].strip("-")
    base = "-".join(part for part in (brand.slug[:40], words) if part) or "campaign"
    return f"{base}-{uuid.uuid4().hex[:6]}"


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
    job = start_job("strategy", f"Plan: {title}", workspace_id=brand.workspace_id)
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


def phase_problem(phase_num: int, *, last_phase: int) -> str:
    """Why a regeneration cannot start at ``phase_num`` ("" when it can)."""
    if 1 <= phase_num <= last_phase + 1:
        return ""
    return (
        f"must be between 1 and {last_phase + 1}: the campaign has {last_phase} phase(s); "
        f"regenerate from one of them, or from {last_phase + 1} to add phases"
    )


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
    from clarion.automation.services import record as record_command

    record_command(
        campaign.brand.workspace_id,
        "regeneration",
        {"campaign": campaign.campaign_id, "phase_num": phase_num, "new_direction": direction},
    )
    active = list(campaign.posts.filter(is_active=True))
    last = max((post.phase for post in active), default=0)
    problem = phase_problem(phase_num, last_phase=last)
    if problem:
        raise InvalidInput("phase_num", problem)
    default_count = last - phase_num + 1 if phase_num <= last else 1
    count = within(
        "phase_count", default_count if phase_count is None else phase_count, 1, MAX_PHASES
    )
    kept = sorted((p for p in active if p.phase < phase_num), key=lambda p: (p.phase, p.position))
    previous = [p for p in kept if p.phase == phase_num - 1]
    expected_version = campaign.current_version
    job = start_job(
        "strategy",
        f"Regenerate {campaign.campaign_id} from phase {phase_num}",
        workspace_id=campaign.brand.workspace_id,
    )
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
        audit.record(
            action=audit.REGENERATE,
            target=locked,
            workspace=locked.brand.workspace_id,
            label=locked.campaign_id,
            details={
                "from_phase": phase_num,
                "version": version,
                "direction": direction[:500],
                "archived_posts": archived,
                "new_posts": len(posts),
            },
        )
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

"""The active graph of a campaign and its views: Mermaid, the canvas JSON, metrics."""

from __future__ import annotations

from collections import defaultdict
from typing import Any

from django.db.models import Prefetch, QuerySet

from clarion.agents.schemas import PlannedPhase, PlannedPost, StrategyPlan
from clarion.campaigns import mermaid
from clarion.campaigns.models import Campaign, ContentVariant, Post, PostLink
from clarion.core.errors import InvalidInput


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

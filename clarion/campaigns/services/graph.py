"""The active graph of a campaign and its views: Mermaid, the canvas JSON, metrics."""

from __future__ import annotations

from collections import defaultdict
from typing import Any

from django.db.models import Count, Prefetch, Q, QuerySet

from clarion.agents.schemas import PlannedPhase, PlannedPost, StrategyPlan
from clarion.campaigns import mermaid
from clarion.campaigns.models import Campaign, ContentVariant, Post, PostLink, PostStatus
from clarion.core.errors import InvalidInput
from clarion.core.sql import DistinctList, split_list


def with_graph(query: QuerySet[Post]) -> QuerySet[Post]:
    """Posts with their links and variants loaded in three more queries."""
    return query.prefetch_related(
        "parents",
        "children",
        Prefetch("variants", queryset=ContentVariant.objects.order_by("platform", "variant_id")),
    ).order_by("phase", "position", "id")


_POST_FIELDS = (
    "pk",
    "post_id",
    "phase",
    "phase_name",
    "position",
    "title",
    "objective",
    "hook",
    "status",
    "selected_variant",
    "version",
)


def _no_variants() -> dict[str, Any]:
    return {"count": 0, "ids": [], "platforms": [], "approved": 0}


def variant_summaries(campaign: Campaign) -> dict[int, dict[str, Any]]:
    """Per active post (by pk): how many variants, their ids and networks, how many are
    approved. One query grouped by post: no variant is loaded."""
    rows = (
        ContentVariant.objects.filter(post__campaign=campaign, post__is_active=True)
        .order_by()
        .values("post_id")
        .annotate(
            count=Count("pk"),
            approved=Count("pk", filter=Q(is_approved=True)),
            ids=DistinctList("variant_id"),
            platforms=DistinctList("platform"),
        )
    )
    return {
        row["post_id"]: {
            "count": row["count"],
            "ids": split_list(row["ids"]),
            "platforms": split_list(row["platforms"]),
            "approved": row["approved"],
        }
        for row in rows
    }


def campaign_posts(campaign: Campaign) -> list[dict[str, Any]]:
    """The active posts as the campaign detail shows them: their fields, parents and
    children, and a summary of their variants (``variant_summary``), in three queries."""
    posts = list(
        _active_posts(campaign).values(*_POST_FIELDS, "metrics", "is_active", "scheduled_for")
    )
    order = {post["post_id"]: n for n, post in enumerate(posts)}
    parents: dict[str, list[str]] = defaultdict(list)
    children: dict[str, list[str]] = defaultdict(list)
    for source, target in _active_links(campaign):
        parents[target].append(source)
        children[source].append(target)
    summaries = variant_summaries(campaign)
    for post in posts:
        key = post["post_id"]
        post["parents"] = sorted(parents[key], key=order.__getitem__)
        post["children"] = sorted(children[key], key=order.__getitem__)
        post["variant_summary"] = summaries.get(post["pk"]) or _no_variants()
    return posts


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
    """The canvas: active nodes with a summary of their variants, and active edges.

    Three queries whatever the size: the posts' fields, their variants counted in SQL,
    and the edges.
    """
    summaries = variant_summaries(campaign)
    nodes = []
    for post in _active_posts(campaign).values(*_POST_FIELDS, "media_path"):
        nodes.append(
            {
                "id": post["post_id"],
                "pk": post["pk"],
                "phase": post["phase"],
                "phase_name": post["phase_name"],
                "position": post["position"],
                "title": post["title"],
                "objective": post["objective"],
                "hook": post["hook"],
                "status": post["status"],
                "version": post["version"],
                "selected_variant": post["selected_variant"],
                "media_url": f"/media/cards/{campaign.campaign_id}/{post['post_id']}.png"
                if post["media_path"]
                else None,
                "variants": summaries.get(post["pk"]) or _no_variants(),
            }
        )
    edges = [{"source": s, "target": t} for s, t in _active_links(campaign)]
    return {
        "campaign_id": campaign.campaign_id,
        "version": campaign.current_version,
        "phases": [
            {"number": n, "name": name}
            for n, name in sorted({(node["phase"], node["phase_name"]) for node in nodes})
        ],
        "nodes": nodes,
        "edges": edges,
    }


def campaign_metrics(campaign: Campaign) -> dict[str, Any]:
    """Totals of the active posts' metrics, overall and per phase (one query)."""
    totals: dict[str, float] = defaultdict(float)
    phases: dict[int, dict[str, float]] = defaultdict(lambda: defaultdict(float))
    statuses: dict[str, int] = defaultdict(int)
    count = 0
    for phase, status, metrics in _active_posts(campaign).values_list("phase", "status", "metrics"):
        count += 1
        statuses[status] += 1
        for name, value in (metrics or {}).items():
            if isinstance(value, int | float) and not isinstance(value, bool):
                totals[name] += value
                phases[phase][name] += value
    return {
        "campaign_id": campaign.campaign_id,
        "version": campaign.current_version,
        "posts": count,
        "by_status": dict(statuses),
        "totals": dict(totals),
        "by_phase": [{"phase": n, "totals": dict(v)} for n, v in sorted(phases.items())],
    }


def generation_progress(campaign: Campaign) -> dict[str, Any]:
    """How far the background writing of the newest posts is (one query).

    The newest posts are the active ones of the current version (after a restore,
    which creates no posts, every active post). A post is done when it has its
    variants (no longer a draft) and its media card.
    """
    counts = campaign.posts.filter(is_active=True).aggregate(
        newest=Count("pk", filter=Q(version=campaign.current_version)),
        newest_written=Count(
            "pk", filter=Q(version=campaign.current_version) & ~Q(status=PostStatus.DRAFT)
        ),
        newest_done=Count(
            "pk",
            filter=Q(version=campaign.current_version)
            & ~Q(status=PostStatus.DRAFT)
            & ~Q(media_path=""),
        ),
        total=Count("pk"),
        written=Count("pk", filter=~Q(status=PostStatus.DRAFT)),
        done=Count("pk", filter=~Q(status=PostStatus.DRAFT) & ~Q(media_path="")),
    )
    newest = bool(counts["newest"])
    total = counts["newest"] if newest else counts["total"]
    written = counts["newest_written"] if newest else counts["written"]
    done = counts["newest_done"] if newest else counts["done"]
    return {
        "version": campaign.current_version,
        "total": total,
        "written": written,
        "done": done,
        "complete": done >= total,
        "percent": round(100 * done / total) if total else 100,
    }

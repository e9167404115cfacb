"""What storing a strategy leaves besides its posts.

The version snapshot (the active graph and its Mermaid), the strategist's memory of
the campaign, and the content work queued for the worker.
"""

from __future__ import annotations

from collections.abc import Sequence

from clarion.agents.models import AgentMemory
from clarion.campaigns import mermaid
from clarion.campaigns.models import Campaign, Post, StrategyVersion
from clarion.campaigns.services.graph import active_graph


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

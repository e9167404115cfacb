"""Campaign actions: plan, regenerate from a phase, versions, and the active-graph views.

Modules, each re-exported here:

- ``lookup``: ``get_campaign`` and ``get_post``.
- ``strategy``: the strategist's plan, stored: ``create_campaign``,
  ``regenerate_from_phase`` (``Regeneration``) and ``queue_missing_content``.
- ``records``: what storing a strategy leaves besides its posts: the version
  snapshot, the strategist's memory, the queued content work (private helpers
  of ``strategy`` and ``versions``).
- ``versions``: ``list_versions``, ``get_version``, ``compare_versions``
  (``VersionDiff``, ``PostChange``) and ``restore_version``.
- ``graph``: the active graph and its views: ``with_graph``, ``active_graph``,
  ``export_mermaid``, ``plan_from_mermaid``, ``graph_json``, ``campaign_metrics``,
  ``campaign_posts``, ``variant_summaries``, ``generation_progress``.
- ``approval``: ``variant_problems``, ``approve_all`` (``ApprovalResult``),
  ``select_variant``, ``edit_variant`` (``VariantRejected``) and ``trigger_check``.
- ``chat``: ``chat`` (``ChatResult``) and its ``!regenerate`` command
  (``command_problem`` checks one before it is sent).
"""

from __future__ import annotations

from clarion.campaigns.services.approval import (
    ApprovalResult,
    VariantRejected,
    approve_all,
    edit_variant,
    select_variant,
    trigger_check,
    variant_problems,
)
from clarion.campaigns.services.chat import (
    COMMAND_HELP,
    ChatResult,
    chat,
    command_problem,
    last_phase,
)
from clarion.campaigns.services.graph import (
    active_graph,
    campaign_metrics,
    campaign_posts,
    export_mermaid,
    generation_progress,
    graph_json,
    plan_from_mermaid,
    variant_summaries,
    with_graph,
)
from clarion.campaigns.services.lookup import get_campaign, get_post
from clarion.campaigns.services.strategy import (
    DEFAULT_PHASES,
    DEFAULT_PLATFORMS,
    MAX_GOAL_CHARS,
    MAX_PHASES,
    MIN_PHASES,
    Regeneration,
    create_campaign,
    phase_problem,
    queue_missing_content,
    regenerate_from_phase,
)
from clarion.campaigns.services.versions import (
    PostChange,
    VersionDiff,
    compare_versions,
    get_version,
    list_versions,
    restore_version,
)

__all__ = [
    "COMMAND_HELP",
    "DEFAULT_PHASES",
    "DEFAULT_PLATFORMS",
    "MAX_GOAL_CHARS",
    "MAX_PHASES",
    "MIN_PHASES",
    "ApprovalResult",
    "ChatResult",
    "PostChange",
    "Regeneration",
    "VariantRejected",
    "VersionDiff",
    "active_graph",
    "approve_all",
    "campaign_metrics",
    "campaign_posts",
    "chat",
    "command_problem",
    "compare_versions",
    "create_campaign",
    "edit_variant",
    "export_mermaid",
    "generation_progress",
    "get_campaign",
    "get_post",
    "get_version",
    "graph_json",
    "last_phase",
    "list_versions",
    "phase_problem",
    "plan_from_mermaid",
    "queue_missing_content",
    "regenerate_from_phase",
    "restore_version",
    "select_variant",
    "trigger_check",
    "variant_problems",
    "variant_summaries",
    "with_graph",
]

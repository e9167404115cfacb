"""The built-in team Clarion starts with: one agent per role, prompts beside this file.

Every workspace gets its own copy of the team when it is created (``give_team``),
so hiring and firing in one workspace never changes another's; the agents without
a workspace serve the installation's own work.
"""

from __future__ import annotations

import functools
from pathlib import Path
from typing import Any

PROMPTS_DIR = Path(__file__).resolve().parent / "prompts"

BUILTIN_TEAMS: tuple[dict[str, str], ...] = (
    {"slug": "marketing", "name": "Marketing", "domain": "marketing"},
    {"slug": "engineering", "name": "Engineering", "domain": "engineering"},
)
MARKETING = "marketing"

BUILTIN_TEAM: tuple[dict[str, Any], ...] = (
    {"name": "Wren", "role": "writer", "prompt_file": "writer.txt", "temperature": 0.8},
    {"name": "Iris", "role": "reviewer", "prompt_file": "reviewer.txt", "temperature": 0.2},
    {"name": "Atlas", "role": "strategist", "prompt_file": "strategist.txt", "temperature": 0.5},
    {"name": "Mira", "role": "planner", "prompt_file": "planner.txt", "temperature": 0.6},
    {"name": "Sage", "role": "analyst", "prompt_file": "analyst.txt", "temperature": 0.3},
)

# Each role's emoji: the roster shows it beside the agent's name.
ROLE_EMOJI = {
    "writer": "✍️",
    "reviewer": "🔍",
    "strategist": "🧭",
    "planner": "🗓️",
    "analyst": "📊",
}


@functools.cache
def load_prompt(file_name: str) -> str:
    return (PROMPTS_DIR / file_name).read_text(encoding="utf-8").strip()


def role_prompt(role: str) -> str:
    """The built-in prompt for ``role``: what a newly hired agent starts with."""
    member = next(m for m in BUILTIN_TEAM if m["role"] == role)
    return load_prompt(member["prompt_file"])


def seed_teams(team_model: Any) -> dict[str, Any]:
    """Create the built-in teams that do not exist yet; return every team by slug."""
    for team in BUILTIN_TEAMS:
        team_model.objects.get_or_create(
            slug=team["slug"],
            defaults={"name": team["name"], "domain": team["domain"], "is_builtin": True},
        )
    return {team.slug: team for team in team_model.objects.all()}


def give_team(agent_model: Any, team_model: Any, workspace_id: int) -> list[Any]:
    """Give a new workspace the built-in team (one INSERT); return the agents created."""
    marketing = team_model.objects.filter(slug=MARKETING).first()
    return list(
        agent_model.objects.bulk_create(
            agent_model(
                workspace_id=workspace_id,
                team=marketing,
                name=member["name"],
                role=member["role"],
                emoji=ROLE_EMOJI.get(member["role"], ""),
                prompt=load_prompt(member["prompt_file"]),
                temperature=member["temperature"],
                is_active=True,
                is_builtin=True,
            )
            for member in BUILTIN_TEAM
        )
    )


def seed_builtin_team(agent_model: Any) -> int:
    """Create the installation's built-in agents that do not exist yet; return how many.

    ``agent_model`` is the Agent model class (the historical one inside a migration:
    the early ones have no teams and no workspaces yet). A built-in agent that was
    fired stays fired.
    """
    created = 0
    fields = {f.name for f in agent_model._meta.get_fields()}
    lookup: dict[str, Any] = {"workspace": None} if "workspace" in fields else {}
    extra: dict[str, Any] = {}
    if "team" in fields:
        teams = seed_teams(agent_model._meta.get_field("team").related_model)
        extra["team"] = teams[MARKETING]
    for member in BUILTIN_TEAM:
        if "emoji" in fields:
            extra["emoji"] = ROLE_EMOJI.get(member["role"], "")
        _, was_created = agent_model.objects.get_or_create(
            **lookup,
            name=member["name"],
            defaults={
                "role": member["role"],
                "prompt": load_prompt(member["prompt_file"]),
                "temperature": member["temperature"],
                "is_active": True,
                "is_builtin": True,
                **extra,
            },
        )
        created += int(was_created)
    return created

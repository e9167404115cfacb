"""The built-in team Clarion starts with: one agent per role, prompts beside this file."""

from __future__ import annotations

from pathlib import Path
from typing import Any

PROMPTS_DIR = Path(__file__).resolve().parent / "prompts"

BUILTIN_TEAM: tuple[dict[str, Any], ...] = (
    {"name": "Wren", "role": "writer", "prompt_file": "writer.txt", "temperature": 0.8},
    {"name": "Iris", "role": "reviewer", "prompt_file": "reviewer.txt", "temperature": 0.2},
    {"name": "Atlas", "role": "strategist", "prompt_file": "strategist.txt", "temperature": 0.5},
    {"name": "Mira", "role": "planner", "prompt_file": "planner.txt", "temperature": 0.6},
    {"name": "Sage", "role": "analyst", "prompt_file": "analyst.txt", "temperature": 0.3},
)


def load_prompt(file_name: str) -> str:
    return (PROMPTS_DIR / file_name).read_text(encoding="utf-8").strip()


def seed_builtin_team(agent_model: Any) -> int:
    """Create the built-in agents that do not exist yet; return how many were created.

    ``agent_model`` is the Agent model class (the historical one inside a migration).
    A built-in agent that was fired stays fired.
    """
    created = 0
    for member in BUILTIN_TEAM:
        _, was_created = agent_model.objects.get_or_create(
            name=member["name"],
            defaults={
                "role": member["role"],
                "prompt": load_prompt(member["prompt_file"]),
                "temperature": member["temperature"],
                "is_active": True,
                "is_builtin": True,
            },
        )
        created += int(was_created)
    return created

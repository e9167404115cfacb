"""``clarion agents …``: the workspace's roster — list, show, hire, fire, rehire, update."""

from __future__ import annotations

import json
from typing import TYPE_CHECKING, Annotated, Any

import typer
from rich.markup import escape
from rich.table import Table

from clarion.cli import WORKSPACE_OPTION, console, django, handles_errors

if TYPE_CHECKING:
    from clarion.agents.models import Agent

app: typer.Typer = typer.Typer(
    help="The roster: who writes, reviews, plans and analyses, how each is doing; hire and fire.",
    no_args_is_help=True,
)

AGENT_ID = typer.Argument(help="The agent's id (see `clarion agents list`).")
JSON_OPTION = typer.Option("--json", help="Print it as JSON.")


def register(root: typer.Typer) -> None:
    root.add_typer(app, name="agents")


def _data(agent: Agent, *, detail: bool = False) -> dict[str, Any]:
    from clarion.agents.api import AgentDetailOut, AgentOut

    schema = AgentDetailOut if detail else AgentOut
    return schema.model_validate(agent).model_dump(mode="json")


def _rate(agent: Agent) -> str:
    return f"{agent.success_rate:.0%}" if agent.success_rate is not None else "-"


def _said(agent: Agent, what: str) -> None:
    console.print(f"{what} {escape(agent.name)} ({agent.role}, id {agent.pk}).", highlight=False)


@app.command("list")
@handles_errors
def list_agents(
    workspace: Annotated[str | None, WORKSPACE_OPTION] = None,
    as_json: Annotated[bool, JSON_OPTION] = False,
) -> None:
    """The roster, by role: on duty or fired, with each agent's record and advice."""
    django()
    from clarion.accounts.workspaces import cli_workspace
    from clarion.agents.team import evaluate, roster_of

    agents = list(roster_of(cli_workspace(workspace)))
    if as_json:
        print(json.dumps([_data(a) for a in agents], indent=2, ensure_ascii=False))
        return
    table = Table("id", "agent", "role", "model", "status", "done", "failed", "success", "advice")
    for agent in agents:
        table.add_row(
            str(agent.pk),
            escape(f"{agent.emoji} {agent.name}".strip()),
            agent.role,
            escape(agent.model or "default"),
            "on duty" if agent.is_active else "fired",
            str(agent.total_tasks_completed),
            str(agent.total_tasks_failed),
            _rate(agent),
            evaluate(agent).recommendation.replace("_", " "),
        )
    console.print(table)


@app.command("show")
@handles_errors
def show(
    agent_id: Annotated[int, AGENT_ID],
    workspace: Annotated[str | None, WORKSPACE_OPTION] = None,
    as_json: Annotated[bool, JSON_OPTION] = False,
) -> None:
    """One agent: its settings, its record and the recommendation, with the reason."""
    django()
    from clarion.accounts.workspaces import cli_workspace
    from clarion.agents.team import agent_of, evaluate

    agent = agent_of(cli_workspace(workspace), agent_id)
    if as_json:
        print(json.dumps(_data(agent, detail=True), indent=2, ensure_ascii=False))
        return
    found = evaluate(agent)
    lines = [
        f"[bold]{escape(f'{agent.emoji} {agent.name}'.strip())}[/], {agent.role} "
        f"({agent.team.name if agent.team else 'no team'}), "
        + ("on duty" if agent.is_active else "fired"),
        f"model: {escape(agent.model or 'default (CLARION_LLM)')}, temperature {agent.temperature}",
        f"tasks: {agent.total_tasks_completed} completed, {agent.total_tasks_failed} failed; "
        f"success {_rate(agent)}; {agent.avg_duration_seconds:.1f} s on average; "
        f"reward {agent.total_reward}; cost ${agent.total_cost_usd:.4f}",
        f"advice: {found.recommendation.replace('_', ' ')} — {escape(found.reason)}",
    ]
    for line in lines:
        console.print(line, highlight=False, soft_wrap=True)


@app.command("hire")
@handles_errors
def hire(
    name: Annotated[str, typer.Argument(help="Its name, unique on the roster.")],
    role: Annotated[str, typer.Option(help="writer, reviewer, strategist, planner or analyst.")],
    model: Annotated[
        str,
        typer.Option("--model", help="A model spec such as openai:gpt-4o (default: CLARION_LLM)."),
    ] = "",
    prompt: Annotated[str, typer.Option(help="Its instructions (default: the role's own).")] = "",
    temperature: Annotated[float, typer.Option(min=0.0, max=2.0)] = 0.7,
    emoji: Annotated[str, typer.Option(help="Its visual identifier.")] = "",
    team: Annotated[str | None, typer.Option(help="marketing (default) or engineering.")] = None,
    workspace: Annotated[str | None, WORKSPACE_OPTION] = None,
    as_json: Annotated[bool, JSON_OPTION] = False,
) -> None:
    """Hire an agent: on duty at once, beside the role's other agents."""
    django()
    from clarion.accounts.workspaces import cli_workspace
    from clarion.agents import team as roster

    agent = roster.hire(
        cli_workspace(workspace),
        name=name,
        role=role,
        team=team,
        emoji=emoji,
        llm_preference=model,
        prompt=prompt,
        temperature=temperature,
    )
    if as_json:
        print(json.dumps(_data(agent, detail=True), indent=2, ensure_ascii=False))
        return
    _said(agent, "Hired")


@app.command("fire")
@handles_errors
def fire(
    agent_id: Annotated[int, AGENT_ID],
    workspace: Annotated[str | None, WORKSPACE_OPTION] = None,
    as_json: Annotated[bool, JSON_OPTION] = False,
) -> None:
    """Fire an agent: its role's other active agent serves from now on (never the last one)."""
    django()
    from clarion.accounts.workspaces import cli_workspace
    from clarion.agents import team as roster
    from clarion.agents.runtime import active_agent

    where = cli_workspace(workspace)
    agent = roster.fire(where, agent_id)
    if as_json:
        print(json.dumps(_data(agent, detail=True), indent=2, ensure_ascii=False))
        return
    _said(agent, "Fired")
    successor = active_agent(agent.role, where.pk)
    console.print(f"{escape(successor.name)} serves the {agent.role} role now.", highlight=False)


@app.command("rehire")
@handles_errors
def rehire(
    agent_id: Annotated[int, AGENT_ID],
    workspace: Annotated[str | None, WORKSPACE_OPTION] = None,
    as_json: Annotated[bool, JSON_OPTION] = False,
) -> None:
    """Put a fired agent back on duty."""
    django()
    from clarion.accounts.workspaces import cli_workspace
    from clarion.agents import team as roster

    agent = roster.rehire(cli_workspace(workspace), agent_id)
    if as_json:
        print(json.dumps(_data(agent, detail=True), indent=2, ensure_ascii=False))
        return
    _said(agent, "Rehired")


@app.command("update")
@handles_errors
def update(
    agent_id: Annotated[int, AGENT_ID],
    name: Annotated[str | None, typer.Option(help="A new name.")] = None,
    model: Annotated[
        str | None, typer.Option("--model", help="A model spec; '' for CLARION_LLM.")
    ] = None,
    prompt: Annotated[str | None, typer.Option(help="New instructions.")] = None,
    temperature: Annotated[float | None, typer.Option(min=0.0, max=2.0)] = None,
    emoji: Annotated[str | None, typer.Option()] = None,
    team: Annotated[str | None, typer.Option(help="marketing or engineering.")] = None,
    workspace: Annotated[str | None, WORKSPACE_OPTION] = None,
    as_json: Annotated[bool, JSON_OPTION] = False,
) -> None:
    """Change an agent's name, model, prompt, temperature, emoji or team (only those given)."""
    django()
    from clarion.accounts.workspaces import cli_workspace
    from clarion.agents import team as roster

    given = {
        "name": name,
        "llm_preference": model,
        "prompt": prompt,
        "temperature": temperature,
        "emoji": emoji,
        "team": team,
    }
    changes = {k: v for k, v in given.items() if v is not None}
    agent = roster.update(cli_workspace(workspace), agent_id, changes)
    if as_json:
        print(json.dumps(_data(agent, detail=True), indent=2, ensure_ascii=False))
        return
    _said(agent, "Updated")

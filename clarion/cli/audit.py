"""``clarion audit list``: who did what, when, from where."""

from __future__ import annotations

import json
from typing import Annotated

import typer
from rich.markup import escape
from rich.table import Table

from clarion.cli import console, django, handles_errors

app: typer.Typer = typer.Typer(
    help="The audit log: sign-ins, approvals, runs, token and member changes.",
    no_args_is_help=True,
)


def register(root: typer.Typer) -> None:
    root.add_typer(app, name="audit")


@app.command("list")
@handles_errors
def list_events(
    workspace: Annotated[
        str | None,
        typer.Option(help="Only this workspace (slug or id); default: the whole installation."),
    ] = None,
    action: Annotated[
        str | None, typer.Option(help="An action (token.create) or a family (token).")
    ] = None,
    actor: Annotated[str | None, typer.Option(help="Only what this person did.")] = None,
    limit: Annotated[int, typer.Option(min=1, max=10_000, help="At most this many.")] = 100,
    as_json: Annotated[bool, typer.Option("--json", help="Print the events as JSON.")] = False,
) -> None:
    """The newest audit events first."""
    django()
    from clarion.accounts.workspaces import get_workspace
    from clarion.audit.api import AuditEventOut
    from clarion.audit.models import AuditEvent
    from clarion.audit.services import events_of, narrowed

    rows = (
        events_of(get_workspace(workspace), action=action, actor=actor)
        if workspace
        else narrowed(AuditEvent.objects.select_related("workspace"), action=action, actor=actor)
    )
    events = list(rows.select_related("workspace")[:limit])
    if as_json:
        data = [
            {
                **AuditEventOut.model_validate(e).model_dump(mode="json"),
                "workspace": e.workspace.slug if e.workspace else None,
            }
            for e in events
        ]
        print(json.dumps(data, indent=2, ensure_ascii=False))
        return
    if not events:
        console.print("Nothing recorded yet.")
        return
    table = Table("when", "who", "via", "from", "action", "target", "workspace")
    for e in events:
        via = e.via + (f" {e.token_prefix}…" if e.token_prefix else "")
        target = f"{e.target_type} {e.target_id}".strip()
        if e.target_label:
            target += f" ({e.target_label})" if target else e.target_label
        table.add_row(
            f"{e.created_at:%Y-%m-%d %H:%M:%S}",
            escape(e.actor_email or "-"),
            via,
            e.ip or "-",
            e.action,
            escape(target) or "-",
            e.workspace.slug if e.workspace else "-",
        )
    console.print(table)

"""``clarion leads …``: import a CSV file of leads, list them."""

from __future__ import annotations

import dataclasses
import json
from pathlib import Path
from typing import Annotated

import typer
from rich.markup import escape
from rich.table import Column, Table

from clarion.cli import WORKSPACE_OPTION, console, django, fail, handles_errors

app: typer.Typer = typer.Typer(
    help="Leads: import them from a CSV file, list them by status and score.",
    no_args_is_help=True,
)


def register(root: typer.Typer) -> None:
    root.add_typer(app, name="leads")


@app.command("import")
@handles_errors
def import_file(
    file: Annotated[Path, typer.Argument(metavar="FILE", help="A CSV file with a header row.")],
    workspace: Annotated[str | None, WORKSPACE_OPTION] = None,
    as_json: Annotated[bool, typer.Option("--json", help="Print the report as JSON.")] = False,
) -> None:
    """Import leads: bad rows are reported by line and left out, duplicates merged by e-mail."""
    django()
    from clarion.accounts.workspaces import cli_workspace
    from clarion.crm.reading import MAX_FILE_BYTES
    from clarion.crm.services import import_leads

    try:
        size = file.stat().st_size
        if size > MAX_FILE_BYTES:
            raise fail(f"{file}: {size:,} bytes; an import reads at most {MAX_FILE_BYTES:,}")
        data = file.read_bytes()
    except OSError as exc:
        raise fail(f"{file}: {exc.strerror or exc}") from None

    report = import_leads(
        workspace=cli_workspace(workspace), data=data, source=f"import {file.name}"[:120]
    )
    if as_json:
        print(json.dumps(dataclasses.asdict(report), indent=2, ensure_ascii=False))
        return
    console.print(
        f"Imported {file.name} ({report.encoding}, {report.delimiter}-separated): "
        f"{report.created} created, {report.updated} updated, {report.unchanged} unchanged, "
        f"{report.merged_in_file} duplicate row{'s' if report.merged_in_file != 1 else ''} "
        f"merged, {len(report.rejected)} rejected.",
        highlight=False,
        soft_wrap=True,
    )
    for warning in report.warnings:
        console.print(f"[yellow]note:[/] {escape(warning)}", highlight=False, soft_wrap=True)
    if report.rejected:
        table = Table("line", "why it was left out")
        for row in report.rejected:
            table.add_row(str(row.line), escape(row.reason))
        console.print(table)


@app.command("list")
@handles_errors
def list_leads(
    status: Annotated[
        str | None, typer.Option(help="Only this status: new, contacted, qualified, converted.")
    ] = None,
    min_score: Annotated[
        int | None, typer.Option("--min-score", min=0, max=100, help="Only this score or more.")
    ] = None,
    search: Annotated[
        str | None, typer.Option("--search", help="Text in the address, name or company.")
    ] = None,
    workspace: Annotated[str | None, WORKSPACE_OPTION] = None,
    limit: Annotated[int, typer.Option(min=1, max=10_000, help="At most this many.")] = 200,
    as_json: Annotated[bool, typer.Option("--json", help="Print them as JSON.")] = False,
) -> None:
    """The workspace's leads, best score first."""
    django()
    from clarion.accounts.workspaces import cli_workspace
    from clarion.crm.schemas import LeadOut
    from clarion.crm.services import leads_of

    leads = list(
        leads_of(cli_workspace(workspace), status=status, min_score=min_score, q=search)[:limit]
    )
    if as_json:
        data = [LeadOut.model_validate(lead).model_dump(mode="json") for lead in leads]
        print(json.dumps(data, indent=2, ensure_ascii=False))
        return
    if not leads:
        console.print("No leads yet: `clarion leads import FILE.csv`.")
        return
    table = Table(
        Column("email", no_wrap=True),  # an address is never cut
        "name",
        "company",
        Column("status", no_wrap=True),
        Column("score", justify="right", no_wrap=True),
        "source",
        "assigned to",
    )
    for lead in leads:
        table.add_row(
            escape(lead.email),
            escape(lead.name),
            escape(lead.company),
            lead.status,
            str(lead.score),
            escape(lead.source),
            escape(lead.assigned_to.name) if lead.assigned_to else "-",
        )
    console.print(table)

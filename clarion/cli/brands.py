"""``clarion brand …``: create, list, show and update brands."""

from __future__ import annotations

import json
from pathlib import Path
from typing import Annotated

import typer
from rich.markup import escape
from rich.table import Table

from clarion.cli import WORKSPACE_OPTION, console, django, handles_errors

app: typer.Typer = typer.Typer(help="Create, list, show and update brands.", no_args_is_help=True)


_FILE_FIELDS = {"file": "brief_file", "brief": "brief_file"}


@app.command("create")
@handles_errors(fields=_FILE_FIELDS)
def create(
    brief_file: Annotated[
        Path, typer.Argument(help="A YAML or JSON brief (see examples/brief.yaml).")
    ],
    workspace: Annotated[str | None, WORKSPACE_OPTION] = None,
) -> None:
    """Create a brand from a brief file, in a workspace."""
    django()
    from clarion.accounts.workspaces import cli_workspace
    from clarion.brands.services import create_brand, load_brief_file

    space = cli_workspace(workspace)
    brand = create_brand(brief=load_brief_file(brief_file), workspace=space)
    console.print(
        f"Created brand [bold]{escape(brand.brand_name)}[/] (slug [cyan]{brand.slug}[/], "
        f"id {brand.pk}) in workspace {escape(space.name)}."
    )


@app.command("list")
@handles_errors
def list_brands(
    workspace: Annotated[
        str | None, typer.Option(help="Only this workspace's brands (slug or id).")
    ] = None,
    as_json: Annotated[bool, typer.Option("--json", help="Print the brands as JSON.")] = False,
) -> None:
    """List brands (of every workspace, or of one)."""
    django()
    from clarion.accounts.workspaces import get_workspace
    from clarion.brands.models import Brand
    from clarion.brands.schemas import BrandOut

    rows = Brand.objects.select_related("workspace")
    if workspace:
        rows = rows.filter(workspace=get_workspace(workspace))
    brands = list(rows)
    if as_json:
        data = [BrandOut.from_orm(brand).model_dump(mode="json") for brand in brands]
        print(json.dumps(data, indent=2, ensure_ascii=False))
        return
    table = Table()
    for column in ("id", "workspace", "slug"):
        table.add_column(column, no_wrap=True, overflow="fold")
    for column in ("name", "language", "tone"):
        table.add_column(column)
    for brand in brands:
        table.add_row(
            str(brand.pk),
            brand.workspace.slug,
            brand.slug,
            escape(brand.brand_name),
            brand.language,
            escape(brand.tone),
        )
    console.print(table)


@app.command("show")
@handles_errors
def show(
    ref: Annotated[str, typer.Argument(help="Brand id or slug.")],
    as_json: Annotated[bool, typer.Option("--json", help="Print the brand as JSON.")] = False,
) -> None:
    """Show a brand's brief."""
    django()
    from clarion.brands.schemas import BrandOut
    from clarion.brands.services import get_brand

    data = BrandOut.from_orm(get_brand(ref)).model_dump(mode="json")
    if as_json:
        print(json.dumps(data, indent=2, ensure_ascii=False))
        return
    table = Table(show_header=False)
    for key, value in data.items():
        table.add_row(
            key,
            json.dumps(value, ensure_ascii=False) if isinstance(value, list | dict) else str(value),
        )
    console.print(table)


@app.command("update")
@handles_errors(fields=_FILE_FIELDS)
def update(
    ref: Annotated[str, typer.Argument(help="Brand id or slug.")],
    brief_file: Annotated[
        Path, typer.Argument(help="A YAML or JSON file with the fields to change.")
    ],
) -> None:
    """Update a brand with the fields given in a file (others stay as they are)."""
    django()
    from clarion.brands.services import get_brand, load_data_file, parse_update, update_brand

    brand = update_brand(brand=get_brand(ref), changes=parse_update(load_data_file(brief_file)))
    console.print(f"Updated brand [bold]{brand.brand_name}[/] ({brand.slug}).")

"""``clarion plan …``: generate a monthly plan, show it, export it as iCal or CSV."""

from __future__ import annotations

import json
from datetime import date
from pathlib import Path
from typing import TYPE_CHECKING, Annotated, Literal

import typer
from rich.markup import escape
from rich.progress import BarColumn, MofNCompleteColumn, Progress, TextColumn, TimeElapsedColumn
from rich.table import Table

from clarion.cli import console, django, fail, handles_errors, model_line

if TYPE_CHECKING:
    from clarion.planning.models import MonthlyPlan

_SHOW_COLUMNS = ("date", "time", "network", "pillar", "format", "angle", "hook", "cta", "topic")
_KEY_COLUMNS = ("date", "time", "network")  # what names a slot: never cut off

app: typer.Typer = typer.Typer(
    help="Plan a month of posts, show the plan, export it.", no_args_is_help=True
)


def _parse_date(value: str, option: str) -> date:
    try:
        return date.fromisoformat(value.strip())
    except ValueError:
        raise fail(f"{option}: {value!r} is not a date; use YYYY-MM-DD") from None


@app.command("generate")
@handles_errors(fields={"start_date": "start", "networks": "network"})
def generate(
    brand: Annotated[str, typer.Option(help="Brand id or slug.")],
    start: Annotated[str, typer.Option(help="First day of the plan, YYYY-MM-DD.")],
    days: Annotated[
        int | None,
        typer.Option(help="Days to plan, 1–31 (default: as many as the start's month has)."),
    ] = None,
    network: Annotated[
        list[str] | None,
        typer.Option(help="A network to plan for; repeat it (default LinkedIn, Facebook, X)."),
    ] = None,
    as_json: Annotated[bool, typer.Option("--json", help="Print the plan as JSON.")] = False,
) -> None:
    """Generate a monthly plan: code lays out the grid, the planner fills the topics."""
    start_date = _parse_date(start, "--start")
    django()
    from clarion.brands.services import get_brand
    from clarion.planning.schemas import plan_json
    from clarion.planning.services import generate_monthly_plan, parse_networks, validate_days

    brand_obj = get_brand(brand)
    networks = parse_networks(network or None)  # bad input fails before any progress shows
    validate_days(days, start_date)
    if not as_json:
        console.print(model_line(), highlight=False)
    with Progress(
        TextColumn("Planning topics"),
        BarColumn(),
        MofNCompleteColumn(),
        TimeElapsedColumn(),
        console=console,
        transient=as_json,
        disable=as_json,
    ) as progress:
        bar = progress.add_task("topics", total=None)

        def advance(done: int, total: int) -> None:
            progress.update(bar, completed=done, total=total)

        plan = generate_monthly_plan(
            brand=brand_obj,
            start_date=start_date,
            days=days,
            networks=networks,
            on_progress=advance,
        )
    if as_json:
        print(json.dumps(plan_json(plan), indent=2, ensure_ascii=False))
        return
    _show(plan)
    console.print(
        f"Stored plan [bold]#{plan.pk}[/] (version {plan.version}, active) for "
        f"[bold]{brand_obj.brand_name}[/]: {plan.slots.count()} slots. "
        f"Export it: clarion plan export {plan.pk} --format ics",
        highlight=False,
    )


@app.command("show")
@handles_errors
def show(
    brand: Annotated[str, typer.Argument(help="Brand id or slug.")],
    on: Annotated[
        str | None,
        typer.Option(
            "--date", help="Show only this day's slots (default: the whole plan active today)."
        ),
    ] = None,
    as_json: Annotated[bool, typer.Option("--json", help="Print the plan as JSON.")] = False,
) -> None:
    """Show the brand's active plan slot by slot, or one day of it with --date."""
    on_date = _parse_date(on, "--date") if on is not None else None
    django()
    from django.utils import timezone

    from clarion.brands.services import get_brand
    from clarion.planning.schemas import DayOut, plan_json
    from clarion.planning.services import require_active_plan

    plan = require_active_plan(get_brand(brand), on_date or timezone.localdate())
    if not as_json:
        _show(plan, day=on_date)
    elif on_date is None:
        print(json.dumps(plan_json(plan), indent=2, ensure_ascii=False))
    else:  # the API's day view (/strategy/posts/{brand}/{date})
        day = DayOut.model_validate(
            {
                "brand": plan.brand.slug,
                "date": on_date,
                "plan_id": plan.pk,
                "version": plan.version,
                "guidelines": plan.guidelines,
                "slots": list(plan.slots.filter(date=on_date)),
            }
        )
        print(json.dumps(day.model_dump(mode="json"), indent=2, ensure_ascii=False))


@app.command("export")
@handles_errors
def export(
    ref: Annotated[
        str,
        typer.Argument(
            help="A plan id (digits), or a brand slug for its active plan on --date.",
            metavar="BRAND|PLAN_ID",
        ),
    ],
    fmt: Annotated[
        Literal["ics", "csv"], typer.Option("--format", help="ics (iCalendar) or csv.")
    ] = "ics",
    output: Annotated[
        Path | None, typer.Option(help="Write to this file instead of standard output.")
    ] = None,
    on: Annotated[
        str | None,
        typer.Option("--date", help="With a brand: the plan active on this day (default today)."),
    ] = None,
) -> None:
    """Export a plan as iCalendar (.ics) or CSV."""
    on_date = _parse_date(on, "--date") if on is not None else None
    django()
    from django.utils import timezone

    from clarion.brands.services import get_brand
    from clarion.planning.services import (
        export_csv,
        export_ical,
        get_plan,
        require_active_plan,
    )

    text = ref.strip()
    if text.isascii() and text.isdigit():
        plan = get_plan(text)
    else:
        plan = require_active_plan(get_brand(text), on_date or timezone.localdate())
    body = export_ical(plan) if fmt == "ics" else export_csv(plan)
    if output is None:
        typer.echo(body, nl=False)
        return
    try:
        output.write_text(body, encoding="utf-8", newline="")
    except OSError as exc:
        raise fail(f"--output: cannot write {output}: {exc.strerror}") from None
    console.print(
        f"Wrote plan #{plan.pk} ({plan.brand.slug}, version {plan.version}) to {output}.",
        highlight=False,
    )


def _show(plan: MonthlyPlan, *, day: date | None = None) -> None:
    """The plan's slots as a table (only ``day``'s when given), then its guidelines."""
    from clarion.planning.export import slot_cells

    end = plan.slots.order_by("-date").values_list("date", flat=True).first()
    span = f"{plan.start_date} → {end}"
    table = Table(
        title=escape(
            f"{plan.brand.brand_name}: plan #{plan.pk}, version {plan.version}"
            f"{'' if plan.is_active else ' (archived)'}, "
            + (f"{day} (of {span})" if day is not None else span)
        ),
    )
    for column in _SHOW_COLUMNS:
        table.add_column(column, no_wrap=column in _KEY_COLUMNS)
    slots = plan.slots.filter(date=day) if day is not None else plan.slots.all()
    for slot in slots:
        cells = slot_cells(slot)
        table.add_row(*(escape(cells[column]) for column in _SHOW_COLUMNS))
    console.print(table)
    guidelines = plan.guidelines
    console.print(
        escape(
            f"Guidelines: tone {guidelines.get('tone', '')!r}, language {guidelines.get('language', '')}, "
            f"do {guidelines.get('do', [])}, don't {guidelines.get('dont', [])}, "
            f"banned {guidelines.get('banned_terms', [])}"
        ),
        highlight=False,
        soft_wrap=True,
    )

"""``clarion run-daily``: the daily orchestrator by hand, with a progress bar and a summary."""

from __future__ import annotations

import datetime as dt
from typing import Annotated

import typer
from rich.progress import BarColumn, MofNCompleteColumn, Progress, TextColumn, TimeElapsedColumn
from rich.table import Table

from clarion.cli import console, django, handles_errors


def register(app: typer.Typer) -> None:
    app.command("run-daily")(run_daily)


def _parse_date(value: str | None) -> dt.date | None:
    from clarion.core.errors import InvalidInput

    if value is None:
        return None
    try:
        return dt.date.fromisoformat(value)
    except ValueError:
        raise InvalidInput("date", f"{value!r} is not a date (YYYY-MM-DD)") from None


@handles_errors
def run_daily(
    date: Annotated[
        str | None, typer.Option(help="The day to run, YYYY-MM-DD (default: today).")
    ] = None,
    dry_run: Annotated[
        bool, typer.Option("--dry-run", help="Write and check everything, publish nothing.")
    ] = False,
    platform: Annotated[
        list[str] | None, typer.Option(help="Only this network (repeatable).")
    ] = None,
    brand: Annotated[list[str] | None, typer.Option(help="Only this brand (repeatable).")] = None,
) -> None:
    """Run a day's orchestration now: every slot of the active plans, published once."""
    day = _parse_date(date)
    django()
    from django.utils import timezone

    from clarion.brands.services import get_brand
    from clarion.core.platforms import parse_platforms
    from clarion.publishing.orchestrator import run_daily

    day = day or timezone.localdate()
    networks = parse_platforms(platform)
    brands = [get_brand(ref) for ref in brand] if brand else None
    columns = (
        TextColumn("[bold]{task.description}"),
        BarColumn(),
        MofNCompleteColumn(),
        TimeElapsedColumn(),
    )
    with Progress(*columns, console=console, transient=True) as progress:
        task = progress.add_task(f"{'Dry run' if dry_run else 'Publishing'} {day}", total=None)
        run = run_daily(
            date=day,
            platforms=networks,
            dry_run=dry_run,
            brands=brands,
            on_start=lambda total: progress.update(task, total=total),
            progress=lambda outcome: progress.advance(task),
        )
    show_run(run.pk)


def show_run(run_id: int) -> None:
    """The summary table of a run: one row per network and outcome."""
    from django.db.models import Count

    from clarion.publishing.models import DailyContentPackage, DailyRun, Publication
    from clarion.publishing.reports import run_summary

    run = DailyRun.objects.get(pk=run_id)
    table = Table(title=f"Daily run {run.date}{' (dry run)' if run.dry_run else ''}")
    if run.dry_run:
        table.add_column("network")
        table.add_column("valid", justify="right")
        table.add_column("invalid", justify="right")
        packages = (
            DailyContentPackage.objects.filter(run=run)
            .values_list("network", "valid")
            .annotate(n=Count("id"))
        )
        by_network: dict[str, list[int]] = {}
        for network, valid, n in packages:
            by_network.setdefault(network, [0, 0])[0 if valid else 1] += n
        for network, (valid, invalid) in sorted(by_network.items()):
            table.add_row(network, str(valid), str(invalid))
    else:
        states = ("published", "pending", "claimed", "failed", "needs_attention")
        table.add_column("network")
        for state in states:
            table.add_column(state.replace("_", " "), justify="right")
        counts: dict[str, dict[str, int]] = {}
        ledger = Publication.objects.filter(date=run.date)
        if run.platforms:
            ledger = ledger.filter(network__in=run.platforms)
        for network, state, n in ledger.values_list("network", "state").annotate(n=Count("id")):
            counts.setdefault(network, {})[state] = n
        for network, by_state in sorted(counts.items()):
            table.add_row(network, *(str(by_state.get(s, 0)) for s in states))
    console.print(table)
    console.print(run_summary(run), highlight=False)

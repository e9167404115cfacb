"""Publishing by hand: ``run-daily``, ``status``, ``retry`` and ``approvals``."""

from __future__ import annotations

import datetime as dt
import json
from typing import TYPE_CHECKING, Annotated, Any

import typer
from rich.markup import escape
from rich.progress import BarColumn, MofNCompleteColumn, Progress, TextColumn, TimeElapsedColumn
from rich.table import Table

from clarion.cli import console, django, handles_errors

if TYPE_CHECKING:
    from clarion.publishing.models import Publication

approvals_app = typer.Typer(help="Posts the reviewer did not approve, waiting for a person.")


def register(app: typer.Typer) -> None:
    app.command("run-daily")(run_daily)
    app.command("status")(status)
    app.command("retry")(retry)
    app.add_typer(approvals_app, name="approvals")


COLUMNS = (
    TextColumn("[bold]{task.description}"),
    BarColumn(),
    MofNCompleteColumn(),
    TimeElapsedColumn(),
)


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
    with Progress(*COLUMNS, console=console, transient=True) as progress:
        label = f"{'Dry run' if dry_run else 'Publishing'} {day}"
        task = progress.add_task(label, total=None)

        def waiting(seconds: float, rows: int) -> None:
            progress.update(
                task, description=f"{label}: waiting {seconds:.0f} s for {rows} deferred post(s)"
            )

        run = run_daily(
            date=day,
            platforms=networks,
            dry_run=dry_run,
            brands=brands,
            on_start=lambda total: progress.update(task, total=total),
            progress=lambda outcome: progress.advance(task),
            on_wait=waiting,
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
        states = (
            "published", "pending", "claimed", "awaiting_approval", "failed", "needs_attention",
        )  # fmt: skip
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


def _brand_and_day(date: str | None, brand: str | None) -> tuple[dt.date, Any]:
    day = _parse_date(date)
    django()
    from django.utils import timezone

    from clarion.brands.services import get_brand

    return day or timezone.localdate(), get_brand(brand) if brand else None


@handles_errors
def status(
    date: Annotated[str | None, typer.Option(help="The day, YYYY-MM-DD (default: today).")] = None,
    brand: Annotated[str | None, typer.Option(help="Only this brand.")] = None,
    platform: Annotated[str | None, typer.Option(help="Only this network.")] = None,
    as_json: Annotated[bool, typer.Option("--json", help="Print the status as JSON.")] = False,
) -> None:
    """What the ledger says about a day: counts by state and everything not done, with why."""
    day, chosen = _brand_and_day(date, brand)
    from clarion.core.platforms import parse_platforms
    from clarion.publishing.reports import day_status, deferred_note, held_note
    from clarion.publishing.schemas import StatusOut

    networks = parse_platforms([platform]) if platform else None
    report = day_status(day=day, brand=chosen, platforms=networks, limit=1000)
    if as_json:
        print(json.dumps(StatusOut.from_orm(report).model_dump(mode="json"), indent=2))
        return
    order = ("published", "pending", "claimed", "awaiting_approval", "needs_attention", "failed")
    counts = ", ".join(
        f"{report.counts[state]} {state.replace('_', ' ')}"
        for state in order
        if report.counts.get(state)
    )
    scope = f" for {chosen.slug}" if chosen else ""
    console.print(f"[bold]{day}[/]{escape(scope)}: {counts or 'no publications'}", highlight=False)
    now, attention = report.now, report.attention
    sections: list[tuple[str, list[Publication], Any]] = [
        ("Held by a process", attention.held, lambda r: held_note(r, now)),
        ("Deferred", attention.deferred, lambda r: deferred_note(r, now)),
        (
            "Outcome unknown (looked up on the network before any resend)",
            attention.unknown,
            lambda r: deferred_note(r, now),
        ),
        (
            "Waiting for approval (clarion approvals approve ID | reject ID)",
            attention.awaiting_approval,
            lambda r: r.error,
        ),
        (f"Failed (clarion retry --date {day})", attention.failed, lambda r: r.error),
    ]
    for title, rows, note in sections:
        if rows:
            _rows_table(title, rows, note)
    if not any(rows for _, rows, _ in sections) and report.total:
        done = report.counts.get("published", 0) == report.total
        console.print("Every slot is published." if done else "Nothing needs attention.")


def _rows_table(title: str, rows: list[Publication], note: Any) -> None:
    table = Table(title=title, title_justify="left", show_lines=False)
    for column in ("id", "brand", "network", "slot time", "why"):
        table.add_column(column, overflow="fold", no_wrap=column == "id")
    for row in rows:
        table.add_row(
            str(row.pk),
            row.brand.slug,
            row.network,
            f"{row.scheduled_at:%H:%M}",
            escape(str(note(row))),
        )
    console.print(table)


@handles_errors
def retry(
    date: Annotated[str, typer.Option(help="The day, YYYY-MM-DD.")],
    platform: Annotated[str | None, typer.Option(help="Only this network.")] = None,
    brand: Annotated[str | None, typer.Option(help="Only this brand.")] = None,
) -> None:
    """Retry a day's failed publications: rewritten when their text failed, resent otherwise."""
    day, chosen = _brand_and_day(date, brand)
    from clarion.publishing.orchestrator import retry_failed

    with Progress(*COLUMNS, console=console, transient=True) as progress:
        task = progress.add_task(f"Retrying {day}", total=None)
        run = retry_failed(
            date=day,
            platform=platform,
            brands=[chosen] if chosen else None,
            on_start=lambda total: progress.update(task, total=total),
            progress=lambda outcome: progress.advance(task),
        )
    show_run(run.pk)


@approvals_app.command("list")
@handles_errors
def approvals_list(
    brand: Annotated[str | None, typer.Option(help="Only this brand.")] = None,
    as_json: Annotated[bool, typer.Option("--json", help="Print them as JSON.")] = False,
) -> None:
    """Posts waiting for a person, with the reviewer's reason."""
    django()
    from clarion.brands.services import get_brand
    from clarion.publishing.approvals import awaiting
    from clarion.publishing.schemas import PublicationOut

    rows = list(awaiting(brand=get_brand(brand) if brand else None)[:500])
    if as_json:
        data = [PublicationOut.from_orm(r).model_dump(mode="json") for r in rows]
        print(json.dumps(data, indent=2, ensure_ascii=False))
        return
    if not rows:
        console.print("Nothing is waiting for approval.")
        return
    for row in rows:
        console.print(
            f"[bold]#{row.pk}[/] {escape(row.brand.slug)} · {row.network} · "
            f"{row.date} {row.scheduled_at:%H:%M}",
            highlight=False,
        )
        console.print(f"  [dim]{escape(row.error)}[/]", highlight=False)
        for line in row.content.splitlines() or [""]:
            console.print(f"  │ {escape(line)}", highlight=False)


@approvals_app.command("approve")
@handles_errors
def approvals_approve(
    publication_id: Annotated[int, typer.Argument(help="The publication id (approvals list).")],
    text: Annotated[
        str | None, typer.Option(help="Publish this text instead (the checks run on it).")
    ] = None,
    by: Annotated[str, typer.Option(help="Who approves (kept with the post).")] = "cli",
) -> None:
    """Approve a waiting post; it goes out at its time."""
    django()
    from clarion.publishing.approvals import approve_publication

    row = approve_publication(publication_id=publication_id, by=by, text=text)
    console.print(
        f"Approved #{row.pk} ({row.network}, {row.date} {row.scheduled_at:%H:%M}): it goes out "
        "with the worker's next pass once its time has come (or `clarion run-daily "
        f"--date {row.date}`).",
        highlight=False,
    )


@approvals_app.command("reject")
@handles_errors
def approvals_reject(
    publication_id: Annotated[int, typer.Argument(help="The publication id (approvals list).")],
    reason: Annotated[str, typer.Option(help="Why, kept with the post.")] = "",
    by: Annotated[str, typer.Option(help="Who rejects (kept with the post).")] = "cli",
) -> None:
    """Reject a waiting post: it is never sent (`clarion retry` writes a new one)."""
    django()
    from clarion.publishing.approvals import reject_publication

    row = reject_publication(publication_id=publication_id, by=by, reason=reason)
    console.print(f"Rejected #{row.pk}: {escape(row.error)}", highlight=False)

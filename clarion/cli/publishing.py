"""Publishing by hand: ``run-daily``, ``status``, ``retry`` and ``approvals``."""

from __future__ import annotations

import datetime as dt
import json
from typing import TYPE_CHECKING, Annotated, Any

import typer
from rich.markup import escape
from rich.padding import Padding
from rich.progress import BarColumn, MofNCompleteColumn, Progress, TextColumn, TimeElapsedColumn
from rich.table import Table
from rich.text import Text

from clarion.cli import console, django, handles_errors

if TYPE_CHECKING:
    from django.db.models import QuerySet

    from clarion.brands.models import Brand
    from clarion.publishing.models import DailyContentPackage, DailyRun, Publication

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


@handles_errors(fields={"platforms": "platform"})
def run_daily(
    date: Annotated[
        str | None, typer.Option(help="The day to run, YYYY-MM-DD (default: today).")
    ] = None,
    dry_run: Annotated[
        bool,
        typer.Option(
            "--dry-run", help="Write and check everything, publish nothing; show the posts."
        ),
    ] = False,
    platform: Annotated[
        list[str] | None, typer.Option(help="Only this network (repeatable).")
    ] = None,
    brand: Annotated[list[str] | None, typer.Option(help="Only this brand (repeatable).")] = None,
    as_json: Annotated[
        bool,
        typer.Option(
            "--json", help="Print the run as JSON: counts, ledger rows (dry run: the posts)."
        ),
    ] = False,
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
    with Progress(*COLUMNS, console=console, transient=True, disable=as_json) as progress:
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
    if as_json:
        print(json.dumps(run_json(run.pk, brands=brands), indent=2, ensure_ascii=False))
        return
    show_run(run.pk, brands=brands)


def _ledger_rows(run: DailyRun, brands: list[Brand] | None) -> QuerySet[Publication]:
    """The ledger rows of the run's day, networks and brands."""
    from clarion.publishing.models import Publication

    rows = Publication.objects.filter(date=run.date).select_related("brand")
    if run.platforms:
        rows = rows.filter(network__in=run.platforms)
    if brands:
        rows = rows.filter(brand__in=[b.pk for b in brands])
    return rows.order_by("scheduled_at", "network", "id")


def _packages(run: DailyRun) -> list[DailyContentPackage]:
    """The posts a dry run wrote, in time order."""
    from clarion.publishing.models import DailyContentPackage

    packages = DailyContentPackage.objects.filter(run=run).select_related("brand")
    return sorted(packages, key=lambda p: (str(p.payload.get("scheduled_at", "")), p.network))


def _why_not(package: DailyContentPackage) -> str:
    return "; ".join(
        str(failure.get("message") or failure.get("code", ""))
        for failure in package.check_failures or []
    )


def run_json(run_id: int, *, brands: list[Brand] | None = None) -> dict[str, Any]:
    """The run as the API gives it (``RunOut``); with its ledger rows (``PublicationOut``),
    or for a dry run the posts it wrote and whether they passed the checks."""
    from clarion.publishing.models import DailyRun
    from clarion.publishing.schemas import PublicationOut, RunOut

    run = DailyRun.objects.select_related("brand").get(pk=run_id)
    data = RunOut.from_orm(run).model_dump(mode="json")
    if run.dry_run:
        data["posts"] = [
            {
                "brand": package.brand.slug,
                "network": package.network,
                "date": package.date.isoformat(),
                "slot": package.slot,
                "scheduled_at": package.payload.get("scheduled_at"),
                "content": package.content,
                "valid": package.valid,
                "check_failures": package.check_failures,
            }
            for package in _packages(run)
        ]
    else:
        data["publications"] = [
            PublicationOut.from_orm(row).model_dump(mode="json")
            for row in _ledger_rows(run, brands)
        ]
    return data


def show_run(run_id: int, *, brands: list[Brand] | None = None) -> None:
    """The summary table of a run: one row per network and outcome (a dry run: its posts)."""
    from django.db.models import Count

    from clarion.publishing.models import DailyRun
    from clarion.publishing.reports import run_summary

    run = DailyRun.objects.get(pk=run_id)
    table = Table(title=f"Daily run {run.date}{' (dry run)' if run.dry_run else ''}")
    table.add_column("network", no_wrap=True)
    packages = _packages(run) if run.dry_run else []
    if run.dry_run:
        table.add_column("valid", justify="right")
        table.add_column("invalid", justify="right")
        by_network: dict[str, list[int]] = {}
        for package in packages:
            by_network.setdefault(package.network, [0, 0])[0 if package.valid else 1] += 1
        for network, (valid, invalid) in sorted(by_network.items()):
            table.add_row(network, str(valid), str(invalid))
    else:
        states = (
            "published", "pending", "claimed", "awaiting_approval", "failed", "needs_attention",
        )  # fmt: skip
        for state in states:
            table.add_column(state.replace("_", " "), justify="right")
        counts: dict[str, dict[str, int]] = {}
        ledger = _ledger_rows(run, brands).order_by()
        for network, state, n in ledger.values_list("network", "state").annotate(n=Count("id")):
            counts.setdefault(network, {})[state] = n
        for network, by_state in sorted(counts.items()):
            table.add_row(network, *(str(by_state.get(s, 0)) for s in states))
    console.print(table)
    if packages:
        _show_posts(packages)
        console.print()
    console.print(run_summary(run), highlight=False)


def _show_posts(packages: list[DailyContentPackage]) -> None:
    """What a dry run would publish: per post its network, time and text, and the checks."""
    for package in packages:
        when = package.payload.get("scheduled_at")
        at = f"{dt.datetime.fromisoformat(when):%Y-%m-%d %H:%M %Z}" if when else str(package.date)
        verdict = (
            "[green]checks passed[/]"
            if package.valid
            else f"[red]checks failed:[/] {escape(_why_not(package) or 'no text written')}"
        )
        console.print(
            f"\n[bold]{escape(package.network)}[/] · {at} · {escape(package.brand.slug)} · "
            f"{verdict}",
            highlight=False,
        )
        console.print(Padding(Text(package.content or "(no text)"), (0, 0, 0, 4)))


def _brand_and_day(date: str | None, brand: str | None) -> tuple[dt.date, Any]:
    day = _parse_date(date)
    django()
    from django.utils import timezone

    from clarion.brands.services import get_brand

    return day or timezone.localdate(), get_brand(brand) if brand else None


@handles_errors(fields={"platforms": "platform"})
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
        table.add_column(column, overflow="fold", no_wrap=column != "why")
    for row in rows:
        table.add_row(
            str(row.pk),
            row.brand.slug,
            row.network,
            f"{row.scheduled_at:%H:%M}",
            escape(str(note(row))),
        )
    console.print(table)


@handles_errors(fields={"platforms": "platform"})
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
    show_run(run.pk, brands=[chosen] if chosen else None)


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
    publication_ids: Annotated[
        list[int], typer.Argument(help="The publication ids (approvals list).")
    ],
    text: Annotated[
        str | None,
        typer.Option(help="Publish this text instead (one id only; the checks run on it)."),
    ] = None,
    by: Annotated[str, typer.Option(help="Who approves (kept with the post).")] = "cli",
) -> None:
    """Approve waiting posts (all or none); each goes out at its time."""
    django()
    from clarion.core.errors import InvalidInput
    from clarion.publishing.approvals import approve_publication, approve_publications

    if text is not None and len(publication_ids) != 1:
        raise InvalidInput("text", "an edited text approves one publication at a time")
    if text is not None:
        rows = [approve_publication(publication_id=publication_ids[0], by=by, text=text)]
    else:
        rows = approve_publications(publication_ids=publication_ids, by=by)
    for row in rows:
        console.print(
            f"Approved #{row.pk} ({row.network}, {row.date} {row.scheduled_at:%H:%M}): it goes "
            "out with the worker's next pass once its time has come (or `clarion run-daily "
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

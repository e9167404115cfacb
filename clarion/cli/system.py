"""``clarion demo | doctor | worker | serve | manage``."""

from __future__ import annotations

import os
import time
from datetime import datetime
from pathlib import Path
from typing import TYPE_CHECKING, Annotated

import typer
from rich.markup import escape
from rich.table import Table

from clarion.cli import console, django, handles_errors, model_line

if TYPE_CHECKING:
    from clarion.brands.models import Brand

EXAMPLE_BRIEF = Path(__file__).resolve().parent.parent / "examples" / "brief.yaml"

DEMO_SESSIONS: tuple[dict[str, object], ...] = (
    {
        "brief": "A slogan for our fresh-roasted coffee subscription",
        "kind": "slogan",
        "platform": None,
    },
    {"brief": "Announce our new Ethiopian single-origin roast", "kind": "post", "platform": "X"},
    {
        "brief": "Why roasting to order changes how your morning cup tastes",
        "kind": "post",
        "platform": "LinkedIn",
    },
)


secrets_app: typer.Typer = typer.Typer(
    help="Secrets at rest (channel tokens): make keys, rotate them.", no_args_is_help=True
)


def register(app: typer.Typer) -> None:
    app.add_typer(secrets_app, name="secrets")
    app.command("demo")(demo)
    app.command("doctor")(doctor)
    app.command("worker")(worker)
    app.command("serve")(serve)
    app.command(
        "manage", context_settings={"allow_extra_args": True, "ignore_unknown_options": True}
    )(manage)


DEMO_CAMPAIGN = "northwind-coffee-demo"
DEMO_GOAL = "Launch the winter blend to remote workers and grow subscriptions"


def _demo_campaign(brand: Brand) -> None:
    """Plan the example campaign once, write what it still lacks, print its Mermaid."""
    from clarion.campaigns.models import Campaign
    from clarion.campaigns.services import create_campaign, export_mermaid
    from clarion.cli.campaigns import write_content

    campaign = Campaign.objects.filter(campaign_id=DEMO_CAMPAIGN).first()
    if campaign is None:
        with console.status("The strategist is planning a 4-phase campaign…"):
            campaign = create_campaign(
                brand=brand, goal=DEMO_GOAL, campaign_id=DEMO_CAMPAIGN, generate_content=False
            )
        console.print(f"\nPlanned the campaign [bold]{DEMO_CAMPAIGN}[/]: {DEMO_GOAL}.")
    else:
        console.print(
            f"\nThe campaign [bold]{DEMO_CAMPAIGN}[/] exists already (version "
            f"{campaign.current_version}); writing only what it still lacks."
        )
    write_content(campaign)
    console.print("\n[bold]Strategy[/] (Mermaid; paste it into https://mermaid.live):")
    console.print(export_mermaid(campaign), highlight=False, markup=False, end="")


def _demo_month(brand: Brand) -> None:
    """Plan this month once, then run today's orchestration into the outbox."""
    from django.conf import settings
    from django.utils import timezone

    from clarion.planning.services import generate_monthly_plan, get_active_plan
    from clarion.publishing.services import run_daily, run_summary
    from clarion.publishing.slots import brand_zone

    today = timezone.now().astimezone(brand_zone(brand)).date()
    plan = get_active_plan(brand, today)
    if plan is None:
        with console.status("The planner is filling a month of topics…"):
            plan = generate_monthly_plan(brand=brand, start_date=today.replace(day=1))
        console.print(
            f"\nPlanned {plan.month:%B %Y}: {plan.slots.count()} slots "
            f"({plan.days} days × {', '.join(plan.networks)})."
        )
    else:
        console.print(f"\nThe plan for {plan.month:%B %Y} exists already (version {plan.version}).")
    with console.status(f"Today's orchestration ({today}): writing and publishing…"):
        run = run_daily(date=today, brands=[brand])
    console.print(run_summary(run), highlight=False)
    console.print(f"Outbox: {Path(settings.CLARION_HOME) / 'outbox' / today.isoformat()}")


@handles_errors
def demo() -> None:
    """Show Clarion at work on the example brand, with nothing to install or configure."""
    started = time.monotonic()
    django()
    from django.conf import settings

    from clarion.accounts.workspaces import default_workspace
    from clarion.brands.models import Brand
    from clarion.brands.services import create_brand, load_brief_file
    from clarion.writing.services import run_session, start_session

    console.print("[bold]Clarion demo[/]")
    console.print(model_line(), highlight=False)
    brief = load_brief_file(EXAMPLE_BRIEF)
    workspace = default_workspace()
    brand = Brand.objects.filter(workspace=workspace, slug=brief.slug).first()
    if brand is None:
        brand = create_brand(brief=brief, workspace=workspace)
        console.print(
            f"Created the example brand [bold]{brand.brand_name}[/] from {EXAMPLE_BRIEF.name}."
        )
    else:
        console.print(f"The example brand [bold]{brand.brand_name}[/] exists already; reusing it.")

    table = Table("session", "for", "turns", "outcome", "final text", show_lines=True)
    with console.status("The writer and the reviewer are at work…") as status:
        for spec in DEMO_SESSIONS:
            status.update(f"Writing: {spec['brief']}…")
            session = run_session(
                start_session(
                    brief=str(spec["brief"]),
                    brand=brand,
                    kind=spec["kind"],  # type: ignore[arg-type]
                    platform=spec["platform"],  # type: ignore[arg-type]
                )
            )
            table.add_row(
                f"#{session.pk}",
                session.platform or "slogan",
                str(session.turns.count()),
                session.completion_reason,
                session.final_text,
            )
    console.print(table)
    _demo_campaign(brand)
    _demo_month(brand)
    database = settings.DATABASES["default"]
    where = (
        database["NAME"]
        if database["ENGINE"].endswith("sqlite3")
        else f"{database['ENGINE'].rsplit('.', 1)[-1]} database {database['NAME']}"
    )
    console.print(f"\nData: {where}")
    console.print(f"Home: {settings.CLARION_HOME}")
    console.print(
        f"Done in {time.monotonic() - started:.1f} s. Running the demo again adds new sessions and keeps the brand."
    )
    console.print(
        "\n[bold]Try next[/]\n"
        '  clarion slogan "A slogan for a bike repair café" --max-turns 3\n'
        '  clarion slogan "Launch our autumn blend" --brand northwind-coffee --platform Bluesky --json\n'
        "  clarion brand show northwind-coffee\n"
        f"  clarion campaign show {DEMO_CAMPAIGN}\n"
        f'  clarion campaign regenerate {DEMO_CAMPAIGN} --phase 3 "focus on office teams"\n'
        f"  clarion campaign versions {DEMO_CAMPAIGN}\n"
        "  clarion plan show northwind-coffee\n"
        "  clarion run-daily --dry-run\n"
        "  clarion serve   then open the setup link it prints, and /api/docs\n"
        "  clarion doctor"
    )


def _ok(table: Table, what: str, detail: str) -> None:
    from clarion.core.redact import redact_text

    table.add_row(what, "[green]ok[/]", redact_text(detail))


def _problem(table: Table, what: str, detail: str) -> None:
    from clarion.core.redact import redact_text

    table.add_row(what, "[red]problem[/]", redact_text(detail))


def _warning(table: Table, what: str, detail: str) -> None:
    """Worth knowing, but nothing is broken: `doctor` still exits 0."""
    from clarion.core.redact import redact_text

    table.add_row(what, "[yellow]warning[/]", redact_text(detail))


def _settings_summary() -> str:
    """Where Clarion keeps its data and which model server it uses; secrets as set/not set."""
    from django.conf import settings

    from clarion.core.redact import is_set, redact_url

    keys = len(settings.CLARION_ENCRYPTION_KEYS)
    parts = [
        f"CLARION_HOME={settings.CLARION_HOME}",
        f"DATABASE_URL={redact_url(settings.DATABASE_URL) or '(SQLite in CLARION_HOME)'}",
    ]
    if settings.CLARION_LLM_BASE_URL:
        parts.append(f"CLARION_LLM_BASE_URL={redact_url(settings.CLARION_LLM_BASE_URL)}")
    parts += [
        f"CLARION_LLM_API_KEY {is_set(settings.CLARION_LLM_API_KEY)}",
        f"CLARION_ENCRYPTION_KEYS {f'set ({keys} keys)' if keys else 'not set (derived key)'}",
    ]
    return "; ".join(parts)


@handles_errors
def doctor() -> None:
    """Check configuration, database, model and worker; say how to fix what is wrong.

    Exits 1 when something is broken, 0 when there are only warnings.
    """
    from clarion.conf import ConfigError

    table = Table("check", "status", "detail / fix")
    problems = 0
    try:
        django(migrate=False)
    except typer.Exit:
        raise
    except ConfigError as exc:  # pragma: no cover - django() reports it already
        _problem(table, "configuration", str(exc))
        console.print(table)
        raise typer.Exit(1) from None
    from django.conf import settings
    from django.core import checks
    from django.db import connection

    from clarion import bootstrap

    messages = [m for m in checks.run_checks() if m.level >= checks.WARNING]
    if messages:
        problems += 1
        _problem(
            table,
            "configuration",
            "; ".join(f"{m.id}: {m.msg} {m.hint or ''}".strip() for m in messages),
        )
    else:
        _ok(table, "configuration", _settings_summary())

    from clarion.core.redact import redact_url

    db = settings.DATABASES["default"]
    where = redact_url(settings.DATABASE_URL) if settings.DATABASE_URL else db["NAME"]
    database_ok = False
    try:
        pending = bootstrap.ensure_database()
        note = f"applied {pending} pending migrations" if pending else "schema up to date"
        _ok(table, "database", f"{connection.vendor} {where}: {note}")
        database_ok = True
    except ConfigError as exc:  # the database cannot be used: the line says how to fix it
        problems += 1
        _problem(table, "database", str(exc))
    except Exception as exc:
        problems += 1
        _problem(
            table,
            "database",
            f"cannot use {where}: {type(exc).__name__}: {exc}. Check DATABASE_URL.",
        )

    from clarion.agents.llm import LLMConfigError, choose_model, probe_model

    try:
        choice = choose_model()
        answers, detail = probe_model(choice)
        (_ok if answers else _problem)(table, "model", f"{choice.spec} ({choice.reason}); {detail}")
        problems += 0 if answers else 1
    except LLMConfigError as exc:
        problems += 1
        _problem(table, "model", str(exc))

    if database_ok:
        from clarion.core import watchdog

        worker = watchdog.worker_state()
        age = worker.seconds_since or 0.0
        # No worker (none yet, or one stopped by hand) is a warning: commands run their work
        # themselves; only queued work (the API's background requests) waits for one.
        if worker.status == "never":
            _warning(table, "worker", "not running; start `clarion worker`")
        elif worker.status == "stopped":
            _warning(
                table,
                "worker",
                f"not running ({worker.worker_id} stopped {age:.0f} s ago); start `clarion worker`",
            )
        elif worker.running:
            _ok(
                table,
                "worker",
                f"{worker.worker_id} seen {age:.0f} s ago, {worker.tasks_run} tasks run",
            )
        else:
            problems += 1
            _problem(
                table,
                "worker",
                f"last heartbeat {age:.0f} s ago from {worker.worker_id}: start `clarion worker`",
            )
        overdue, late = watchdog.overdue_count(), settings.CLARION_OVERDUE_MINUTES
        if overdue:
            problems += 1
            _problem(
                table,
                "publishing",
                f"{overdue} post(s) due more than {late} min ago and not published: "
                "`clarion status` says why",
            )
        else:
            _ok(table, "publishing", f"no post overdue (due more than {late} min ago)")
    else:
        problems += 1
        _problem(table, "worker", "unknown until the database works")
    console.print(table)
    raise typer.Exit(1 if problems else 0)


@secrets_app.command("rotate")
@handles_errors
def rotate_secrets() -> None:
    """Re-encrypt every stored secret under the first key of CLARION_ENCRYPTION_KEYS.

    To rotate: put the new key first (CLARION_ENCRYPTION_KEYS=new,old), run this,
    then drop the old key.
    """
    django()
    from clarion.core.secrets import rotate_stored_secrets

    report = rotate_stored_secrets()
    console.print(f"Re-encrypted {report.rotated} stored secrets under the first key.")
    if report.unreadable:
        console.print(
            "[red]No key opens:[/] " + ", ".join(report.unreadable) + ". Add the key they were "
            "written with to CLARION_ENCRYPTION_KEYS and run this again, or set them anew.",
            highlight=False,
        )
        raise typer.Exit(1)


@secrets_app.command("new-key")
def new_key() -> None:
    """Print a new random key for CLARION_ENCRYPTION_KEYS."""
    from cryptography.fernet import Fernet

    print(Fernet.generate_key().decode("ascii"))


@handles_errors
def worker(
    queue: Annotated[
        list[str] | None, typer.Option(help="Queue to take tasks from (repeatable).")
    ] = None,
    interval: Annotated[float, typer.Option(help="Seconds to wait when the queue is empty.")] = 1.0,
    batch: Annotated[bool, typer.Option(help="Exit when the queue is empty.")] = False,
    max_tasks: Annotated[int | None, typer.Option(help="Exit after this many tasks.")] = None,
    concurrency: Annotated[
        int | None,
        typer.Option(
            min=1,
            max=64,
            help="Tasks run at once (default: twice CLARION_LLM_MAX_CONCURRENCY).",
        ),
    ] = None,
    quiet: Annotated[bool, typer.Option(help="Do not print a line per task.")] = False,
) -> None:
    """Run background tasks (and keep a heartbeat that `clarion doctor` reads)."""
    django()
    from clarion.core.worker import default_concurrency, run_worker

    slots = concurrency or default_concurrency()
    console.print(model_line(), highlight=False)
    console.print(
        f"Worker started on queues {', '.join(queue or ['default'])}, {slots} task(s) at once. "
        "Ctrl+C stops it.",
        highlight=False,
    )

    def say(line: str) -> None:
        console.print(f"{datetime.now():%H:%M:%S} {escape(line)}", highlight=False, soft_wrap=True)

    run_worker(
        queues=queue or ["default"],
        interval=interval,
        batch=batch,
        max_tasks=max_tasks,
        concurrency=slots,
        say=None if quiet else say,
    )


def default_workers() -> int:
    """Gunicorn's rule of thumb, two per CPU and one more, kept within 2..8: writing waits on
    the model, and each worker holds its own database connections."""
    return max(2, min(8, 2 * (os.cpu_count() or 1) + 1))


@handles_errors
def serve(
    host: Annotated[str, typer.Option(help="Address to listen on.")] = "127.0.0.1",
    port: Annotated[int, typer.Option(help="Port to listen on.")] = 8000,
    workers: Annotated[
        int | None,
        typer.Option(min=1, max=64, help="Worker processes (default: 2 × CPUs + 1, 2 to 8)."),
    ] = None,
    threads: Annotated[int, typer.Option(min=1, max=64, help="Threads per worker.")] = 4,
    dev: Annotated[
        bool, typer.Option("--dev", help="Django's development server instead (one process).")
    ] = False,
) -> None:
    """Run the web server: gunicorn (API at /api/, docs at /api/docs, admin at /admin/).

    Static files are served by WhiteNoise; `--dev` runs Django's development server.
    """
    django()
    from django.conf import settings
    from django.db import connections

    from clarion.accounts.services import has_users
    from clarion.cli.accounts import print_setup_link

    shown = "127.0.0.1" if host in ("0.0.0.0", "::", "[::]") else host
    shown = f"[{shown}]" if ":" in shown and not shown.startswith("[") else shown
    base = f"http://{shown}:{port}"
    console.print(model_line(), highlight=False)
    if not has_users():
        print_setup_link(base)
    console.print(
        f"Serving on {base}/  (sign in: {base}/sign-in/, API docs: {base}/api/docs); "
        f"answering for the host names {', '.join(settings.ALLOWED_HOSTS)} "
        "(CLARION_ALLOWED_HOSTS).",
        highlight=False,
        soft_wrap=True,
    )
    if dev:
        from django.core.management import call_command

        call_command("runserver", f"{host}:{port}", use_reloader=False, insecure_serving=True)
        return
    from clarion.core.server import run_gunicorn

    count = workers or default_workers()
    console.print(f"gunicorn: {count} worker(s) × {threads} thread(s). Ctrl+C stops it.")
    connections.close_all()  # the workers fork from this process: no shared connections
    run_gunicorn(bind=f"{host}:{port}", workers=count, threads=threads)


def manage(ctx: typer.Context) -> None:
    """Run a Django management command, e.g. `clarion manage createsuperuser`."""
    django()
    from django.core.management import execute_from_command_line

    execute_from_command_line(["clarion manage", *ctx.args])

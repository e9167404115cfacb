"""``clarion slogan``: one writer ↔ reviewer session, shown turn by turn."""

from __future__ import annotations

import json
from typing import TYPE_CHECKING, Annotated

import typer
from rich.markup import escape
from rich.panel import Panel

from clarion.cli import console, django, err_console, handles_errors, model_line

if TYPE_CHECKING:
    from clarion.writing.models import IterationSession
    from clarion.writing.services import SessionEvent


def register(app: typer.Typer) -> None:
    app.command("slogan")(slogan)


@handles_errors
def slogan(
    brief: Annotated[str, typer.Argument(help="What the slogan is for (1–1000 characters).")],
    brand: Annotated[str | None, typer.Option(help="Brand id or slug to write for.")] = None,
    platform: Annotated[
        str | None,
        typer.Option(help="Write a post for X, LinkedIn, Facebook, Mastodon or Bluesky."),
    ] = None,
    max_turns: Annotated[
        int | None, typer.Option(help="Writer ↔ reviewer turns, 1–10 (default 5).")
    ] = None,
    cta: Annotated[
        bool | None, typer.Option("--cta/--no-cta", help="Require a call to action.")
    ] = None,
    as_json: Annotated[
        bool, typer.Option("--json", help="Print the whole session as JSON.")
    ] = False,
) -> None:
    """Write a slogan (or a post with --platform) through the writer ↔ reviewer loop."""
    from clarion.writing.checks import validate_brief

    text = validate_brief(brief)  # before Django starts: a bad brief fails at once
    django()
    from clarion.brands.services import get_brand
    from clarion.writing.schemas import session_json
    from clarion.writing.services import run_session, start_session

    brand_obj = get_brand(brand) if brand else None
    session = start_session(
        brief=text,
        brand=brand_obj,
        platform=platform,
        kind="post" if platform else "slogan",
        max_turns=max_turns,
        require_cta=cta,
    )
    if as_json:
        err_console.print(model_line(), highlight=False)
        session = run_session(session)
        print(json.dumps(session_json(session), indent=2, ensure_ascii=False))
    else:
        console.print(model_line(), highlight=False)
        with console.status("The writer is drafting turn 1…") as status:

            def show(event: SessionEvent) -> None:
                turn = event.turn
                if event.kind == "written" and turn is not None:
                    console.print(
                        f"\n[bold]Turn {turn.turn_number}[/] [dim]writer[/]  {turn.text}",
                        highlight=False,
                    )
                    status.update(f"The reviewer is reading turn {turn.turn_number}…")
                elif event.kind == "reviewed" and turn is not None:
                    mark = (
                        "[green]approved[/]"
                        if turn.approved
                        else f"[yellow]{turn.decision or 'revise'}[/]"
                    )
                    console.print(
                        f"       [dim]reviewer[/] {mark} (score {turn.score}) {turn.feedback}",
                        highlight=False,
                    )
                    status.update(f"The writer is drafting turn {turn.turn_number + 1}…")

            session = run_session(session, on_event=show)
        _summary(session)
    if session.completion_reason == "error":
        raise typer.Exit(1)


def _summary(session: IterationSession) -> None:
    reason = {
        "approved": "[green]approved[/]",
        "max_turns": "[yellow]turns ran out: best draft kept, flagged for a human look[/]",
        "error": f"[red]error:[/] {escape(session.error)}",
        "cancelled": f"[yellow]{escape(session.error or 'cancelled')}[/]",
    }.get(session.completion_reason, session.completion_reason)
    body = session.final_text or "(no draft)"
    console.print(
        Panel(body, title=f"Final ({reason})", subtitle=f"session #{session.pk}", expand=False)
    )
    job = session.job
    if job is not None:
        job.refresh_from_db()
        console.print(
            f"[dim]{job.requests} model requests, {job.input_tokens} input + {job.output_tokens} output tokens. "
            f"Read it again: curl http://127.0.0.1:8000/api/slogans/{session.pk}[/]",
            highlight=False,
        )

"""The ``clarion`` command line."""

from __future__ import annotations

import sys
from collections.abc import Callable
from functools import wraps
from typing import Any, TypeVar

import typer
from rich.console import Console

console = Console()
err_console = Console(stderr=True)

F = TypeVar("F", bound=Callable[..., Any])

app: typer.Typer = typer.Typer(
    name="clarion",
    help="Clarion: an AI marketing team in a box.",
    no_args_is_help=True,
    add_completion=False,
    pretty_exceptions_enable=False,
)


def fail(message: str, code: int = 2) -> typer.Exit:
    """Print a one-line error and return the Exit to raise."""
    err_console.print(f"[bold red]error:[/] {message}", highlight=False, soft_wrap=True)
    return typer.Exit(code)


def handles_errors(func: F) -> F:
    """Turn Clarion's expected errors into one line on stderr and exit code 2."""

    @wraps(func)
    def wrapper(*args: Any, **kwargs: Any) -> Any:
        from clarion.conf import ConfigError
        from clarion.core.errors import (
            Conflict,
            InvalidInput,
            LLMConfigError,
            NotFound,
            Unavailable,
        )

        try:
            return func(*args, **kwargs)
        except (InvalidInput, NotFound, Conflict, Unavailable, LLMConfigError, ConfigError) as exc:
            raise fail(str(exc)) from None

    return wrapper  # type: ignore[return-value]


def django(migrate: bool = True) -> None:
    """Set Django up for a command (and bring the database up to date)."""
    from clarion import bootstrap
    from clarion.conf import ConfigError

    try:
        if migrate:
            bootstrap.ensure_database()
        else:
            bootstrap.setup()
    except ConfigError as exc:
        raise fail(f"configuration: {exc}") from None


def model_line() -> str:
    from clarion.agents.llm import choose_model

    choice = choose_model()
    return f"Model: [bold]{choice.spec}[/] ({choice.reason})"


from clarion.cli import brands, campaigns, plans, publishing, system, writing  # noqa: E402

app.add_typer(brands.app, name="brand")
app.add_typer(campaigns.app, name="campaign")
app.add_typer(plans.app, name="plan")
writing.register(app)
publishing.register(app)
system.register(app)


def main() -> None:
    try:
        app()
    except KeyboardInterrupt:
        err_console.print("interrupted")
        sys.exit(130)

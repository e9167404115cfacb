"""The ``clarion`` command line."""

from __future__ import annotations

import sys
from collections.abc import Callable, Mapping
from functools import wraps
from typing import Any, TypeVar, overload

import typer
from rich.console import Console
from rich.markup import escape

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


# Where a command creates something: which workspace it belongs to.
WORKSPACE_OPTION = typer.Option(
    "--workspace",
    help="The workspace (slug or id); default: $CLARION_WORKSPACE, or the only one there is.",
)


def fail(message: str, code: int = 2) -> typer.Exit:
    """Print a one-line error and return the Exit to raise; ``message`` is plain text."""
    err_console.print(f"[bold red]error:[/] {escape(message)}", highlight=False, soft_wrap=True)
    return typer.Exit(code)


def option_name(command: Callable[..., Any], field: str, renames: Mapping[str, str]) -> str:
    """How ``command`` spells ``field`` on the command line: ``--phase`` for an option,
    ``DIRECTION`` for an argument (Typer's own spelling); ``field`` itself when the command
    has no such parameter (a field of a brief file, say).

    ``renames`` maps a service's field to the command's parameter (``phase_num`` → ``phase``).
    """
    from typer.models import ArgumentInfo, OptionInfo
    from typer.utils import get_params_from_function

    name = renames.get(field, field)
    param = get_params_from_function(command).get(name)
    if param is None:
        return field
    info = param.default
    if isinstance(info, OptionInfo):
        declared = [d.split("/")[0] for d in info.param_decls or () if d.startswith("--")]
        return declared[0] if declared else f"--{name.replace('_', '-')}"
    if isinstance(info, ArgumentInfo) and info.metavar:
        return info.metavar
    return name.upper()


@overload
def handles_errors(func: F, /) -> F: ...


@overload
def handles_errors(*, fields: Mapping[str, str]) -> Callable[[F], F]: ...


def handles_errors(
    func: F | None = None, /, *, fields: Mapping[str, str] | None = None
) -> F | Callable[[F], F]:
    """Turn Clarion's expected errors into one line on stderr and exit code 2.

    An invalid input names the command's option (``--phase``), not the service's
    field: a parameter of the same name is found on its own, ``fields`` maps the
    others (``@handles_errors(fields={"phase_num": "phase"})``).
    """
    if func is None:
        return lambda f: _handling_errors(f, fields)
    return _handling_errors(func, fields)


def _handling_errors(func: F, fields: Mapping[str, str] | None) -> F:
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
        except InvalidInput as exc:
            raise fail(f"{option_name(func, exc.field, fields or {})}: {exc.message}") from None
        except (NotFound, Conflict, Unavailable, LLMConfigError, ConfigError) as exc:
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


@app.callback()
def _from_the_terminal(ctx: typer.Context) -> None:
    """Clarion: an AI marketing team in a box."""
    from clarion.audit.context import acting, terminal_actor

    # What a command records in the audit log is done from the terminal, by its OS user.
    ctx.with_resource(acting(terminal_actor()))


from clarion.cli import (  # noqa: E402
    accounts,
    agents,
    audit,
    brands,
    campaigns,
    experiments,
    jobs,
    leads,
    plans,
    publishing,
    system,
    webhooks,
    writing,
)

app.add_typer(brands.app, name="brand")
app.add_typer(campaigns.app, name="campaign")
app.add_typer(plans.app, name="plan")
writing.register(app)
publishing.register(app)
system.register(app)
accounts.register(app)
audit.register(app)
webhooks.register(app)
leads.register(app)
experiments.register(app)
agents.register(app)
jobs.register(app)


def main() -> None:
    try:
        app()
    except KeyboardInterrupt:
        err_console.print("interrupted")
        sys.exit(130)

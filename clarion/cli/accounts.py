"""``clarion user …`` and ``clarion token …``: people who sign in, and their API tokens."""

from __future__ import annotations

import json
from datetime import datetime, timedelta
from typing import TYPE_CHECKING, Annotated

import typer
from rich.markup import escape
from rich.table import Table

from clarion.cli import console, django, fail, handles_errors

if TYPE_CHECKING:
    from django.contrib.auth.models import User

users_app: typer.Typer = typer.Typer(
    help="People who sign in to the web pages and the API.", no_args_is_help=True
)
tokens_app: typer.Typer = typer.Typer(
    help="API tokens: `Authorization: Bearer <token>` for /api/.", no_args_is_help=True
)

DEFAULT_URL = "http://127.0.0.1:8000"


def register(app: typer.Typer) -> None:
    app.add_typer(users_app, name="user")
    app.add_typer(tokens_app, name="token")


def setup_link(base_url: str) -> str:
    from django.urls import reverse

    from clarion.accounts.services import make_setup_token

    return base_url.rstrip("/") + reverse("accounts:set-up", args=[make_setup_token()])


def print_setup_link(base_url: str) -> None:
    from django.conf import settings

    console.print(
        "[bold]No one can sign in yet.[/] Create the first owner in the browser (valid "
        f"{settings.CLARION_SETUP_LINK_HOURS} h, until an owner exists):\n  "
        f"{setup_link(base_url)}\nor in the terminal: clarion user create EMAIL",
        highlight=False,
        soft_wrap=True,
    )


@users_app.command("create")
@handles_errors
def create_user(
    email: Annotated[str, typer.Argument(help="The address the person signs in with.")],
    role: Annotated[
        str | None,
        typer.Option(help="owner, editor or viewer (default: owner for the first person)."),
    ] = None,
) -> None:
    """Create a person; asks for the password twice (or reads two lines from stdin)."""
    django()
    from clarion.accounts.services import check_password, create_user, normalize_email, role_of

    email = normalize_email(email)
    password = typer.prompt("Password", hide_input=True, confirmation_prompt=True)
    check_password(password, email=email)
    user = create_user(email=email, password=password, role=role)
    console.print(
        f"Created [bold]{escape(user.email)}[/] ({role_of(user)}). Sign in at /sign-in/; "
        f"make an API token with `clarion token create NAME --user {user.email}`.",
        highlight=False,
    )


@users_app.command("list")
@handles_errors
def list_users() -> None:
    """List the people who can sign in, with their roles."""
    django()
    from django.contrib.auth import get_user_model

    from clarion.accounts.services import role_of

    table = Table("email", "role", "active", "last sign-in")
    for user in get_user_model().objects.order_by("username"):
        table.add_row(
            escape(user.username),
            role_of(user) or "-",
            "yes" if user.is_active else "no",
            _when(user.last_login),
        )
    console.print(table)


@users_app.command("setup-link")
@handles_errors
def show_setup_link(
    url: Annotated[str, typer.Option(help="Where Clarion is served.")] = DEFAULT_URL,
) -> None:
    """Print a link that creates the first owner in the browser (only while there is none)."""
    django()
    from clarion.accounts.services import has_users

    if has_users():
        raise fail("Clarion has users already: sign in, or add people with `clarion user create`")
    print_setup_link(url)


@users_app.command("unlock")
@handles_errors
def unlock(email: Annotated[str, typer.Argument(help="The address locked out.")]) -> None:
    """Lift the sign-in lock-out after too many failed attempts."""
    django()
    from axes.utils import reset

    count = reset(username=email.strip().lower())
    console.print(f"Cleared {count} lock-out record(s) for {escape(email)}.", highlight=False)


def _when(moment: datetime | None) -> str:
    return f"{moment:%Y-%m-%d %H:%M}" if moment is not None else "never"


@tokens_app.command("create")
@handles_errors(fields={"expires_in_days": "expires_in_days"})
def create_token(
    name: Annotated[str, typer.Argument(help="What the token is for, e.g. `ci` or `zapier`.")],
    user: Annotated[
        str | None, typer.Option(help="Whose token (default: the only person there is).")
    ] = None,
    expires_in_days: Annotated[
        int, typer.Option(min=0, help="Days until it expires; 0: never.")
    ] = 90,
) -> None:
    """Make an API token and print it once: only its hash is kept."""
    django()
    from clarion.accounts import services

    owner = _user(user)
    token, raw = services.create_token(
        user=owner,
        name=name,
        expires_in=timedelta(days=expires_in_days) if expires_in_days else None,
    )
    console.print(
        f"Created API token {token.pk} [bold]{escape(token.name)}[/] for {escape(owner.email)}"
        f" (expires {_when(token.expires_at)}). It is shown only now:",
        highlight=False,
    )
    print(raw)


def _user(email: str | None) -> User:
    from django.contrib.auth import get_user_model

    from clarion.accounts.services import get_user

    if email is not None:
        return get_user(email)
    users = list(get_user_model().objects.all()[:2])
    if len(users) == 1:
        return users[0]
    if not users:
        raise fail("no one can sign in yet: `clarion user create EMAIL` first")
    raise fail("name the token's owner: --user EMAIL")


@tokens_app.command("list")
@handles_errors
def list_tokens(
    user: Annotated[str | None, typer.Option(help="Only this person's tokens.")] = None,
    as_json: Annotated[bool, typer.Option("--json", help="Print the tokens as JSON.")] = False,
) -> None:
    """List API tokens (never the tokens themselves: their first characters)."""
    django()
    from clarion.accounts import services
    from clarion.accounts.schemas import TokenOut

    tokens = services.list_tokens(user=services.get_user(user) if user else None)
    if as_json:
        rows = [
            {**TokenOut.model_validate(t).model_dump(mode="json"), "user": t.user.email}
            for t in tokens
        ]
        print(json.dumps(rows, indent=2, ensure_ascii=False))
        return
    table = Table("id", "token", "name", "user", "last used", "expires", "state")
    for token in tokens:
        table.add_row(
            str(token.pk),
            f"{token.prefix}…",
            escape(token.name),
            escape(token.user.email),
            _when(token.last_used_at),
            _when(token.expires_at),
            token.state,
        )
    console.print(table)


@tokens_app.command("revoke")
@handles_errors
def revoke_token(
    token: Annotated[str, typer.Argument(help="The token's id or first characters.")],
) -> None:
    """Revoke an API token: it stops working at once (and stays listed)."""
    django()
    from clarion.accounts import services

    found = services.revoke_token(token=services.get_token(token))
    console.print(
        f"Revoked API token {found.pk} ({found.prefix}…, {escape(found.name)}).", highlight=False
    )

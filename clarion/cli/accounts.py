"""``clarion user …``, ``clarion workspace …`` and ``clarion token …``: people who sign in,
the workspaces they work in, and their API tokens."""

from __future__ import annotations

import json
from datetime import datetime, timedelta
from typing import TYPE_CHECKING, Annotated

import typer
from rich.markup import escape
from rich.table import Table

from clarion.cli import WORKSPACE_OPTION, console, django, fail, handles_errors

if TYPE_CHECKING:
    from django.contrib.auth.models import User

users_app: typer.Typer = typer.Typer(
    help="People who sign in to the web pages and the API.", no_args_is_help=True
)
workspaces_app: typer.Typer = typer.Typer(
    help="Workspaces (a team or a client) and their members' roles.", no_args_is_help=True
)
tokens_app: typer.Typer = typer.Typer(
    help="API tokens: `Authorization: Bearer <token>` for /api/.", no_args_is_help=True
)

DEFAULT_URL = "http://127.0.0.1:8000"


def register(app: typer.Typer) -> None:
    app.add_typer(users_app, name="user")
    app.add_typer(workspaces_app, name="workspace")
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
    workspace: Annotated[str | None, WORKSPACE_OPTION] = None,
) -> None:
    """Create a person in a workspace; asks for the password twice (or reads two lines
    from stdin). `clarion workspace add-member` gives them roles in other workspaces."""
    django()
    from clarion.accounts.services import check_password, create_user, normalize_email, role_of
    from clarion.accounts.workspaces import check_role, cli_workspace

    email = normalize_email(email)
    space = cli_workspace(workspace)
    if role is not None:
        check_role(role)
    password = typer.prompt("Password", hide_input=True, confirmation_prompt=True)
    check_password(password, email=email)
    user = create_user(email=email, password=password, role=role, workspace=space)
    console.print(
        f"Created [bold]{escape(user.email)}[/] ({role_of(user, space)} of "
        f"{escape(space.name)}). Sign in at /sign-in/; make an API token with "
        f"`clarion token create NAME --user {user.email}`.",
        highlight=False,
    )


@users_app.command("list")
@handles_errors
def list_users() -> None:
    """List the people who can sign in, with their role in each workspace."""
    django()
    from django.contrib.auth import get_user_model

    table = Table("email", "workspaces (role)", "active", "last sign-in")
    users = get_user_model().objects.prefetch_related("memberships__workspace")
    for user in users.order_by("username"):
        roles = ", ".join(f"{m.workspace.slug} ({m.role})" for m in user.memberships.all())
        table.add_row(
            escape(user.username),
            escape(roles) or "-",
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
    workspace: Annotated[
        str | None,
        typer.Option(help="The workspace it acts in (default: the person's first)."),
    ] = None,
) -> None:
    """Make an API token and print it once: only its hash is kept."""
    django()
    from clarion.accounts import services
    from clarion.accounts.workspaces import get_workspace

    owner = _user(user)
    token, raw = services.create_token(
        user=owner,
        workspace=get_workspace(workspace) if workspace else None,
        name=name,
        expires_in=timedelta(days=expires_in_days) if expires_in_days else None,
    )
    console.print(
        f"Created API token {token.pk} [bold]{escape(token.name)}[/] for {escape(owner.email)}"
        f" in {escape(token.workspace.name)} (expires {_when(token.expires_at)}). "
        "It is shown only now:",
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
            {
                **TokenOut.model_validate(t).model_dump(mode="json"),
                "user": t.user.email,
                "workspace": t.workspace.slug,
            }
            for t in tokens
        ]
        print(json.dumps(rows, indent=2, ensure_ascii=False))
        return
    table = Table("id", "token", "name", "user", "workspace", "last used", "expires", "state")
    for token in tokens:
        table.add_row(
            str(token.pk),
            f"{token.prefix}…",
            escape(token.name),
            escape(token.user.email),
            token.workspace.slug,
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


# --- Workspaces ---


@workspaces_app.command("create")
@handles_errors
def create_workspace(
    name: Annotated[str, typer.Argument(help="What people call it: a team, a client.")],
    owner: Annotated[
        str | None, typer.Option(help="The e-mail address of its first owner.")
    ] = None,
) -> None:
    """Create a workspace (with its first owner)."""
    django()
    from clarion.accounts import services, workspaces

    user = services.get_user(owner) if owner else None
    space = workspaces.create_workspace(name=name, owner=user)
    who = f", owned by {escape(user.email)}" if user else ""
    console.print(
        f"Created workspace [bold]{escape(space.name)}[/] (slug [cyan]{space.slug}[/]){who}.",
        highlight=False,
    )


@workspaces_app.command("list")
@handles_errors
def list_workspaces(
    as_json: Annotated[bool, typer.Option("--json", help="Print the workspaces as JSON.")] = False,
) -> None:
    """List the workspaces, with their members and brands."""
    django()
    from django.db.models import Count

    from clarion.accounts.models import Workspace

    spaces = Workspace.objects.annotate(
        people=Count("memberships", distinct=True), brand_count=Count("brands", distinct=True)
    ).order_by("name", "pk")
    if as_json:
        rows = [
            {
                "id": w.pk,
                "slug": w.slug,
                "name": w.name,
                "members": w.people,
                "brands": w.brand_count,
            }
            for w in spaces
        ]
        print(json.dumps(rows, indent=2, ensure_ascii=False))
        return
    table = Table("id", "slug", "name", "members", "brands")
    for w in spaces:
        table.add_row(str(w.pk), w.slug, escape(w.name), str(w.people), str(w.brand_count))
    console.print(table)


@workspaces_app.command("members")
@handles_errors
def list_members(
    workspace: Annotated[str, typer.Argument(help="The workspace's slug or id.")],
) -> None:
    """List a workspace's members and their roles."""
    django()
    from clarion.accounts import workspaces

    table = Table("id", "email", "role", "since")
    for m in workspaces.members_of(workspaces.get_workspace(workspace)):
        table.add_row(str(m.pk), escape(m.user.email), m.role, _when(m.created_at))
    console.print(table)


@workspaces_app.command("add-member")
@handles_errors
def add_member(
    workspace: Annotated[str, typer.Argument(help="The workspace's slug or id.")],
    email: Annotated[str, typer.Argument(help="A person who can sign in.")],
    role: Annotated[str, typer.Option(help="owner, editor or viewer.")] = "editor",
) -> None:
    """Give a person a role in a workspace."""
    django()
    from clarion.accounts import services, workspaces

    space = workspaces.get_workspace(workspace)
    member = workspaces.add_member(workspace=space, user=services.get_user(email), role=role)
    console.print(
        f"{escape(member.user.email)} is now {member.role} of {escape(space.name)}.",
        highlight=False,
    )


@workspaces_app.command("set-role")
@handles_errors
def set_role(
    workspace: Annotated[str, typer.Argument(help="The workspace's slug or id.")],
    email: Annotated[str, typer.Argument(help="The member's e-mail address.")],
    role: Annotated[str, typer.Argument(help="owner, editor or viewer.")],
) -> None:
    """Change a member's role (a workspace keeps at least one owner)."""
    django()
    from clarion.accounts import workspaces

    space = workspaces.get_workspace(workspace)
    member = workspaces.set_role(membership=workspaces.get_member(space, email), role=role)
    console.print(
        f"{escape(member.user.email)} is now {member.role} of {escape(space.name)}.",
        highlight=False,
    )


@workspaces_app.command("remove-member")
@handles_errors
def remove_member(
    workspace: Annotated[str, typer.Argument(help="The workspace's slug or id.")],
    email: Annotated[str, typer.Argument(help="The member's e-mail address.")],
) -> None:
    """Take a person out of a workspace; their tokens for it stop working."""
    django()
    from clarion.accounts import workspaces

    space = workspaces.get_workspace(workspace)
    workspaces.remove_member(membership=workspaces.get_member(space, email))
    console.print(
        f"{escape(email)} is no longer a member of {escape(space.name)}.", highlight=False
    )

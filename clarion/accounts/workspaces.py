"""Workspaces and their members: create, join, change roles, leave.

A workspace owns brands and, through them, every campaign, plan, publication, job
and session made for them. Every person belongs to at least one; an owner manages
its members, and a workspace always keeps at least one owner.
"""

from __future__ import annotations

import os

from django.contrib.auth.models import User
from django.db import IntegrityError, transaction
from django.utils.text import slugify

from clarion.accounts.models import RANK, Membership, Role, Workspace
from clarion.audit import services as audit
from clarion.core.errors import Conflict, InvalidInput, NotFound

DEFAULT_SLUG = "default"
DEFAULT_NAME = "Default"
# The workspace the CLI acts in when there are several (or --workspace).
WORKSPACE_ENV = "CLARION_WORKSPACE"


def default_workspace() -> Workspace:
    """The installation's first workspace: the demo's, and the first owner's."""
    workspace = Workspace.objects.filter(slug=DEFAULT_SLUG).first()
    if workspace is not None:
        return workspace
    try:
        with transaction.atomic():
            return Workspace.objects.create(slug=DEFAULT_SLUG, name=DEFAULT_NAME)
    except IntegrityError:
        return Workspace.objects.get(slug=DEFAULT_SLUG)


def _unique_slug(name: str) -> str:
    base = slugify(name)[:70] or "workspace"
    slug, n = base, 2
    while Workspace.objects.filter(slug=slug).exists():
        slug, n = f"{base}-{n}", n + 1
    return slug


def check_role(role: str) -> str:
    if role not in Role.values:
        raise InvalidInput("role", f"must be one of {', '.join(Role.values)}, got {role!r}")
    return role


@transaction.atomic
def create_workspace(*, name: str, owner: User | None = None) -> Workspace:
    """A new workspace; ``owner`` (when given) becomes its first owner."""
    name = name.strip()
    if not name:
        raise InvalidInput("name", "must not be empty")
    if len(name) > 100:
        raise InvalidInput("name", "must be at most 100 characters")
    workspace = Workspace.objects.create(name=name, slug=_unique_slug(name))
    if owner is not None:
        Membership.objects.create(workspace=workspace, user=owner, role=Role.OWNER)
    audit.record(action=audit.WORKSPACE_CREATE, target=workspace, workspace=workspace)
    return workspace


def get_workspace(ref: str | int) -> Workspace:
    """A workspace by slug or id."""
    text = str(ref).strip()
    found = Workspace.objects.filter(slug=text).first()
    if found is None and text.isascii() and text.isdigit() and len(text) < 19:
        found = Workspace.objects.filter(pk=int(text)).first()
    if found is None:
        raise NotFound(f"no workspace {text!r}")
    return found


def memberships_of(user: User) -> list[Membership]:
    """The workspaces ``user`` belongs to, with the role in each, by workspace name."""
    return list(Membership.objects.select_related("workspace").filter(user=user))


def membership_in(workspace: Workspace, user: User) -> Membership | None:
    return (
        Membership.objects.select_related("workspace")
        .filter(workspace=workspace, user=user)
        .first()
    )


def members_of(workspace: Workspace) -> list[Membership]:
    return list(
        Membership.objects.select_related("user").filter(workspace=workspace).order_by("pk")
    )


@transaction.atomic
def add_member(*, workspace: Workspace, user: User, role: str = Role.EDITOR) -> Membership:
    check_role(role)
    if Membership.objects.filter(workspace=workspace, user=user).exists():
        raise Conflict(f"{user.email} is a member of {workspace.name} already")
    membership = Membership.objects.create(workspace=workspace, user=user, role=role)
    audit.record(
        action=audit.MEMBER_ADD,
        target=membership,
        workspace=workspace,
        label=user.email,
        details={"role": role},
    )
    return membership


def _owners_left(workspace: Workspace, *, without: Membership) -> bool:
    owners = Membership.objects.select_for_update().filter(workspace=workspace, role=Role.OWNER)
    return owners.exclude(pk=without.pk).exists()


@transaction.atomic
def set_role(*, membership: Membership, role: str) -> Membership:
    """Give a member another role; the last owner cannot step down."""
    check_role(role)
    stepping_down = RANK[Role(role)] < RANK[Role.OWNER] and membership.role == Role.OWNER
    if stepping_down and not _owners_left(membership.workspace, without=membership):
        raise Conflict(f"{membership.user.email} is the last owner of this workspace")
    before = membership.role
    membership.role = role
    membership.save(update_fields=["role"])
    audit.record(
        action=audit.MEMBER_ROLE,
        target=membership,
        workspace=membership.workspace_id,
        label=membership.user.email,
        details={"from": before, "to": role},
    )
    return membership


@transaction.atomic
def remove_member(*, membership: Membership) -> None:
    """Take a person out of a workspace (their tokens for it stop working too)."""
    if membership.role == Role.OWNER and not _owners_left(membership.workspace, without=membership):
        raise Conflict(f"{membership.user.email} is the last owner of this workspace")
    membership.user.api_tokens.filter(workspace=membership.workspace).delete()
    audit.record(
        action=audit.MEMBER_REMOVE,
        target=membership,
        workspace=membership.workspace_id,
        label=membership.user.email,
        details={"role": membership.role},
    )
    membership.delete()


def get_member(workspace: Workspace, ref: str | int) -> Membership:
    """A member of ``workspace`` by membership id or e-mail address."""
    text = str(ref).strip().lower()
    members = Membership.objects.select_related("user", "workspace").filter(workspace=workspace)
    found = (
        members.filter(pk=int(text)).first()
        if text.isdigit() and len(text) < 19
        else members.filter(user__username=text).first()
    )
    if found is None:
        raise NotFound(f"no member {text} in this workspace")
    return found


def cli_workspace(ref: str | None = None) -> Workspace:
    """The workspace a terminal command acts in.

    ``--workspace`` (or ``CLARION_WORKSPACE``) names it; without either, the only
    workspace there is (the default one on a fresh home).
    """
    ref = ref or os.environ.get(WORKSPACE_ENV) or None
    if ref:
        return get_workspace(ref)
    workspaces = list(Workspace.objects.all()[:2])
    if len(workspaces) == 1:
        return workspaces[0]
    if not workspaces:
        return default_workspace()
    raise InvalidInput(
        "workspace",
        "there are several workspaces: choose one with --workspace SLUG or "
        f"{WORKSPACE_ENV} (`clarion workspace list` shows them)",
    )

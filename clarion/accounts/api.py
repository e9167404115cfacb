"""Who am I, my workspaces and their members, my API tokens (``/api/me``, …)."""

from __future__ import annotations

from datetime import timedelta
from typing import Any

from django.http import HttpRequest
from ninja import Router, Status

from clarion.accounts import services, workspaces
from clarion.accounts.auth import (
    SESSION_WORKSPACE,
    membership_of,
    require_role,
    token_of,
    workspace_of,
)
from clarion.accounts.models import ApiToken, Membership, Role
from clarion.accounts.schemas import (
    MemberIn,
    MemberOut,
    MeOut,
    NewTokenOut,
    RoleIn,
    SwitchIn,
    TokenIn,
    TokenOut,
    WorkspaceIn,
    WorkspaceOut,
)
from clarion.api.schemas import CONFLICT, FORBIDDEN, INVALID, NOT_FOUND
from clarion.core.errors import Conflict, NotFound

router = Router(tags=["accounts"])


@router.get("/me", response=MeOut)
def show_me(request: HttpRequest) -> dict[str, Any]:
    membership = membership_of(request)
    return {
        "email": membership.user.email if membership.user_id else "",
        "workspace": membership.workspace.slug,
        "role": membership.role,
        "api_token": token_of(request),
    }


def _workspace_out(membership: Membership, current: int) -> dict[str, Any]:
    workspace = membership.workspace
    return {
        "id": workspace.pk,
        "slug": workspace.slug,
        "name": workspace.name,
        "role": membership.role,
        "current": workspace.pk == current,
    }


@router.get("/workspaces", response=list[WorkspaceOut])
def list_workspaces(request: HttpRequest) -> list[dict[str, Any]]:
    """The workspaces you belong to, with your role in each."""
    current = workspace_of(request).pk
    mine = workspaces.memberships_of(request.auth)  # type: ignore[attr-defined]
    return [_workspace_out(m, current) for m in mine]


@router.post("/workspaces", response={201: WorkspaceOut, **INVALID})
def create_workspace(request: HttpRequest, payload: WorkspaceIn) -> Status:
    """A new workspace, with you as its owner (switch to it with /workspaces/current)."""
    user = request.auth  # type: ignore[attr-defined]
    workspace = workspaces.create_workspace(name=payload.name, owner=user)
    membership = workspaces.membership_in(workspace, user)
    assert membership is not None
    return Status(201, _workspace_out(membership, workspace_of(request).pk))


@router.post(
    "/workspaces/current", response={200: WorkspaceOut, **NOT_FOUND, **CONFLICT, **INVALID}
)
def switch_workspace(request: HttpRequest, payload: SwitchIn) -> dict[str, Any]:
    """Work in another of your workspaces from now on (a signed-in browser; a token always
    acts in the workspace it was made in)."""
    if token_of(request) is not None:
        raise Conflict("an API token acts in the workspace it was made in: make one there")
    user = request.auth  # type: ignore[attr-defined]
    try:
        membership = workspaces.membership_in(workspaces.get_workspace(payload.workspace), user)
    except NotFound:
        membership = None
    if membership is None:
        raise NotFound(f"you are not a member of a workspace {payload.workspace!r}")
    request.session[SESSION_WORKSPACE] = membership.workspace_id
    return _workspace_out(membership, membership.workspace_id)


def _member_out(membership: Membership) -> dict[str, Any]:
    return {
        "id": membership.pk,
        "email": membership.user.email,
        "role": membership.role,
        "created_at": membership.created_at,
    }


@router.get("/workspace/members", response=list[MemberOut])
def list_members(request: HttpRequest) -> list[dict[str, Any]]:
    """The people of this workspace and their roles."""
    return [_member_out(m) for m in workspaces.members_of(workspace_of(request))]


@router.post(
    "/workspace/members", response={201: MemberOut, **FORBIDDEN, **NOT_FOUND, **CONFLICT, **INVALID}
)
def add_member(request: HttpRequest, payload: MemberIn) -> Status:
    """Owners: give a person who can sign in a role in this workspace."""
    require_role(request, Role.OWNER)
    user = services.get_user(payload.email)
    membership = workspaces.add_member(
        workspace=workspace_of(request), user=user, role=payload.role
    )
    return Status(201, _member_out(membership))


@router.patch(
    "/workspace/members/{member_id}",
    response={200: MemberOut, **FORBIDDEN, **NOT_FOUND, **CONFLICT, **INVALID},
)
def change_role(request: HttpRequest, member_id: int, payload: RoleIn) -> dict[str, Any]:
    """Owners: change a member's role (the last owner cannot step down)."""
    require_role(request, Role.OWNER)
    membership = workspaces.get_member(workspace_of(request), member_id)
    return _member_out(workspaces.set_role(membership=membership, role=payload.role))


@router.delete(
    "/workspace/members/{member_id}",
    response={204: None, **FORBIDDEN, **NOT_FOUND, **CONFLICT, **INVALID},
)
def remove_member(request: HttpRequest, member_id: int) -> Status:
    """Owners: take a person out of this workspace; their tokens for it stop working."""
    require_role(request, Role.OWNER)
    workspaces.remove_member(membership=workspaces.get_member(workspace_of(request), member_id))
    return Status(204, None)


@router.get("/tokens", response=list[TokenOut])
def list_tokens(request: HttpRequest) -> list[ApiToken]:
    """Your API tokens for this workspace."""
    user = request.auth  # type: ignore[attr-defined]
    return services.list_tokens(user=user, workspace=workspace_of(request))


@router.post("/tokens", response={201: NewTokenOut, **INVALID})
def create_token(request: HttpRequest, payload: TokenIn) -> Status:
    """A token acting as you in this workspace, with your role here; shown only now."""
    days = payload.expires_in_days
    token, raw = services.create_token(
        user=request.auth,  # type: ignore[attr-defined]
        workspace=workspace_of(request),
        name=payload.name,
        expires_in=timedelta(days=days) if days else None,
    )
    return Status(201, {**TokenOut.model_validate(token).model_dump(), "token": raw})


@router.post("/tokens/{token_id}/revoke", response={200: TokenOut, **NOT_FOUND, **INVALID})
def revoke_token(request: HttpRequest, token_id: int) -> ApiToken:
    token = services.get_token(str(token_id), user=request.auth)  # type: ignore[attr-defined]
    return services.revoke_token(token=token)

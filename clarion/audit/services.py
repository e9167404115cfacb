"""Writing and reading the audit log.

Services call ``record`` after they changed something a person asked for; who
asked and from where come from ``clarion.audit.context``, set by the interface.
"""

from __future__ import annotations

from datetime import datetime
from typing import Any

from django.db.models import Model, Q, QuerySet

from clarion.accounts.models import Membership, Workspace
from clarion.accounts.scope import get_scoped, scoped
from clarion.audit.context import current_actor
from clarion.audit.models import AuditEvent

# What is recorded, by name.
SIGN_IN = "user.sign_in"
SIGN_IN_FAILED = "user.sign_in_failed"
SIGN_OUT = "user.sign_out"
APPROVE = "publication.approve"
REJECT = "publication.reject"
REGENERATE = "campaign.regenerate"
DAILY_RUN = "daily_run.start"
RETRY = "daily_run.retry"
TOKEN_CREATE = "token.create"
TOKEN_REVOKE = "token.revoke"
MEMBER_ADD = "member.add"
MEMBER_ROLE = "member.change_role"
MEMBER_REMOVE = "member.remove"
WORKSPACE_CREATE = "workspace.create"
WEBHOOK_CREATE = "webhook.create"
WEBHOOK_UPDATE = "webhook.update"
WEBHOOK_DELETE = "webhook.delete"
WEBHOOK_TEST = "webhook.test"

# Installation-wide events an owner sees when they concern a member of their workspace.
PERSONAL = (SIGN_IN, SIGN_IN_FAILED, SIGN_OUT)


def record(
    *,
    action: str,
    target: Model | None = None,
    workspace: Workspace | int | None = None,
    details: dict[str, Any] | None = None,
    label: str | None = None,
    actor_email: str | None = None,
) -> AuditEvent:
    """Keep one audit row for ``action`` on ``target`` (one INSERT).

    ``actor_email`` names the person when the interface cannot know them yet (a
    failed sign-in names the address that was tried).
    """
    actor = current_actor()
    workspace_id = workspace.pk if isinstance(workspace, Workspace) else workspace
    return AuditEvent.objects.create(
        workspace_id=workspace_id,
        actor_email=(actor.email if actor_email is None else actor_email)[:254],
        via=actor.via,
        token_prefix=actor.token_prefix,
        ip=actor.ip,
        action=action,
        target_type=target._meta.label if target is not None else "",
        target_id=str(target.pk) if target is not None and target.pk is not None else "",
        target_label=(label if label is not None else str(target or ""))[:200],
        details=details or {},
    )


def events_of(
    workspace: Workspace,
    *,
    action: str | None = None,
    actor: str | None = None,
    since: datetime | None = None,
    until: datetime | None = None,
) -> QuerySet[AuditEvent]:
    """A workspace's audit log, newest first, with its members' sign-ins and sign-outs."""
    members = Membership.objects.filter(workspace=workspace).values("user__username")
    personal = AuditEvent.objects.filter(
        workspace__isnull=True, action__in=PERSONAL, actor_email__in=members
    )
    rows = scoped(AuditEvent, workspace) | personal
    return narrowed(rows, action=action, actor=actor, since=since, until=until)


def narrowed(
    rows: QuerySet[AuditEvent],
    *,
    action: str | None = None,
    actor: str | None = None,
    since: datetime | None = None,
    until: datetime | None = None,
) -> QuerySet[AuditEvent]:
    """``action`` matches a name or a family (``webhook`` or ``webhook.``: every webhook change)."""
    if action:
        family = action.rstrip(".")
        rows = rows.filter(Q(action=family) | Q(action__startswith=family + "."))
    if actor:
        rows = rows.filter(actor_email__iexact=actor.strip())
    if since is not None:
        rows = rows.filter(created_at__gte=since)
    if until is not None:
        rows = rows.filter(created_at__lt=until)
    return rows.order_by("-created_at", "-pk")


def get_event(workspace: Workspace, event_id: int) -> AuditEvent:
    return get_scoped(AuditEvent, workspace, missing=f"no audit event {event_id}", pk=event_id)

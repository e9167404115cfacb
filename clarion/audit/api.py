"""The audit log of the request's workspace (``/api/audit``): owners only."""

# No `from __future__ import annotations`: Ninja's pagination rebuilds the signature of
# ``list_audit_events`` and must see its query schema as a class, not as a string.

import re
from datetime import UTC, datetime
from typing import Annotated, Any

from django.db.models import QuerySet
from django.http import HttpRequest
from ninja import Field, Query, Router, Schema
from ninja.pagination import paginate
from pydantic import AfterValidator, BeforeValidator

from clarion.accounts.auth import require_role, workspace_of
from clarion.accounts.models import Role
from clarion.api.pagination import Pages
from clarion.api.schemas import FORBIDDEN, INVALID, NOT_FOUND
from clarion.audit import services
from clarion.audit.models import AuditEvent
from clarion.core.text import EMAIL_PATTERN

router = Router(tags=["audit"])


class AuditEventOut(Schema):
    id: int
    created_at: datetime
    action: str
    actor_email: str = Field(description="Who acted (the OS user for the command line).")
    via: str = Field(description="web, api_token, cli, worker or other.")
    token_prefix: str = Field(description="The start of the API token used, if any.")
    ip: str | None
    target_type: str
    target_id: str
    target_label: str
    details: dict[str, Any]


def _rfc3339(value: object) -> object:
    """A time only as RFC 3339 text with its offset (``2026-03-10T09:00:00Z``), as the
    schema's ``format: date-time`` says: no bare dates, no numbers."""
    if not (isinstance(value, str) and RFC3339.fullmatch(value)):
        raise ValueError("must be a time as YYYY-MM-DDTHH:MM:SS with Z or an offset")
    return value


RFC3339 = re.compile(r"\d{4}-\d{2}-\d{2}[Tt]\d{2}:\d{2}:\d{2}(\.\d+)?([Zz]|[+-]\d{2}:\d{2})")


def _in_utc(value: datetime) -> datetime:
    """The same moment in UTC: a database may refuse an unusual offset (``+19:20``)."""
    try:
        return value.astimezone(UTC)
    except OverflowError:
        raise ValueError("is outside the years a time can have") from None


Moment = Annotated[datetime, BeforeValidator(_rfc3339), AfterValidator(_in_utc)]


class AuditQuery(Schema):
    action: str | None = Field(
        default=None,
        max_length=64,
        pattern=r"^[a-z][a-z_]*(\.[a-z_]+)*$",
        description="An action (`token.create`) or a family (`token`).",
    )
    actor: str | None = Field(
        default=None,
        max_length=254,
        pattern=EMAIL_PATTERN,
        description="An e-mail address.",
    )
    since: Moment | None = Field(default=None, description="From this time (inclusive).")
    until: Moment | None = Field(default=None, description="Before this time.")


@router.get("/audit", response={200: list[AuditEventOut], **FORBIDDEN, **INVALID})
@paginate(Pages)
def list_audit_events(request: HttpRequest, query: Query[AuditQuery]) -> QuerySet[AuditEvent]:
    """Owners: who did what in this workspace, newest first (with its members' sign-ins)."""
    require_role(request, Role.OWNER)
    return services.events_of(
        workspace_of(request),
        action=query.action,
        actor=query.actor,
        since=query.since,
        until=query.until,
    )


@router.get("/audit/{event_id}", response={200: AuditEventOut, **FORBIDDEN, **NOT_FOUND})
def show_audit_event(request: HttpRequest, event_id: int) -> AuditEvent:
    require_role(request, Role.OWNER)
    return services.get_event(workspace_of(request), event_id)

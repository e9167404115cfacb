"""Webhooks of the request's workspace: any member may list them and their deliveries;
owners register, change, remove and test them. The signing secret is shown once."""

from __future__ import annotations

from datetime import datetime
from typing import Annotated, Any, Literal

from django.db.models import QuerySet
from django.http import HttpRequest
from ninja import Field, Router, Schema, Status
from ninja.pagination import paginate
from pydantic import AfterValidator, BaseModel, ConfigDict, StrictBool

from clarion.accounts.auth import require_role, workspace_of
from clarion.accounts.models import Role
from clarion.api.pagination import Pages
from clarion.api.schemas import FORBIDDEN, INVALID, NOT_FOUND
from clarion.core.errors import InvalidInput
from clarion.webhooks import services
from clarion.webhooks.models import Webhook, WebhookDelivery

router = Router(tags=["webhooks"])

EventName = Literal[
    "publication.published",
    "publication.failed",
    "publication.needs_attention",
    "publication.overdue",
    "daily_run.finished",
    "approval.waiting",
    "test",
]


# What ``services.check_url`` accepts, for the OpenAPI document: http(s), a host name or an
# IPv4 address (no user name, password or spaces), an optional port, then anything printable.
_PORT = r"(6553[0-5]|655[0-2][0-9]|65[0-4][0-9]{2}|6[0-4][0-9]{3}|[1-5][0-9]{4}|[0-9]{1,4})"
_NOT = r"\s\x00-\x1f\x7f-\x9f"  # white space and control characters
URL_PATTERN = rf"^[Hh][Tt][Tt][Pp][Ss]?://[^{_NOT}/?#@:\[\]\\]+(:{_PORT})?([/?#][^{_NOT}]*)?$"


def _checked_url(value: str) -> str:
    """The service's own check, so a refused URL is told why (not just "does not match")."""
    try:
        return services.check_url(value)
    except InvalidInput as exc:
        raise ValueError(exc.message) from None


Url = Annotated[
    str,
    Field(
        min_length=1,
        max_length=services.MAX_URL_LENGTH,
        json_schema_extra={"pattern": URL_PATTERN},
        description="Where events are POSTed (http:// or https://).",
    ),
    AfterValidator(_checked_url),
]
Events = Annotated[list[EventName], Field(min_length=1, max_length=len(services.EVENTS))]


class WebhookIn(BaseModel):
    model_config = ConfigDict(extra="forbid")

    url: Url
    events: Events
    is_active: StrictBool = True


class WebhookPatch(BaseModel):
    model_config = ConfigDict(extra="forbid")

    url: Url | None = None
    events: Events | None = None
    is_active: StrictBool | None = None


class WebhookOut(Schema):
    id: int
    url: str
    events: list[str]
    is_active: bool
    created_at: datetime


class NewWebhookOut(WebhookOut):
    secret: str = Field(
        description="Signs every delivery (`Clarion-Signature`); shown only now: keep it."
    )


class DeliveryOut(Schema):
    id: int
    event: str
    status: str = Field(description="pending, delivered or failed.")
    attempts: int
    response_status: int | None
    response_ms: int | None = Field(description="How long the last attempt took.")
    error: str
    next_attempt_at: datetime | None
    created_at: datetime
    delivered_at: datetime | None
    payload: dict[str, Any]


def _webhook(request: HttpRequest, webhook_id: int) -> Webhook:
    return services.get_webhook(workspace_of(request), webhook_id)


@router.get("/webhooks", response=list[WebhookOut])
def list_webhooks(request: HttpRequest) -> QuerySet[Webhook]:
    return services.hooks_of(workspace_of(request))


@router.post("/webhooks", response={201: NewWebhookOut, **FORBIDDEN, **INVALID})
def create_webhook(request: HttpRequest, payload: WebhookIn) -> Status:
    """Owners: send these events to this URL. The answer holds the secret, only this once."""
    require_role(request, Role.OWNER)
    hook, secret = services.create_webhook(
        workspace=workspace_of(request),
        url=payload.url,
        events=payload.events,
        is_active=payload.is_active,
    )
    return Status(201, {**WebhookOut.model_validate(hook).model_dump(), "secret": secret})


@router.patch(
    "/webhooks/{webhook_id}", response={200: WebhookOut, **FORBIDDEN, **NOT_FOUND, **INVALID}
)
def update_webhook(request: HttpRequest, webhook_id: int, payload: WebhookPatch) -> Webhook:
    """Owners: change the URL or the events, or turn the hook off and on."""
    require_role(request, Role.OWNER)
    return services.update_webhook(
        webhook=_webhook(request, webhook_id),
        url=payload.url,
        events=payload.events,
        is_active=payload.is_active,
    )


@router.delete("/webhooks/{webhook_id}", response={204: None, **FORBIDDEN, **NOT_FOUND})
def delete_webhook(request: HttpRequest, webhook_id: int) -> Status:
    """Owners: remove the hook and its delivery log."""
    require_role(request, Role.OWNER)
    services.delete_webhook(webhook=_webhook(request, webhook_id))
    return Status(204, None)


@router.post("/webhooks/{webhook_id}/test", response={200: DeliveryOut, **FORBIDDEN, **NOT_FOUND})
def test_webhook(request: HttpRequest, webhook_id: int) -> WebhookDelivery:
    """Owners: send a `test` event now (one attempt) and answer with how it went."""
    require_role(request, Role.OWNER)
    return services.send_test(webhook=_webhook(request, webhook_id))


@router.get(
    "/webhooks/{webhook_id}/deliveries",
    response={200: list[DeliveryOut], **NOT_FOUND, **INVALID},
)
@paginate(Pages)
def list_deliveries(request: HttpRequest, webhook_id: int) -> QuerySet[WebhookDelivery]:
    """What was sent to this hook, newest first: status, attempts, response time, error."""
    return services.deliveries_of(_webhook(request, webhook_id))

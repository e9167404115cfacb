"""``clarion webhook …``: URLs that receive a workspace's events, and their delivery logs."""

from __future__ import annotations

import json
from datetime import datetime
from typing import TYPE_CHECKING, Annotated

import typer
from rich.markup import escape
from rich.table import Table

from clarion.cli import WORKSPACE_OPTION, console, django, fail, handles_errors

if TYPE_CHECKING:
    from clarion.webhooks.models import WebhookDelivery

app: typer.Typer = typer.Typer(
    help="Webhooks: signed POSTs to your URLs when posts are published, fail or wait.",
    no_args_is_help=True,
)


def register(root: typer.Typer) -> None:
    root.add_typer(app, name="webhook")


def _when(moment: datetime | None) -> str:
    return f"{moment:%Y-%m-%d %H:%M:%S}" if moment is not None else "-"


@app.command("add")
@handles_errors
def add(
    url: Annotated[str, typer.Argument(help="Where events are POSTed (http:// or https://).")],
    event: Annotated[
        list[str],
        typer.Option(
            "--event",
            help="An event to send (repeat the option): publication.published, "
            "publication.failed, publication.needs_attention, publication.overdue, "
            "daily_run.finished, approval.waiting, test.",
        ),
    ],
    workspace: Annotated[str | None, WORKSPACE_OPTION] = None,
) -> None:
    """Register a webhook and print its signing secret once."""
    django()
    from clarion.accounts.workspaces import cli_workspace
    from clarion.webhooks.services import create_webhook

    hook, secret = create_webhook(workspace=cli_workspace(workspace), url=url, events=event)
    console.print(
        f"Added webhook {hook.pk} → {escape(hook.url)} for {', '.join(hook.events)}. "
        "Its signing secret is shown only now:",
        highlight=False,
        soft_wrap=True,
    )
    print(secret)


@app.command("list")
@handles_errors
def list_hooks(
    workspace: Annotated[str | None, WORKSPACE_OPTION] = None,
    as_json: Annotated[bool, typer.Option("--json", help="Print them as JSON.")] = False,
) -> None:
    """The workspace's webhooks (never their secrets)."""
    django()
    from clarion.accounts.workspaces import cli_workspace
    from clarion.webhooks.api import WebhookOut
    from clarion.webhooks.services import hooks_of

    hooks = list(hooks_of(cli_workspace(workspace)))
    if as_json:
        data = [WebhookOut.model_validate(h).model_dump(mode="json") for h in hooks]
        print(json.dumps(data, indent=2, ensure_ascii=False))
        return
    if not hooks:
        console.print("No webhooks yet: `clarion webhook add URL --event publication.failed`.")
        return
    table = Table("id", "url", "events", "active", "created")
    for h in hooks:
        table.add_row(
            str(h.pk),
            escape(h.url),
            ", ".join(h.events),
            "yes" if h.is_active else "no",
            _when(h.created_at),
        )
    console.print(table)


@app.command("remove")
@handles_errors
def remove(
    webhook_id: Annotated[str, typer.Argument(help="The webhook's id (webhook list).")],
    workspace: Annotated[str | None, WORKSPACE_OPTION] = None,
) -> None:
    """Remove a webhook and its delivery log."""
    django()
    from clarion.accounts.workspaces import cli_workspace
    from clarion.webhooks.services import delete_webhook, get_webhook

    hook = get_webhook(cli_workspace(workspace), webhook_id)
    delete_webhook(webhook=hook)
    console.print(f"Removed webhook {webhook_id} ({escape(hook.url)}).", highlight=False)


def _delivery_line(d: WebhookDelivery) -> str:
    answer = f"HTTP {d.response_status}" if d.response_status else "no answer"
    took = f" in {d.response_ms} ms" if d.response_ms is not None else ""
    return f"{d.status}: {answer}{took}" + (f" ({d.error})" if d.error else "")


@app.command("test")
@handles_errors
def send_test_event(
    webhook_id: Annotated[str, typer.Argument(help="The webhook's id (webhook list).")],
    workspace: Annotated[str | None, WORKSPACE_OPTION] = None,
) -> None:
    """Send a `test` event now and say how the receiver answered."""
    django()
    from clarion.accounts.workspaces import cli_workspace
    from clarion.webhooks.services import get_webhook, send_test

    delivery = send_test(webhook=get_webhook(cli_workspace(workspace), webhook_id))
    line = f"Test delivery {delivery.pk}: {_delivery_line(delivery)}"
    if delivery.status != "delivered":
        raise fail(line, code=1)
    console.print(escape(line), highlight=False)


@app.command("deliveries")
@handles_errors
def deliveries(
    webhook_id: Annotated[str, typer.Argument(help="The webhook's id (webhook list).")],
    workspace: Annotated[str | None, WORKSPACE_OPTION] = None,
    limit: Annotated[int, typer.Option(min=1, max=1000, help="At most this many.")] = 50,
    as_json: Annotated[bool, typer.Option("--json", help="Print them as JSON.")] = False,
) -> None:
    """What was sent to a webhook, newest first."""
    django()
    from clarion.accounts.workspaces import cli_workspace
    from clarion.webhooks.api import DeliveryOut
    from clarion.webhooks.services import deliveries_of, get_webhook

    rows = list(deliveries_of(get_webhook(cli_workspace(workspace), webhook_id))[:limit])
    if as_json:
        data = [DeliveryOut.model_validate(d).model_dump(mode="json") for d in rows]
        print(json.dumps(data, indent=2, ensure_ascii=False))
        return
    if not rows:
        console.print("Nothing sent to this webhook yet.")
        return
    table = Table("id", "event", "created", "attempts", "outcome", "next attempt")
    for d in rows:
        table.add_row(
            str(d.pk),
            d.event,
            _when(d.created_at),
            str(d.attempts),
            escape(_delivery_line(d)),
            _when(d.next_attempt_at),
        )
    console.print(table)

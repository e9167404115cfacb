"""Background work for webhooks (run by ``clarion worker``); each task reloads its rows."""

from __future__ import annotations

from django_tasks import task

from clarion.webhooks.delivery import attempt, deliver_due


@task()
def deliver_webhook(delivery_id: int) -> str:
    """The first attempt at a delivery (a retry is picked up by ``deliver_due_webhooks``)."""
    return attempt(delivery_id) or "not due, or sent by another worker"


@task()
def deliver_due_webhooks() -> str:
    """Attempt every delivery whose time has come."""
    counts = deliver_due()
    return ", ".join(f"{v} {k}" for k, v in counts.items()) or "nothing due"

"""Webhook actions: register, change, remove, and emit events to the hooks that want them.

``emit`` creates one delivery per active hook of the workspace subscribed to the
event and queues their first attempt when the transaction commits (a delivery
whose task never ran is picked up by the worker's next pass). Emitting for a
workspace without hooks costs nothing once its hooks are known: a daily run
loads the hooks of every workspace once (``HookIndex``), not once per post.
"""

from __future__ import annotations

import secrets as random
import threading
from collections.abc import Iterable
from dataclasses import dataclass, field
from datetime import datetime
from typing import Any
from urllib.parse import urlsplit

from django.db import IntegrityError, transaction
from django.db.models import QuerySet
from django.utils import timezone

from clarion.accounts.models import Workspace
from clarion.accounts.scope import get_scoped, scoped
from clarion.audit import services as audit
from clarion.core.errors import InvalidInput, NotFound
from clarion.webhooks.models import DeliveryStatus, OverdueNotice, Webhook, WebhookDelivery

PUBLISHED = "publication.published"
FAILED = "publication.failed"
NEEDS_ATTENTION = "publication.needs_attention"
OVERDUE = "publication.overdue"
RUN_FINISHED = "daily_run.finished"
APPROVAL_WAITING = "approval.waiting"
TEST = "test"
EVENTS = (PUBLISHED, FAILED, NEEDS_ATTENTION, OVERDUE, RUN_FINISHED, APPROVAL_WAITING, TEST)

SECRET_PREFIX = "whsec_"
MAX_URL_LENGTH = 500
MAX_HOOKS_PER_WORKSPACE = 50


# --- registering hooks --------------------------------------------------------------


def check_url(url: str) -> str:
    url = url.strip()
    if not url:
        raise InvalidInput("url", "must not be empty")
    if len(url) > MAX_URL_LENGTH:
        raise InvalidInput("url", f"must be at most {MAX_URL_LENGTH} characters")
    if any(c.isspace() or ord(c) < 32 for c in url):
        raise InvalidInput("url", "must not contain spaces or control characters")
    try:
        parts = urlsplit(url)
        parts.port  # noqa: B018  (raises on a port that is not a number)
    except ValueError:
        raise InvalidInput("url", f"{url!r} is not a URL") from None
    if parts.scheme.lower() not in ("http", "https"):
        raise InvalidInput("url", "must start with http:// or https://")
    if not parts.hostname:
        raise InvalidInput("url", "must name a host, as in https://example.com/hooks/clarion")
    if parts.username or parts.password:
        raise InvalidInput(
            "url", "must not hold a user name or password: the signature proves who sends"
        )
    return url


def check_events(events: Iterable[str]) -> list[str]:
    chosen = list(dict.fromkeys(e.strip() for e in events))
    if not chosen:
        raise InvalidInput("events", f"name at least one event: {', '.join(EVENTS)}")
    unknown = [e for e in chosen if e not in EVENTS]
    if unknown:
        raise InvalidInput(
            "events", f"unknown event {unknown[0]!r}: choose from {', '.join(EVENTS)}"
        )
    return chosen


def new_secret() -> str:
    return SECRET_PREFIX + random.token_urlsafe(32)


def hooks_of(workspace: Workspace) -> QuerySet[Webhook]:
    return scoped(Webhook, workspace).order_by("created_at", "pk")


def get_webhook(workspace: Workspace, webhook_id: int | str) -> Webhook:
    text = str(webhook_id).strip()
    missing = f"no webhook {text}"
    if not (text.isascii() and text.isdigit() and len(text) < 19):
        raise NotFound(missing)
    return get_scoped(Webhook, workspace, missing=missing, pk=int(text))


def create_webhook(
    *, workspace: Workspace, url: str, events: Iterable[str], is_active: bool = True
) -> tuple[Webhook, str]:
    """Register ``url`` for ``events``; returns the hook and its signing secret (shown once)."""
    url, chosen = check_url(url), check_events(events)
    with transaction.atomic():
        if scoped(Webhook, workspace).count() >= MAX_HOOKS_PER_WORKSPACE:
            raise InvalidInput("url", f"a workspace has at most {MAX_HOOKS_PER_WORKSPACE} webhooks")
        secret = new_secret()
        hook = Webhook(workspace=workspace, url=url, events=chosen, is_active=is_active)
        hook.secret = secret
        hook.save()
        audit.record(
            action=audit.WEBHOOK_CREATE,
            target=hook,
            workspace=workspace,
            details={"events": chosen, "is_active": is_active},
        )
    return hook, secret


def update_webhook(
    *,
    webhook: Webhook,
    url: str | None = None,
    events: Iterable[str] | None = None,
    is_active: bool | None = None,
) -> Webhook:
    changes: dict[str, Any] = {}
    if url is not None:
        changes["url"] = check_url(url)
    if events is not None:
        changes["events"] = check_events(events)
    if is_active is not None:
        changes["is_active"] = bool(is_active)
    changed = {k: v for k, v in changes.items() if getattr(webhook, k) != v}
    if not changed:
        return webhook
    with transaction.atomic():
        for name, value in changed.items():
            setattr(webhook, name, value)
        webhook.save(update_fields=list(changed))
        audit.record(
            action=audit.WEBHOOK_UPDATE,
            target=webhook,
            workspace=webhook.workspace_id,
            details=changed,
        )
    return webhook


def delete_webhook(*, webhook: Webhook) -> None:
    """Remove the hook and its delivery log (the audit log keeps that it existed)."""
    with transaction.atomic():
        audit.record(
            action=audit.WEBHOOK_DELETE,
            target=webhook,
            workspace=webhook.workspace_id,
            details={"events": webhook.events},
        )
        webhook.delete()


def deliveries_of(webhook: Webhook) -> QuerySet[WebhookDelivery]:
    return WebhookDelivery.objects.filter(webhook=webhook).order_by("-created_at", "-pk")


# --- emitting events ----------------------------------------------------------------


@dataclass(frozen=True)
class Hook:
    """What emitting needs of a hook: which workspace, which events."""

    pk: int
    workspace_id: int
    events: frozenset[str]


def _load(workspace_ids: Iterable[int] | None = None) -> dict[int, list[Hook]]:
    rows = Webhook.objects.filter(is_active=True)
    if workspace_ids is not None:
        rows = rows.filter(workspace_id__in=list(workspace_ids))
    found: dict[int, list[Hook]] = {}
    for pk, workspace_id, events in rows.values_list("pk", "workspace_id", "events"):
        found.setdefault(workspace_id, []).append(
            Hook(pk, workspace_id, frozenset(e for e in events or () if isinstance(e, str)))
        )
    return found


@dataclass
class HookIndex:
    """The active hooks of every workspace, looked up once (on first use) for a whole run."""

    _hooks: dict[int, list[Hook]] | None = None
    _lock: threading.Lock = field(default_factory=threading.Lock)

    def subscribed(self, workspace_id: int | None, event: str) -> list[Hook]:
        if workspace_id is None:
            return []
        with self._lock:
            if self._hooks is None:
                self._hooks = _load()
            hooks = self._hooks.get(workspace_id, [])
        return [h for h in hooks if event in h.events]


def emit(
    workspace_id: int | None,
    event: str,
    payload: dict[str, Any],
    *,
    hooks: HookIndex | None = None,
    only: Iterable[int] | None = None,
    queue: bool = True,
) -> list[int]:
    """Create a delivery of ``event`` for each active hook of the workspace that wants it;
    their first attempt is queued once the transaction commits. Returns the delivery ids.

    ``hooks``: the run's index (no query when the workspace has none). ``only``: these
    hooks, subscribed or not (a test event); ``queue=False``: the caller attempts them.
    """
    if workspace_id is None:
        return []
    if only is not None:
        targets = list(
            Webhook.objects.filter(workspace_id=workspace_id, pk__in=list(only)).values_list(
                "pk", flat=True
            )
        )
    else:
        index = hooks or HookIndex(_load([workspace_id]))
        targets = [h.pk for h in index.subscribed(workspace_id, event)]
    if not targets:
        return []
    now = timezone.now()
    with transaction.atomic():
        made = WebhookDelivery.objects.bulk_create(
            [
                WebhookDelivery(
                    webhook_id=pk, event=event, payload=payload, created_at=now, next_attempt_at=now
                )
                for pk in targets
            ]
        )
        ids = [d.pk for d in made if d.pk is not None]
        if len(ids) != len(made):  # a database that does not return ids from bulk inserts
            ids = list(
                WebhookDelivery.objects.filter(
                    webhook_id__in=targets, event=event, created_at=now
                ).values_list("pk", flat=True)
            )
        if queue:
            transaction.on_commit(lambda: _queue(ids))
    return ids


def _queue(ids: list[int]) -> None:
    from clarion.webhooks.tasks import deliver_webhook

    for pk in ids:
        deliver_webhook.enqueue(pk)


def send_test(*, webhook: Webhook) -> WebhookDelivery:
    """Send a ``test`` event to ``webhook`` now (one attempt) and return its delivery."""
    from clarion.webhooks.delivery import attempt

    payload = {"message": "A test event from Clarion.", "webhook": webhook.pk}
    with transaction.atomic():
        ids = emit(webhook.workspace_id, TEST, payload, only=[webhook.pk], queue=False)
        audit.record(action=audit.WEBHOOK_TEST, target=webhook, workspace=webhook.workspace_id)
    attempt(ids[0])
    return WebhookDelivery.objects.get(pk=ids[0])


# --- what events say ----------------------------------------------------------------


def publication_payload(publication_id: int) -> dict[str, Any] | None:
    from clarion.publishing.models import Publication

    row = Publication.objects.filter(pk=publication_id).select_related("brand").first()
    if row is None:
        return None
    return {
        "publication": {
            "id": row.pk,
            "brand": row.brand.slug,
            "network": row.network,
            "date": row.date.isoformat(),
            "slot": row.slot,
            "scheduled_at": row.scheduled_at.isoformat(),
            "state": row.state,
            "remote_id": row.remote_id,
            "url": row.remote_url,
            "published_at": row.published_at.isoformat() if row.published_at else None,
            "error": row.error,
            "error_kind": row.error_kind,
        }
    }


def emit_publication(
    *, workspace_id: int | None, publication_id: int, event: str, hooks: HookIndex
) -> list[int]:
    """``event`` for one publication, when a hook of its workspace wants it (else no query)."""
    if not hooks.subscribed(workspace_id, event):
        return []
    payload = publication_payload(publication_id)
    if payload is None:
        return []
    return emit(workspace_id, event, payload, hooks=hooks)


def announce_overdue(*, now: datetime | None = None, limit: int = 200) -> list[int]:
    """Fire ``publication.overdue`` once per overdue publication (a notice row marks it).

    Run by every worker's heartbeat; the notice is unique per publication, so two
    workers looking at once fire it once.
    """
    from clarion.core.watchdog import overdue_publications

    rows = list(
        overdue_publications(now)
        .filter(overdue_notice__isnull=True)
        .order_by("scheduled_at", "pk")
        .values_list("pk", "brand__workspace_id")[:limit]
    )
    if not rows:
        return []
    hooks = HookIndex(_load({w for _, w in rows}))
    fired: list[int] = []
    for pk, workspace_id in rows:
        try:
            with transaction.atomic():
                OverdueNotice.objects.create(publication_id=pk)
                emit_publication(
                    workspace_id=workspace_id, publication_id=pk, event=OVERDUE, hooks=hooks
                )
        except IntegrityError:
            continue  # another worker noticed it first
        fired.append(pk)
    return fired


def pending_count() -> int:
    return WebhookDelivery.objects.filter(status=DeliveryStatus.PENDING).count()

"""Sending one webhook delivery: claim it, sign it, POST it, record the outcome.

The request is a JSON POST with three headers:

- ``Clarion-Event``: the event's name;
- ``Clarion-Delivery``: the delivery's id (the same on every retry: receivers dedupe on it);
- ``Clarion-Signature``: ``t=<unix seconds>,v1=<hex HMAC-SHA256(secret, f"{t}.{body}")>``.

A 2xx answer delivers it. Anything else (another status, a timeout, a refused
connection) schedules the next attempt after an exponential backoff
(``CLARION_WEBHOOK_RETRY_SECONDS`` × 2ⁿ⁻¹) until ``CLARION_WEBHOOK_MAX_ATTEMPTS``
have been made; then it is failed. A test event is attempted once.

An attempt starts with a conditional UPDATE that takes the row only if it is
pending, due and not taken by another worker (``locked_until``); every write
after it is conditional on the attempt number it took, so a worker that lost the
row (it outlived its lock) never overwrites the outcome of the next one.
"""

from __future__ import annotations

import hashlib
import hmac
import json
import logging
import time
from dataclasses import dataclass
from datetime import datetime, timedelta
from typing import Any

import httpx
from django.conf import settings
from django.db.models import F, Q
from django.utils import timezone

from clarion import __version__
from clarion.core.redact import redact_text
from clarion.core.secrets import SecretUnreadable
from clarion.webhooks.models import DeliveryStatus, WebhookDelivery

logger = logging.getLogger(__name__)

Status = DeliveryStatus
# A lock outlives the request's timeout by this much (the rest of the attempt's work).
LOCK_MARGIN_SECONDS = 30.0
MAX_BACKOFF_SECONDS = 6 * 3600.0
MAX_ERROR_CHARS = 500
TEST_EVENT = "test"  # attempted once: a person is waiting for the answer


def signature(secret: str, timestamp: int, body: bytes) -> str:
    """The ``Clarion-Signature`` header value for ``body`` sent at ``timestamp``."""
    signed = f"{timestamp}.".encode() + body
    digest = hmac.new(secret.encode(), signed, hashlib.sha256).hexdigest()
    return f"t={timestamp},v1={digest}"


def verify(
    secret: str, header: str, body: bytes, *, tolerance: float = 300, now: float | None = None
) -> bool:
    """What a receiver does: the signature matches and its time is within ``tolerance`` s."""
    parts = dict(p.split("=", 1) for p in header.split(",") if "=" in p)
    try:
        timestamp = int(parts.get("t", ""))
    except ValueError:
        return False
    if abs((now if now is not None else time.time()) - timestamp) > tolerance:
        return False
    expected = signature(secret, timestamp, body).split("v1=", 1)[1]
    return hmac.compare_digest(expected, parts.get("v1", ""))


def body_of(delivery: WebhookDelivery) -> bytes:
    """The JSON sent: the same bytes on every attempt."""
    envelope = {
        "id": str(delivery.pk),
        "event": delivery.event,
        "created_at": delivery.created_at.isoformat(),
        "workspace": delivery.webhook.workspace.slug,
        "data": delivery.payload,
    }
    return json.dumps(envelope, sort_keys=True, separators=(",", ":"), ensure_ascii=False).encode()


def backoff(attempts: int) -> float:
    base = float(settings.CLARION_WEBHOOK_RETRY_SECONDS)
    return min(base * (2 ** max(attempts - 1, 0)), MAX_BACKOFF_SECONDS)


def _claim(delivery_id: int, now: datetime) -> bool:
    lock = settings.CLARION_WEBHOOK_TIMEOUT + LOCK_MARGIN_SECONDS
    free = Q(locked_until__isnull=True) | Q(locked_until__lt=now)
    return bool(
        WebhookDelivery.objects.filter(
            free, pk=delivery_id, status=Status.PENDING, next_attempt_at__lte=now
        ).update(locked_until=now + timedelta(seconds=lock), attempts=F("attempts") + 1)
    )


@dataclass(frozen=True)
class Answer:
    status: int | None
    ms: int
    error: str

    @property
    def ok(self) -> bool:
        return self.status is not None and 200 <= self.status < 300


def _post(delivery: WebhookDelivery, secret: str) -> Answer:
    body = body_of(delivery)
    headers = {
        "Content-Type": "application/json",
        "User-Agent": f"Clarion-Webhooks/{__version__}",
        "Clarion-Event": delivery.event,
        "Clarion-Delivery": str(delivery.pk),
        "Clarion-Signature": signature(secret, int(time.time()), body),
    }
    started = time.monotonic()
    try:
        response = httpx.post(
            delivery.webhook.url,
            content=body,
            headers=headers,
            timeout=settings.CLARION_WEBHOOK_TIMEOUT,
            follow_redirects=False,
        )
    except httpx.TimeoutException:
        ms = int((time.monotonic() - started) * 1000)
        limit = settings.CLARION_WEBHOOK_TIMEOUT
        return Answer(None, ms, f"no answer within {limit:g} s (CLARION_WEBHOOK_TIMEOUT)")
    except httpx.HTTPError as exc:
        ms = int((time.monotonic() - started) * 1000)
        return Answer(None, ms, redact_text(f"{type(exc).__name__}: {exc}")[:MAX_ERROR_CHARS])
    ms = int((time.monotonic() - started) * 1000)
    if 200 <= response.status_code < 300:
        return Answer(response.status_code, ms, "")
    text = redact_text(response.text[:200].strip())
    error = f"answered {response.status_code}" + (f": {text}" if text else "")
    return Answer(response.status_code, ms, error[:MAX_ERROR_CHARS])


def attempt(delivery_id: int, *, now: datetime | None = None) -> str | None:
    """Make the next attempt at a due delivery; its status after, or None when it was not
    ours to send (delivered, failed, not due, or another worker is sending it)."""
    now = now or timezone.now()
    if not _claim(delivery_id, now):
        return None
    delivery = WebhookDelivery.objects.select_related("webhook__workspace").get(pk=delivery_id)
    taken = WebhookDelivery.objects.filter(
        pk=delivery_id, status=Status.PENDING, attempts=delivery.attempts
    )
    hook = delivery.webhook
    answer: Answer
    if not hook.is_active:
        answer = Answer(None, 0, "the webhook is turned off")
    else:
        try:
            secret = hook.secret
        except SecretUnreadable as exc:
            answer = Answer(None, 0, str(exc))
        else:
            answer = _post(delivery, secret)
    done = timezone.now()
    outcome: dict[str, Any] = {
        "response_status": answer.status,
        "response_ms": answer.ms,
        "error": answer.error,
        "locked_until": None,
    }
    if answer.ok:
        outcome.update(status=Status.DELIVERED, delivered_at=done, next_attempt_at=None)
    elif (
        delivery.attempts >= settings.CLARION_WEBHOOK_MAX_ATTEMPTS
        or delivery.event == TEST_EVENT
        or not hook.is_active
    ):
        outcome.update(status=Status.FAILED, next_attempt_at=None)
    else:
        outcome.update(next_attempt_at=done + timedelta(seconds=backoff(delivery.attempts)))
    if not taken.update(**outcome):
        logger.warning("webhook delivery %s: taken over while sending", delivery_id)
        return None
    status = str(outcome.get("status", Status.PENDING))
    if status != Status.DELIVERED:
        logger.info(
            "webhook delivery %s (%s) attempt %s: %s",
            delivery_id,
            delivery.event,
            delivery.attempts,
            answer.error,
        )
    return status


def due(now: datetime | None = None) -> Q:
    now = now or timezone.now()
    free = Q(locked_until__isnull=True) | Q(locked_until__lt=now)
    return Q(status=Status.PENDING, next_attempt_at__lte=now) & free


def deliver_due(*, now: datetime | None = None, limit: int = 200) -> dict[str, int]:
    """Attempt every delivery whose time has come (retries, and first attempts whose task
    never ran); several workers share this safely."""
    now = now or timezone.now()
    ids = list(
        WebhookDelivery.objects.filter(due(now))
        .order_by("next_attempt_at", "pk")
        .values_list("pk", flat=True)[:limit]
    )
    counts: dict[str, int] = {}
    for pk in ids:
        status = attempt(pk, now=max(now, timezone.now()))
        if status is not None:
            counts[status] = counts.get(status, 0) + 1
    return counts


def schedule_due_deliveries(*, now: datetime | None = None) -> bool:
    """Queue one task for the due deliveries when there are some and none is waiting."""
    from django_tasks_db.models import DBTaskResult

    from clarion.webhooks.tasks import deliver_due_webhooks

    if not WebhookDelivery.objects.filter(due(now)).exists():
        return False
    waiting = DBTaskResult.objects.filter(
        status="READY", task_path=deliver_due_webhooks.module_path
    )
    if waiting.exists():
        return False
    deliver_due_webhooks.enqueue()
    return True


def tick(*, now: datetime | None = None) -> dict[str, object]:
    """The worker's beat for webhooks: fire overdue events once, queue due deliveries."""
    from clarion.webhooks.services import announce_overdue

    return {
        "overdue": announce_overdue(now=now),
        "deliveries": schedule_due_deliveries(now=now),
    }

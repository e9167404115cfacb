"""The publication ledger: rows, atomic claims, leases and state changes.

Every change after a claim is a conditional UPDATE on ``claimed_by``: a worker
whose lease was taken over by another can no longer move the row.
"""

from __future__ import annotations

import hashlib
from collections.abc import Iterable
from datetime import date, datetime, timedelta
from typing import Any

from django.conf import settings
from django.db import connection, transaction
from django.utils import timezone

from clarion.publishing.models import Publication, PublicationState

State = PublicationState


def idempotency_key(*, brand_id: int, account_id: int, day: date, slot: int) -> str:
    """The same key for the same ledger slot, on every attempt and in every process."""
    raw = f"clarion:{brand_id}:{account_id}:{day.isoformat()}:{slot}"
    return "clarion-" + hashlib.sha256(raw.encode()).hexdigest()[:40]


def claim_batch(
    pks: list[int], *, worker_id: str, due_by: datetime | None = None
) -> list[Publication]:
    """Take several rows in one statement; returns those this worker got, in ``pks`` order.

    With ``due_by``, a row written ahead whose time has not come is left alone. A row
    that already holds its content and is due (``scheduled_at <= due_by``, or any
    time when ``due_by`` is None) is marked as being sent in the same statement —
    unless an earlier attempt did, which the caller sees as ``send_started_at`` older
    than the returned row's ``updated_at`` (then it must reconcile first).
    PostgreSQL locks with ``FOR UPDATE SKIP LOCKED``; SQLite's write lock serialises.
    """
    if not pks:
        return []
    ops = connection.ops
    now = timezone.now()
    lease = now + timedelta(seconds=settings.CLARION_PUBLISH_LEASE_SECONDS)
    table = connection.ops.quote_name(Publication._meta.db_table)
    marks = ", ".join(["%s"] * len(pks))
    lock = (
        " FOR UPDATE SKIP LOCKED" if connection.features.has_select_for_update_skip_locked else ""
    )
    due_sql = "1 = 1" if due_by is None else "scheduled_at <= %s"
    # Written ahead and not due yet: nothing to do, leave it unclaimed.
    not_yet = "" if due_by is None else " AND (content_hash = '' OR scheduled_at <= %s)"
    stamp = ops.adapt_datetimefield_value(now)
    sql = (
        f"UPDATE {table} SET state = %s, claimed_by = %s, lease_expires_at = %s, "
        f"attempts = attempts + 1, updated_at = %s, send_started_at = CASE "
        f"WHEN content_hash <> '' AND {due_sql} THEN COALESCE(send_started_at, %s) "
        f"ELSE send_started_at END "
        f"WHERE id IN (SELECT id FROM {table} WHERE id IN ({marks}) AND (state = %s "
        f"OR state = %s OR (state = %s AND lease_expires_at < %s)){not_yet} ORDER BY id{lock}) "
        f"RETURNING id"
    )
    params: list[Any] = [State.CLAIMED, worker_id, ops.adapt_datetimefield_value(lease), stamp]
    if due_by is not None:
        params.append(ops.adapt_datetimefield_value(due_by))
    params += [stamp, *pks, State.PENDING, State.NEEDS_ATTENTION, State.CLAIMED, stamp]
    if due_by is not None:
        params.append(ops.adapt_datetimefield_value(due_by))
    with transaction.atomic(), connection.cursor() as cursor:
        cursor.execute(sql, params)
        claimed = {row[0] for row in cursor.fetchall()}
    rows = Publication.objects.filter(pk__in=claimed).select_related("brand", "account")
    by_pk = {row.pk: row for row in rows}
    return [by_pk[pk] for pk in pks if pk in by_pk]


def sent_before(publication: Publication) -> bool:
    """Whether a send started before the claim that returned ``publication``."""
    started = publication.send_started_at
    return started is not None and started < publication.updated_at


def renew(publication: Publication, *, worker_id: str) -> bool:
    """Extend the lease before slow work; False when the row is no longer ours."""
    now = timezone.now()
    lease = now + timedelta(seconds=settings.CLARION_PUBLISH_LEASE_SECONDS)
    publication.lease_expires_at = lease
    return bool(_mine(publication, worker_id).update(lease_expires_at=lease))


def _mine(publication: Publication, worker_id: str) -> Any:
    return Publication.objects.filter(pk=publication.pk, claimed_by=worker_id, state=State.CLAIMED)


def store_content(
    publication: Publication,
    *,
    worker_id: str,
    text: str,
    content_hash: str,
    package_id: int,
    sending: bool,
) -> bool:
    """Keep the post before it is sent, so a recovery knows what to look for.

    ``sending``: it goes out right after this, so mark the send as started too.
    """
    now = timezone.now()
    changes: dict[str, Any] = {
        "content": text,
        "content_hash": content_hash,
        "package_id": package_id,
        "updated_at": now,
    }
    if sending:
        changes["send_started_at"] = now
    done = _mine(publication, worker_id).update(**changes)
    publication.content, publication.content_hash = text, content_hash
    if sending:
        publication.send_started_at = now
    return bool(done)


def mark_published(publication: Publication, *, worker_id: str, remote_id: str, url: str) -> bool:
    now = timezone.now()
    return bool(
        _mine(publication, worker_id).update(
            state=State.PUBLISHED,
            remote_id=remote_id[:200],
            remote_url=url[:500],
            published_at=now,
            error="",
            lease_expires_at=None,
            updated_at=now,
        )
    )


def mark(publication: Publication, *, worker_id: str, state: str, error: str = "") -> bool:
    """Leave the claim in ``state`` (failed, needs_attention, or pending to wait for its time)."""
    return bool(
        _mine(publication, worker_id).update(
            state=state, error=error[:2000], lease_expires_at=None, updated_at=timezone.now()
        )
    )


def release_failed(rows: Iterable[int]) -> int:
    """Put failed rows back to pending (only failed ones), for a retry."""
    return Publication.objects.filter(pk__in=list(rows), state=State.FAILED).update(
        state=State.PENDING, updated_at=timezone.now()
    )

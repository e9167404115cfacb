"""The publication ledger: rows, claims, leases, fencing and state changes.

A claim gives a row a new ``claim_token`` and a lease. Every change after the
claim — storing the text, starting a send, the outcome — is a conditional UPDATE
on that token, so a worker whose claim was taken over can no longer move the row.
Before each send the worker *fences*: one UPDATE that renews the lease only if
the lease has not run out and the token is still the row's. A row can only be
re-claimed once its lease has run out, and a send is bounded by the publish
timeout, far shorter than a lease, so a send that passed its fence cannot overlap
a send by the next holder.

Leases are measured on the database's clock on PostgreSQL (workers on several
machines need not agree on the time), and on this machine's clock with SQLite.
"""

from __future__ import annotations

import hashlib
import uuid
from collections.abc import Iterable
from dataclasses import dataclass
from datetime import date, datetime, timedelta
from typing import Any

from django.conf import settings
from django.db import connection
from django.utils import timezone

from clarion.publishing.models import ErrorKind, Publication, PublicationState

State = PublicationState


def idempotency_key(*, brand_id: int, account_id: int, day: date, slot: int) -> str:
    """The same key for the same ledger slot, on every attempt and in every process."""
    raw = f"clarion:{brand_id}:{account_id}:{day.isoformat()}:{slot}"
    return "clarion-" + hashlib.sha256(raw.encode()).hexdigest()[:40]


def new_token() -> str:
    return uuid.uuid4().hex


# -- time in SQL --------------------------------------------------------------------


def _pg() -> bool:
    return connection.vendor == "postgresql"


def _now(offset: float = 0.0) -> tuple[str, list[Any]]:
    """SQL for "now + offset seconds", and its parameters."""
    if _pg():
        if offset:
            return "(clock_timestamp() + %s * interval '1 second')", [offset]
        return "clock_timestamp()", []
    moment = timezone.now() + timedelta(seconds=offset)
    return "%s", [connection.ops.adapt_datetimefield_value(moment)]


def _table() -> str:
    return connection.ops.quote_name(Publication._meta.db_table)


def _lease_seconds() -> float:
    return float(settings.CLARION_PUBLISH_LEASE_SECONDS)


# -- claims ---------------------------------------------------------------------------


@dataclass(frozen=True)
class Claim:
    """A row this worker holds: its token fences every later write."""

    publication: Publication
    token: str
    sent_before: bool = False
    """A send started under an earlier claim: the post may exist, reconcile first."""


def claim(
    pk: int,
    *,
    worker_id: str,
    due_by: datetime | None = None,
    brand: Any = None,
    account: Any = None,
) -> Claim | None:
    """Take one row if nobody holds it and it may be worked now; None otherwise.

    Claimable: pending or unknown-outcome rows whose deferral (``not_before``) has
    passed, and claimed rows whose lease ran out (their worker died). With
    ``due_by``, a row written ahead whose time has not come is left alone. The row
    comes back from the UPDATE itself; ``brand`` and ``account``, when the caller has
    them loaded, are attached instead of being read again.
    """
    token = new_token()
    now_sql, now_params = _now()
    lease_sql, lease_params = _now(_lease_seconds())
    # Due times and deferrals are read on the caller's clock (the heartbeat's tick);
    # leases on the database's.
    if due_by is None:
        ready_sql, ready_params = now_sql, now_params
        not_yet = ""
    else:
        ready_sql, ready_params = "%s", [connection.ops.adapt_datetimefield_value(due_by)]
        not_yet = " AND (content_hash = '' OR scheduled_at <= %s)"
    sql = (
        f"UPDATE {_table()} SET state = %s, claimed_by = %s, claim_token = %s, "
        f"lease_expires_at = {lease_sql}, attempts = attempts + 1, updated_at = {now_sql} "
        f"WHERE id = %s AND ("
        f"(state IN (%s, %s) AND (not_before IS NULL OR not_before <= {ready_sql})) "
        f"OR (state = %s AND lease_expires_at < {now_sql})){not_yet}"
    )
    params: list[Any] = [State.CLAIMED, worker_id[:64], token, *lease_params, *now_params, pk]
    params += [State.PENDING, State.NEEDS_ATTENTION, *ready_params, State.CLAIMED, *now_params]
    params += ready_params if due_by is not None else []
    rows = list(Publication.objects.raw(sql + " RETURNING *", params))
    if len(rows) != 1:
        return None
    row = rows[0]
    if brand is not None and account is not None:
        row.brand, row.account = brand, account
    else:
        row = Publication.objects.select_related("brand", "account").get(pk=pk)
    return Claim(publication=row, token=token, sent_before=row.send_started_at is not None)


def _held(claim: Claim) -> Any:
    return Publication.objects.filter(
        pk=claim.publication.pk, claim_token=claim.token, state=State.CLAIMED
    )


def fence(claim: Claim, *, sending: bool) -> bool:
    """Renew the lease if it is still this claim's and has not run out; False: stop now.

    Called immediately before every send (``sending`` marks the send as started, so
    any later holder reconciles first) and before slow work.
    """
    now_sql, now_params = _now()
    lease_sql, lease_params = _now(_lease_seconds())
    started = f", send_started_at = COALESCE(send_started_at, {now_sql})" if sending else ""
    sql = (
        f"UPDATE {_table()} SET lease_expires_at = {lease_sql}, updated_at = {now_sql}{started} "
        f"WHERE id = %s AND claim_token = %s AND state = %s AND lease_expires_at > {now_sql}"
    )
    params: list[Any] = [*lease_params, *now_params, *(now_params if sending else [])]
    params += [claim.publication.pk, claim.token, State.CLAIMED, *now_params]
    with connection.cursor() as cursor:
        cursor.execute(sql, params)
        held = cursor.rowcount == 1
    if held and sending and claim.publication.send_started_at is None:
        claim.publication.send_started_at = timezone.now()
    return held


def renew_all(tokens: Iterable[str]) -> set[str]:
    """Extend the leases of the rows held under ``tokens``; returns the tokens still held."""
    wanted = list(tokens)
    if not wanted:
        return set()
    now_sql, now_params = _now()
    lease_sql, lease_params = _now(_lease_seconds())
    marks = ", ".join(["%s"] * len(wanted))
    sql = (
        f"UPDATE {_table()} SET lease_expires_at = {lease_sql} "
        f"WHERE claim_token IN ({marks}) AND state = %s AND lease_expires_at > {now_sql} "
        f"RETURNING claim_token"
    )
    with connection.cursor() as cursor:
        cursor.execute(sql, [*lease_params, *wanted, State.CLAIMED, *now_params])
        return {row[0] for row in cursor.fetchall()}


# -- outcomes (each conditional on the claim) ----------------------------------------


def store_content(
    claim: Claim,
    *,
    text: str,
    content_hash: str,
    package_id: int,
    approved_by: str,
    sending: bool = False,
    release: bool = False,
) -> bool:
    """Keep the approved text before it is sent, so a recovery knows what to look for.

    ``sending``: it goes out right after this, so the same statement is the fence
    before that send (the lease renewed only if still held and running).
    ``release``: written ahead, the row is given back in the same statement (as
    ``release`` does) to go out at its time of day.
    """
    assert not (sending and release), "a row is either sent now or given back"
    now = timezone.now()
    if not sending:
        given_back: dict[str, Any] = (
            {"state": State.PENDING, "lease_expires_at": None, "claim_token": ""} if release else {}
        )
        done = bool(
            _held(claim).update(
                content=text,
                content_hash=content_hash,
                package_id=package_id,
                approved_at=now,
                approved_by=approved_by[:200],
                updated_at=now,
                **given_back,
            )
        )
    else:
        now_sql, now_params = _now()
        lease_sql, lease_params = _now(_lease_seconds())
        sql = (
            f"UPDATE {_table()} SET content = %s, content_hash = %s, package_id = %s, "
            f"approved_at = %s, approved_by = %s, updated_at = %s, "
            f"lease_expires_at = {lease_sql}, send_started_at = COALESCE(send_started_at, {now_sql}) "
            f"WHERE id = %s AND claim_token = %s AND state = %s AND lease_expires_at > {now_sql}"
        )
        stamp = connection.ops.adapt_datetimefield_value(now)
        params: list[Any] = [text, content_hash, package_id, stamp, approved_by[:200], stamp]
        params += [*lease_params, *now_params, claim.publication.pk, claim.token, State.CLAIMED]
        params += now_params
        with connection.cursor() as cursor:
            cursor.execute(sql, params)
            done = cursor.rowcount == 1
    row = claim.publication
    row.content, row.content_hash, row.package_id = text, content_hash, package_id
    row.approved_at, row.approved_by = now, approved_by
    if done and sending and row.send_started_at is None:
        row.send_started_at = now
    return done


def mark_published(claim: Claim, *, remote_id: str, url: str) -> bool:
    now = timezone.now()
    return bool(
        _held(claim).update(
            state=State.PUBLISHED,
            remote_id=remote_id[:200],
            remote_url=url[:500],
            published_at=now,
            error="",
            error_kind=ErrorKind.NONE,
            not_before=None,
            lease_expires_at=None,
            updated_at=now,
        )
    )


def mark_failed(claim: Claim, *, kind: str, error: str, **changes: Any) -> bool:
    """Fail the row for good (until a person retries it)."""
    return bool(
        _held(claim).update(
            state=State.FAILED,
            error=error[:2000],
            error_kind=kind,
            not_before=None,
            lease_expires_at=None,
            updated_at=timezone.now(),
            **changes,
        )
    )


def await_approval(
    claim: Claim, *, text: str, content_hash: str, package_id: int | None, why: str
) -> bool:
    """Keep a text nobody approved, for a person to approve or reject; never sent as is."""
    return bool(
        _held(claim).update(
            state=State.AWAITING_APPROVAL,
            content=text,
            content_hash=content_hash,
            package_id=package_id,
            approved_at=None,
            approved_by="",
            error=why[:2000],
            error_kind=ErrorKind.UNAPPROVED,
            lease_expires_at=None,
            updated_at=timezone.now(),
        )
    )


def release(claim: Claim) -> bool:
    """Give the row back (written ahead: it goes out at its time of day)."""
    return bool(
        _held(claim).update(
            state=State.PENDING, lease_expires_at=None, claim_token="", updated_at=timezone.now()
        )
    )


@dataclass(frozen=True)
class Deferral:
    state: str  # what the row became: pending, needs_attention or failed
    not_before: datetime | None


def defer(claim: Claim, *, seconds: float, kind: str, error: str) -> Deferral | None:
    """Put the row aside until ``seconds`` from now; fail it once its retry window is spent.

    ``kind`` is retryable (nothing was posted: pending again) or unknown_outcome (the
    post may exist: the next holder reconciles first). The window
    (``CLARION_PUBLISH_RETRY_HOURS``) runs from the row's first retryable failure.
    Returns None when the claim was lost.
    """
    now = timezone.now()
    row = claim.publication
    first = row.first_error_at or now
    window = timedelta(hours=settings.CLARION_PUBLISH_RETRY_HOURS)
    if now - first >= window:
        hours = settings.CLARION_PUBLISH_RETRY_HOURS
        gave_up = f"gave up after {hours:g} h of retryable errors: {error}"
        if kind == ErrorKind.UNKNOWN_OUTCOME:
            gave_up += " (the post may exist: check the network before retrying)"
        ok = mark_failed(claim, kind=kind, error=gave_up, first_error_at=first)
        return Deferral(State.FAILED, None) if ok else None
    when = now + timedelta(seconds=max(seconds, 0.0))
    state = State.NEEDS_ATTENTION if kind == ErrorKind.UNKNOWN_OUTCOME else State.PENDING
    ok = _held(claim).update(
        state=state,
        not_before=when,
        error=error[:2000],
        error_kind=kind,
        first_error_at=first,
        lease_expires_at=None,
        updated_at=now,
    )
    return Deferral(state, when) if ok else None


def release_failed(rows: Iterable[int]) -> int:
    """Put failed rows back to pending (only failed ones), for a retry.

    A row whose text failed the checks or was rejected is written again; one the
    network refused is sent again with the same text.
    """
    pks = list(rows)
    now = timezone.now()
    rewrite = Publication.objects.filter(
        pk__in=pks,
        state=State.FAILED,
        error_kind__in=[ErrorKind.INVALID, ErrorKind.REFUSED, ErrorKind.REJECTED],
    ).update(
        state=State.PENDING,
        content_hash="",
        approved_at=None,
        approved_by="",
        not_before=None,
        first_error_at=None,
        updated_at=now,
    )
    resend = Publication.objects.filter(pk__in=pks, state=State.FAILED).update(
        state=State.PENDING, not_before=None, first_error_at=None, updated_at=now
    )
    return rewrite + resend

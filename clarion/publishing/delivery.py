"""Sending one claimed ledger row through its connector: fencing, reconciling, deferring.

Before every send the worker fences its claim (``ledger.fence``): a worker that
lost its claim — it waited too long, another worker recovered the row — stops and
never sends. A send that may have reached the network (a timeout, a 5xx) makes
every later attempt ask the network first (``find_existing``, searching from the
first send). A short retryable failure is retried after a short wait; a longer
one — a rate limit with a reset minutes away — defers the row (``not_before``)
instead of holding the claim or failing it, and the row is failed only when its
retry window (``CLARION_PUBLISH_RETRY_HOURS``) is spent or the network refuses it
for good.
"""

from __future__ import annotations

import logging
import time

from django.conf import settings

from clarion.publishing import ledger
from clarion.publishing.connectors import Connector, OutgoingPost, PublishError
from clarion.publishing.models import ErrorKind, Publication

logger = logging.getLogger(__name__)

# What happened to one slot in one run.
PUBLISHED = "published"
ALREADY_DONE = "already_done"  # published before this run
HELD = "held_elsewhere"  # another worker holds the row right now
LOST = "claim_lost"  # this worker's claim was taken over: it stopped without sending
SCHEDULED = "scheduled"  # written; goes out at its time of day
DEFERRED = "deferred"  # a retryable failure: tried again after not_before
FAILED = "failed"
INVALID = "invalid"
REFUSED = "refused"
UNKNOWN = "needs_attention"
AWAITING = "awaiting_approval"
DRY = "dry_run"

# A wait longer than this releases the claim and defers the row instead.
SHORT_WAIT_SECONDS = 2.0
# Deferrals without a reset from the network grow from this, up to the cap.
DEFER_BASE_SECONDS = 30.0
DEFER_CAP_SECONDS = 1800.0


def _wait_for(attempt: int, error: PublishError) -> float:
    """Exponential backoff, or the network's own reset time when it gave one."""
    wait: float = settings.CLARION_PUBLISH_RETRY_BACKOFF * (2 ** (attempt - 1))
    if error.retry_after is not None:
        wait = max(wait, error.retry_after)
    return wait


def _defer_for(publication: Publication, error: PublishError) -> float:
    """How long a deferred row waits: the network's reset, or a backoff on its attempts."""
    if error.retry_after is not None:
        return max(error.retry_after, 0.0)
    grown = DEFER_BASE_SECONDS * (2 ** max(publication.attempts - 1, 0))
    return float(min(grown, DEFER_CAP_SECONDS))


def outgoing(publication: Publication, *, brand_slug: str) -> OutgoingPost:
    """The post a connector sends for a ledger row with its content stored."""
    return OutgoingPost(
        idempotency_key=publication.idempotency_key,
        content_hash=publication.content_hash,
        text=publication.content,
        network=publication.network,
        date=publication.date,
        slot=publication.slot,
        brand_slug=brand_slug,
    )


def send(
    claim: ledger.Claim, *, post: OutgoingPost, connector: Connector, fenced: bool = False
) -> str:
    """Publish a claimed row with its stored, checked content; never twice.

    ``fenced``: the caller's last statement fenced the claim (the text stored just
    now), so the first attempt goes out without another. Returns the outcome; every
    state change is conditional on the claim.
    """
    check = claim.sent_before
    attempts = settings.CLARION_PUBLISH_MAX_ATTEMPTS
    for attempt in range(1, attempts + 1):
        if not (fenced and attempt == 1) and not ledger.fence(claim, sending=True):
            logger.warning(
                "publication %s: claim lost before sending; stopped", claim.publication.pk
            )
            return LOST
        try:
            found = None
            if check:
                found = connector.find_existing(post, since=claim.publication.send_started_at)
            if found is None:
                check = False
                found = connector.publish(post)
        except PublishError as exc:
            if exc.kind == "permanent":
                done = ledger.mark_failed(claim, kind=ErrorKind.PERMANENT, error=exc.message)
                return FAILED if done else LOST
            if exc.kind == "unknown_outcome":
                # It may be out there, or arrive late: look again after a while, never resend blind.
                return _defer(
                    claim,
                    settings.CLARION_PUBLISH_RECONCILE_DELAY,
                    ErrorKind.UNKNOWN_OUTCOME,
                    f"outcome unknown: {exc.message}",
                )
            wait = _wait_for(attempt, exc)
            if wait <= SHORT_WAIT_SECONDS and attempt < attempts:
                time.sleep(wait)
                continue  # the fence at the top re-checks the claim after the wait
            unknown = claim.publication.error_kind == ErrorKind.UNKNOWN_OUTCOME
            kind = ErrorKind.UNKNOWN_OUTCOME if unknown else ErrorKind.RETRYABLE
            return _defer(claim, _defer_for(claim.publication, exc), kind, exc.message)
        if not ledger.mark_published(claim, remote_id=found.remote_id, url=found.url):
            logger.warning(
                "publication %s: sent, but the claim was taken over before it was recorded; "
                "its new holder finds the post when it reconciles",
                claim.publication.pk,
            )
            return LOST
        return PUBLISHED
    return LOST  # unreachable: the last attempt returns


def _defer(claim: ledger.Claim, seconds: float, kind: str, error: str) -> str:
    deferral = ledger.defer(claim, seconds=seconds, kind=kind, error=error)
    if deferral is None:
        return LOST
    if deferral.state == "failed":
        return FAILED
    return UNKNOWN if kind == ErrorKind.UNKNOWN_OUTCOME else DEFERRED

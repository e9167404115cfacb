"""Sending one claimed ledger row through its connector: retries, reconciliation, outcomes.

A permanent error fails the row with its reason; a retryable one is retried with
backoff (or the network's reset time); an outcome that may have reached the
network is reconciled (``find_existing``) before any resend and, if it stays
unknown, leaves the row ``needs_attention`` for the next reconcile pass.
"""

from __future__ import annotations

import time

from django.conf import settings

from clarion.publishing import ledger
from clarion.publishing.connectors import Connector, OutgoingPost, PublishError
from clarion.publishing.models import Publication, PublicationState

State = PublicationState

# What happened to one slot in one run.
PUBLISHED = "published"
ALREADY_DONE = "already_done"  # published before, or taken by another worker
SCHEDULED = "scheduled"  # written; goes out at its time of day
FAILED = "failed"
INVALID = "invalid"
REFUSED = "refused"
UNKNOWN = "needs_attention"
DRY = "dry_run"


MAX_WAIT_SECONDS = 30.0


def _backoff(attempt: int, error: PublishError) -> float:
    """Exponential backoff, or the network's own reset time (bounded: a run never stalls)."""
    base: float = settings.CLARION_PUBLISH_RETRY_BACKOFF * (2 ** (attempt - 1))
    if error.retry_after is not None:
        base = max(base, error.retry_after)
    return min(base, MAX_WAIT_SECONDS)


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
    publication: Publication,
    *,
    post: OutgoingPost,
    connector: Connector,
    worker_id: str,
    reconcile_first: bool,
) -> str:
    """Publish a claimed row with its stored content; never twice.

    ``reconcile_first``: an earlier attempt may have reached the network, so ask it
    whether the post exists before sending. A permanent error fails the row; a
    retryable one is retried with backoff; an unknown outcome is reconciled before
    any resend and, if it stays unknown, leaves the row ``needs_attention``.
    """
    attempts = settings.CLARION_PUBLISH_MAX_ATTEMPTS
    check = reconcile_first
    last: PublishError | None = None
    for attempt in range(1, attempts + 1):
        try:
            found = connector.find_existing(post) if check else None
            if found is not None:
                ledger.mark_published(
                    publication, worker_id=worker_id, remote_id=found.remote_id, url=found.url
                )
                return PUBLISHED
            check = False
            posted = connector.publish(post)
        except PublishError as exc:
            last = exc
            if exc.kind == "permanent":
                ledger.mark(publication, worker_id=worker_id, state=State.FAILED, error=exc.message)
                return FAILED
            check = check or exc.kind == "unknown_outcome" or reconcile_first
            if attempt < attempts:
                time.sleep(_backoff(attempt, exc))
            continue
        ledger.mark_published(
            publication, worker_id=worker_id, remote_id=posted.remote_id, url=posted.url
        )
        return PUBLISHED
    assert last is not None
    if check:  # it may be out there: a person (or the next reconcile pass) must look first
        ledger.mark(
            publication,
            worker_id=worker_id,
            state=State.NEEDS_ATTENTION,
            error=f"outcome unknown after {attempts} attempts: {last.message}",
        )
        return UNKNOWN
    ledger.mark(
        publication,
        worker_id=worker_id,
        state=State.FAILED,
        error=f"gave up after {attempts} attempts: {last.message}",
    )
    return FAILED

"""A person's word on a post the reviewer did not approve: approve (maybe edited) or reject.

A post whose writer ↔ reviewer session ended without the reviewer's approval is
kept on its ledger row as ``awaiting_approval`` and is never sent as is. A person
approves it — the exact text, edited or not, passes the hard checks first — and
it goes out at its time (the worker's next pass, or the next run); or rejects it,
and it is never sent (``clarion retry`` writes a new one).
"""

from __future__ import annotations

from django.db import transaction
from django.db.models import QuerySet
from django.utils import timezone

from clarion.accounts.models import Workspace
from clarion.accounts.scope import scoped
from clarion.audit import services as audit
from clarion.brands.models import Brand
from clarion.core.errors import Conflict, InvalidInput, NotFound
from clarion.publishing import signing
from clarion.publishing.channel import hard_checks
from clarion.publishing.models import ErrorKind, Publication, PublicationState
from clarion.publishing.work import PERSON_MAY_ACCEPT

State = PublicationState

MAX_POST_CHARS = 10_000


def awaiting(
    *, brand: Brand | None = None, workspace: Workspace | None = None
) -> QuerySet[Publication]:
    """Posts waiting for a person, oldest slot first."""
    rows = Publication.objects.filter(state=State.AWAITING_APPROVAL).select_related("brand")
    if workspace is not None:
        rows = scoped(rows, workspace)
    if brand is not None:
        rows = rows.filter(brand=brand)
    return rows.order_by("scheduled_at", "pk")


def _waiting(publication_id: int, workspace: Workspace | None) -> Publication:
    rows = Publication.objects.all() if workspace is None else scoped(Publication, workspace)
    row = (
        rows.select_for_update(of=("self",))
        .select_related("brand", "package")
        .filter(pk=publication_id)
        .first()
    )
    if row is None:
        raise NotFound(f"no publication {publication_id}")
    if row.state != State.AWAITING_APPROVAL:
        raise Conflict(f"publication {publication_id} is {row.state}, not waiting for approval")
    return row


def approval_problems(row: Publication, text: str) -> list[str]:
    """What keeps ``text`` from being published on ``row``'s slot (a person may accept a link)."""
    payload = row.package.payload if row.package is not None else {}
    failures = hard_checks(
        text,
        brand=row.brand,
        network=row.network,
        slot=dict(payload.get("slot") or {}),
        guidelines=dict(payload.get("guidelines") or {}),
    )
    return [f.message for f in failures if f.code not in PERSON_MAY_ACCEPT]


def approve_publication(
    *,
    publication_id: int,
    by: str,
    text: str | None = None,
    workspace: Workspace | None = None,
) -> Publication:
    """Approve a waiting post (with ``text``, an edited version); it goes out at its time.

    Raises InvalidInput naming what fails when the text breaks a hard check.
    """
    who = by.strip()[:200] or "someone"
    with transaction.atomic():
        row = _waiting(publication_id, workspace)
        row_text_before = row.content
        final = row.content if text is None else text
        final = final.replace("\r\n", "\n").strip()
        if not final:
            raise InvalidInput("text", "must not be empty")
        if len(final) > MAX_POST_CHARS:
            raise InvalidInput("text", f"must be at most {MAX_POST_CHARS} characters")
        problems = approval_problems(row, final)
        if problems:
            raise InvalidInput("text", "; ".join(problems))
        now = timezone.now()
        row.content = final
        row.content_hash = signing.content_hash(final)
        row.state = State.PENDING
        row.approved_at, row.approved_by = now, f"person:{who}"
        row.error, row.error_kind, row.not_before = "", ErrorKind.NONE, None
        row.save(
            update_fields=[
                "content",
                "content_hash",
                "state",
                "approved_at",
                "approved_by",
                "error",
                "error_kind",
                "not_before",
                "updated_at",
            ]
        )
        audit.record(
            action=audit.APPROVE,
            target=row,
            workspace=row.brand.workspace_id,
            details={"edited": text is not None and final != row_text_before},
        )
    return row


def reject_publication(
    *, publication_id: int, by: str, reason: str = "", workspace: Workspace | None = None
) -> Publication:
    """Reject a waiting post: it is never sent (a retry writes a new one)."""
    who = by.strip()[:200] or "someone"
    with transaction.atomic():
        row = _waiting(publication_id, workspace)
        row.state = State.FAILED
        row.error_kind = ErrorKind.REJECTED
        row.error = f"rejected by {who}" + (f": {reason.strip()}" if reason.strip() else "")
        row.error = row.error[:2000]
        row.save(update_fields=["state", "error_kind", "error", "updated_at"])
        audit.record(
            action=audit.REJECT,
            target=row,
            workspace=row.brand.workspace_id,
            details={"reason": reason.strip()[:500]},
        )
    return row


def approve_publications(
    *, publication_ids: list[int], by: str, workspace: Workspace | None = None
) -> list[Publication]:
    """Approve several waiting posts as written, all or none (an error names the post)."""
    approved: list[Publication] = []
    with transaction.atomic():
        for publication_id in dict.fromkeys(publication_ids):
            try:
                approved.append(
                    approve_publication(publication_id=publication_id, by=by, workspace=workspace)
                )
            except InvalidInput as exc:
                raise InvalidInput("ids", f"publication {publication_id}: {exc}") from exc
    return approved

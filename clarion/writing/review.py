"""The quality gate of the writer ↔ reviewer loop: what a turn is judged against, and why it
was sent back.

``run_session`` calls these next to the hard checks (``clarion.writing.checks``): the brand's
recent posts (the boilerplate horizon, shared with the reviewer and, once a draft was sent
back, with the writer), the quality checks (``clarion.writing.quality``), the fixes the writer
gets, and the machine-readable reasons a turn was not approved.
"""

from __future__ import annotations

from clarion.agents.schemas import BrandContext, Poll, Signal
from clarion.writing.checks import CheckFailure
from clarion.writing.models import CompletionReason, IterationSession, SessionStatus
from clarion.writing.quality import RECENT_POSTS, DraftContext, Issue, quality_issues


def recent_posts(session: IterationSession) -> list[str]:
    """The brand's latest approved texts of the session's kind, newest first."""
    if session.brand_id is None:
        return []
    rows = (
        IterationSession.objects.filter(
            brand_id=session.brand_id,
            kind=session.kind,
            status=SessionStatus.COMPLETED,
            completion_reason=CompletionReason.APPROVED,  # what went out, not drafts turned down
        )
        .exclude(pk=session.pk)
        .exclude(final_text="")
        .order_by("-completed_at", "-id")
        .values_list("final_text", flat=True)[:RECENT_POSTS]
    )
    return list(rows)


def quality_of(
    text: str,
    session: IterationSession,
    brand: BrandContext | None,
    poll: Poll | None,
    recent: list[str],
    signals: list[Signal] | None,
) -> list[Issue]:
    """The quality checks of one turn: they bind whatever the reviewer says."""
    context = DraftContext(
        kind=session.kind,
        brief=session.user_input,
        brand=brand,
        platform=session.platform or None,
        angle=session.angle,
        hook_style=session.hook_style,
        recent_posts=recent,
        allowed_links=[s.url for s in signals or [] if s.url],
        own_domains=list(session.brand.domains) if session.brand else [],
    )
    return quality_issues(text, context, poll)


def _code(fix: str) -> str:
    return fix.split(":", 1)[0].strip().lower()


def merged_fixes(
    check_fixes: list[str], issues: list[Issue], reviewer_fixes: list[str]
) -> list[str]:
    """What the writer gets: the checks' fixes, the quality fixes, then the reviewer's advice
    (less what the quality fixes already say)."""
    covered = {_code(i.fix) for i in issues}
    advice = [f for f in reviewer_fixes if _code(f) not in covered]
    return list(dict.fromkeys([*check_fixes, *(i.fix for i in issues), *advice]))


def rejection_codes(
    failures: list[CheckFailure], issues: list[Issue], reviewer_fixes: list[str]
) -> list[str]:
    """Why a turn was not approved, each reason once: check codes, quality codes, then the
    codes of the reviewer's own fixes ("reviewer" when a fix has none)."""
    codes = [f.code for f in failures] + [i.code for i in issues]
    covered = {_code(i.fix) for i in issues}
    for fix in reviewer_fixes:
        head = _code(fix)
        if head not in covered:
            codes.append(
                head if head.replace("_", "").isalpha() and len(head) <= 40 else "reviewer"
            )
    return list(dict.fromkeys(codes or ["reviewer"]))

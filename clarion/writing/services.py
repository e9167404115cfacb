"""The writer ↔ reviewer loop (seed 004), ended by code, never by a magic string.

A turn is approved when the reviewer's verdict is "approve" AND the
deterministic checks pass. When the turns run out, the best-scoring draft
becomes final and the session is flagged for a human look. One failing model
call ends the session with reason "error"; it never raises past the service.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass
from datetime import timedelta
from typing import Literal

from django.conf import settings
from django.db import transaction
from django.utils import timezone

from clarion.agents import llm
from clarion.agents.jobs import fail_job, finish_job
from clarion.agents.models import AgentRole, Job, RunStatus
from clarion.agents.reviewer import review_draft
from clarion.agents.runtime import AgentCallFailed, NoActiveAgent, active_agent
from clarion.agents.schemas import BrandContext, ReviewRequest, Signal, WriteRequest
from clarion.agents.writer import write_draft
from clarion.brands.models import Brand
from clarion.brands.services import brand_context
from clarion.core import platforms
from clarion.core.errors import InvalidInput
from clarion.core.inputs import within
from clarion.writing.checks import CheckFailure, check_draft, validate_brief
from clarion.writing.models import CompletionReason, IterationSession, SessionStatus, Turn

MIN_TURNS, MAX_TURNS = 1, 10

EventKind = Literal["started", "written", "reviewed", "completed"]


@dataclass(frozen=True)
class SessionEvent:
    kind: EventKind
    session: IterationSession
    turn: Turn | None = None


EventHandler = Callable[[SessionEvent], None]

_FIX_FOR_CHECK = {
    "too_long": "shorten: {message}",
    "missing_cta": "add_cta: {message}",
    "banned_term": "remove_term: {message}",
    "repeat": "rewrite: write a new draft, different from every earlier turn.",
    "empty": "rewrite: the draft was empty.",
}


def validate_max_turns(max_turns: int | None) -> int:
    value = settings.CLARION_MAX_TURNS if max_turns is None else max_turns
    return within("max_turns", value, MIN_TURNS, MAX_TURNS)


@transaction.atomic
def start_session(
    *,
    brief: str,
    brand: Brand | None = None,
    platform: str | None = None,
    kind: Literal["slogan", "post"] = "slogan",
    require_cta: bool | None = None,
    max_turns: int | None = None,
    angle: str = "",
    hook_style: str = "",
    variant: str = "",
    job: Job | None = None,
) -> IterationSession:
    """Validate the input and store a pending session (and its Job)."""
    text = validate_brief(brief)
    turns = validate_max_turns(max_turns)
    if platform:
        try:
            platform = platforms.parse_platform(platform).value
        except ValueError as exc:
            raise InvalidInput("platform", str(exc)) from exc
    if job is None:
        job = Job.objects.create(kind="slogan" if kind == "slogan" else "post", title=text[:200])
    return IterationSession.objects.create(
        job=job,
        brand=brand,
        user_input=text,
        kind=kind,
        platform=platform or "",
        require_cta=bool(require_cta) if require_cta is not None else kind == "post",
        max_turns=turns,
        angle=angle,
        hook_style=hook_style,
        variant=variant,
    )


def run_session(
    session: IterationSession,
    *,
    on_event: EventHandler | None = None,
    signals: list[Signal] | None = None,
) -> IterationSession:
    """Run the loop of a session to completion and return it, completed.

    A session that was interrupted (a crash, a killed worker) resumes after its
    last reviewed turn; a draft that was written but never reviewed is written again.
    ``signals`` (news, trends, yesterday's results) reach the writer as quoted data.
    """
    emit = on_event or (lambda event: None)
    if session.status == SessionStatus.COMPLETED:
        return session
    job = session.job
    if job is None:
        job = Job.objects.create(kind=session.kind, title=session.user_input[:200])
        session.job = job
    try:
        writer = active_agent(AgentRole.WRITER)
        reviewer = active_agent(AgentRole.REVIEWER)
        label = llm.model_label(llm.choose_model(writer.model or None))
        for agent in (writer, reviewer):  # a model that cannot be built fails here, cleanly
            llm.get_model(llm.choose_model(agent.model or None))
    except (NoActiveAgent, llm.LLMConfigError) as exc:
        return _finish(session, job, CompletionReason.ERROR, None, error=str(exc), on_event=emit)
    now = timezone.now()
    Job.objects.filter(pk=job.pk).update(status=RunStatus.RUNNING, started_at=now, model_name=label)
    session.status, session.model_name = SessionStatus.RUNNING, label
    session.save(update_fields=["status", "model_name", "job", "updated_at"])
    emit(SessionEvent("started", session))
    done = _reviewed_turns(session)
    if done and done[-1].approved:
        return _finish(session, job, CompletionReason.APPROVED, done[-1], on_event=emit)

    brand = brand_context(session.brand) if session.brand else None
    platform = session.platform or None
    previous = [t.text for t in done]
    feedback: str | None = done[-1].feedback if done else None
    fixes: list[str] = list(done[-1].fixes) if done else []
    for number in range(len(done) + 1, session.max_turns + 1):
        session.save(update_fields=["updated_at"])  # renews the lease
        common = {
            "kind": session.kind,
            "brief": session.user_input,
            "brand": brand,
            "platform": platform,
            "max_length": platforms.max_length(platform),
            "require_cta": session.require_cta,
            "turn": number,
            "seed": f"session-{session.pk}",
            "previous_drafts": list(previous),
        }
        try:
            draft = write_draft(
                WriteRequest(
                    **common,
                    angle=session.angle or None,
                    hook_style=session.hook_style or None,
                    variant=session.variant or None,
                    feedback=feedback,
                    fixes=fixes,
                    signals=list(signals or []),
                ),
                job=job,
                task_name=f"writer, turn {number}",
                agent=writer,
            )
        except AgentCallFailed as exc:
            return _finish(
                session, job, CompletionReason.ERROR, None, error=str(exc), on_event=emit
            )
        turn = Turn.objects.create(
            session=session,
            turn_number=number,
            text=draft.text.strip(),
            angle=draft.angle,
            hook_style=draft.hook_style,
            writer_notes=draft.notes,
        )
        emit(SessionEvent("written", session, turn))
        failures = _checks(turn.text, session, brand, previous)
        try:
            verdict = review_draft(
                ReviewRequest(**common, draft=turn.text),
                job=job,
                task_name=f"reviewer, turn {number}",
                agent=reviewer,
            )
        except AgentCallFailed as exc:
            turn.check_failures = [f.as_dict() for f in failures]
            turn.save(update_fields=["check_failures"])
            return _finish(
                session, job, CompletionReason.ERROR, None, error=str(exc), on_event=emit
            )
        check_fixes = [_FIX_FOR_CHECK[f.code].format(message=f.message) for f in failures]
        turn.decision = verdict.decision
        turn.scores = verdict.scores.model_dump()
        turn.score = round(verdict.scores.average, 2)
        turn.fixes = [*check_fixes, *verdict.fixes]
        turn.check_failures = [f.as_dict() for f in failures]
        turn.approved = verdict.decision == "approve" and not failures
        turn.feedback = verdict.feedback
        if failures:
            turn.feedback += " Checks failed: " + " ".join(f.message for f in failures)
        turn.reviewed_at = timezone.now()
        turn.save()
        emit(SessionEvent("reviewed", session, turn))
        if turn.approved:
            return _finish(session, job, CompletionReason.APPROVED, turn, on_event=emit)
        previous.append(turn.text)
        feedback, fixes = turn.feedback, list(turn.fixes)
    return _finish(session, job, CompletionReason.MAX_TURNS, _best_turn(session), on_event=emit)


def _checks(
    text: str, session: IterationSession, brand: BrandContext | None, previous: list[str]
) -> list[CheckFailure]:
    return check_draft(
        text,
        platform=session.platform or None,
        require_cta=session.require_cta,
        cta_targets=brand.cta_targets if brand else [],
        banned_terms=brand.banned_terms if brand else [],
        previous_drafts=previous,
    )


def _reviewed_turns(session: IterationSession) -> list[Turn]:
    """The turns kept when a session resumes: every reviewed one (an unreviewed draft goes)."""
    session.turns.filter(reviewed_at__isnull=True).delete()
    return list(session.turns.order_by("turn_number"))


def requeue_stale_sessions(*, lease_seconds: int | None = None) -> list[int]:
    """Queue again every running session nobody has touched within the lease.

    The status flips with a conditional UPDATE, so when several workers look at
    once, each stale session is queued exactly once. Returns the session ids.
    """
    from clarion.writing.tasks import run_session_task

    lease = settings.CLARION_SESSION_LEASE_SECONDS if lease_seconds is None else lease_seconds
    cutoff = timezone.now() - timedelta(seconds=lease)
    requeued: list[int] = []
    stale = IterationSession.objects.filter(status=SessionStatus.RUNNING, updated_at__lt=cutoff)
    for session_id in stale.values_list("pk", flat=True):
        with transaction.atomic():
            claimed = IterationSession.objects.filter(
                pk=session_id, status=SessionStatus.RUNNING, updated_at__lt=cutoff
            ).update(status=SessionStatus.PENDING, updated_at=timezone.now())
            if claimed:
                run_session_task.enqueue(session_id)
                requeued.append(session_id)
    return requeued


def _best_turn(session: IterationSession) -> Turn | None:
    """The draft to keep when no turn was approved: passing checks first, then the best score."""
    turns = list(session.turns.all())
    if not turns:
        return None
    return max(turns, key=lambda t: (not t.check_failures, t.score or 0.0, -t.turn_number))


def _finish(
    session: IterationSession,
    job: Job,
    reason: CompletionReason,
    final: Turn | None,
    *,
    error: str = "",
    on_event: EventHandler | None = None,
) -> IterationSession:
    if reason == CompletionReason.ERROR and final is None:
        final = _best_turn(session) if session.pk else None
        final = final if final is not None and final.reviewed_at is not None else None
    now = timezone.now()
    session.status = SessionStatus.COMPLETED
    session.completed = True
    session.completion_reason = reason
    session.final_text = final.text if final else ""
    session.final_turn_number = final.turn_number if final else None
    session.needs_human_review = reason != CompletionReason.APPROVED
    session.error = error
    session.completed_at = now
    session.save()
    if reason == CompletionReason.ERROR:
        fail_job(job, error)
    else:
        finish_job(job)
    job.refresh_from_db()
    if on_event is not None:
        on_event(SessionEvent("completed", session, final))
    return session


def enqueue_session(**kwargs: object) -> IterationSession:
    """Store a pending session and queue it for ``clarion worker``, in one transaction."""
    from clarion.writing.tasks import run_session_task

    with transaction.atomic():
        session = start_session(**kwargs)  # type: ignore[arg-type]
        run_session_task.enqueue(session.pk)
    return session

"""The writer ↔ reviewer loop (seed 004), ended by code, never by a magic string.

A turn is approved when the reviewer's verdict is "approve" AND the
deterministic checks pass. When the turns run out, the best-scoring draft
becomes final and the session is flagged for a human look. One failing model
call ends the session with reason "error"; it never raises past the service.
"""

from __future__ import annotations

import logging
from collections.abc import Callable
from dataclasses import dataclass
from typing import Literal

from django.conf import settings
from django.db import transaction
from django.utils import timezone

from clarion.accounts.models import Workspace
from clarion.accounts.workspaces import default_workspace
from clarion.agents import llm
from clarion.agents.jobs import fail_job, finish_job, new_job, run_job, start_job
from clarion.agents.models import Agent, AgentRole, Job, RunStatus
from clarion.agents.records import Buffered
from clarion.agents.reviewer import review_draft
from clarion.agents.runtime import AgentCallFailed, NoActiveAgent, serving_agents
from clarion.agents.schemas import BrandContext, ReviewRequest, Signal, WriteRequest
from clarion.agents.writer import write_draft
from clarion.brands.models import Brand
from clarion.brands.services import brand_context
from clarion.core import platforms
from clarion.core.errors import InvalidInput
from clarion.core.inputs import within
from clarion.core.liveness import process_id
from clarion.writing.checks import CheckFailure, check_draft, validate_brief
from clarion.writing.models import (
    CompletionReason,
    IterationSession,
    SessionOrigin,
    SessionStatus,
    Turn,
)
from clarion.writing.review import merged_fixes, quality_of, recent_posts, rejection_codes

logger = logging.getLogger(__name__)

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
    "foreign_link": "rewrite: {message}",
}


def validate_max_turns(max_turns: int | None) -> int:
    value = settings.CLARION_MAX_TURNS if max_turns is None else max_turns
    return within("max_turns", value, MIN_TURNS, MAX_TURNS)


def start_session(
    *,
    brief: str,
    brand: Brand | None = None,
    workspace: Workspace | None = None,
    platform: str | None = None,
    kind: Literal["slogan", "post"] = "slogan",
    require_cta: bool | None = None,
    max_turns: int | None = None,
    angle: str = "",
    hook_style: str = "",
    variant: str = "",
    job: Job | None = None,
    origin: str = SessionOrigin.REQUEST,
    running_with: str = "",
) -> IterationSession:
    """Validate the input and store a pending session (and its Job), held by this process.

    The session is its brand's workspace's, or ``workspace``'s without a brand (the
    default workspace when neither is given, as for the terminal on a fresh home).

    ``origin`` says who wants it, which decides what happens when the process
    running it dies (see ``recover_stale_sessions``). ``running_with`` (a model's
    label): the caller runs it right away (``run_session(..., fresh=True)``), so the
    session and its job are stored running already. (No transaction of its own: a
    job left without its session by a crash in between is ended by the recovery.)
    """
    text = validate_brief(brief)
    turns = validate_max_turns(max_turns)
    if platform:
        try:
            platform = platforms.parse_platform(platform).value
        except ValueError as exc:
            raise InvalidInput("platform", str(exc)) from exc
    if origin not in SessionOrigin.values:
        raise InvalidInput("origin", f"must be one of {', '.join(SessionOrigin.values)}")
    if brand is not None:
        workspace_id = brand.workspace_id  # no query: the daily run writes many at once
    else:
        workspace_id = (workspace or default_workspace()).pk
    if origin == SessionOrigin.REQUEST and not running_with:
        # A person asked: say now that no model can answer, store nothing.
        _ensure_models_ready(workspace_id)
    if job is None:
        kind_name = "slogan" if kind == "slogan" else "post"
        begin = start_job if running_with else new_job
        job = begin(kind_name, text, workspace_id=workspace_id)
        if running_with:
            job.model_name = running_with
    return IterationSession.objects.create(
        job=job,
        brand=brand,
        workspace_id=workspace_id,
        user_input=text,
        kind=kind,
        platform=platform or "",
        require_cta=bool(require_cta) if require_cta is not None else kind == "post",
        max_turns=turns,
        angle=angle,
        hook_style=hook_style,
        variant=variant,
        origin=origin,
        runner=process_id(),
        status=SessionStatus.RUNNING if running_with else SessionStatus.PENDING,
        model_name=running_with,
    )


def _ensure_models_ready(workspace_id: int | None) -> None:
    """Raise ModelNotReady when the writer's or the reviewer's model cannot answer (no API
    key, no Ollama server), before a session that could only fail is stored."""
    try:
        writer, reviewer, _ = writing_agents(workspace_id)
    except NoActiveAgent:
        return  # run_session ends the session with the reason
    except llm.LLMConfigError as exc:
        raise llm.ModelNotReady(str(exc)) from None
    for agent in (writer, reviewer):
        llm.ensure_ready(llm.choose_model(agent.model or None))


def writing_agents(workspace_id: int | None = None) -> tuple[Agent, Agent, str]:
    """The writer and reviewer serving ``workspace_id`` (one query) and the writer's model label.

    Raises NoActiveAgent, or LLMConfigError when either's model cannot be built.
    """
    found: dict[str, Agent] = {}
    for agent in serving_agents([AgentRole.WRITER, AgentRole.REVIEWER], workspace_id):
        found.setdefault(agent.role, agent)
    for role in (AgentRole.WRITER, AgentRole.REVIEWER):
        if role not in found:
            raise NoActiveAgent(f"no active {role} agent: hire one or reactivate a fired one")
    writer, reviewer = found[AgentRole.WRITER], found[AgentRole.REVIEWER]
    for agent in (writer, reviewer):  # a model that cannot be built fails here, cleanly
        llm.get_model(llm.choose_model(agent.model or None))
    return writer, reviewer, llm.model_label(llm.choose_model(writer.model or None))


def run_session(
    session: IterationSession,
    *,
    on_event: EventHandler | None = None,
    signals: list[Signal] | None = None,
    agents: tuple[Agent, Agent, str] | None = None,
    fresh: bool = False,
) -> IterationSession:
    """Run the loop of a session to completion and return it, completed.

    A session that was interrupted (a crash, a killed worker) resumes after its
    last reviewed turn; a draft that was written but never reviewed is written again.
    ``signals`` (news, trends, yesterday's results) reach the writer as quoted data.
    ``agents``: the writer, reviewer and model label when the caller looked them up
    (``writing_agents``). ``fresh``: the caller just stored it running
    (``start_session(running_with=...)``): no earlier turns to look for.

    Each reviewed turn is stored with the records of its model calls in one
    transaction, and the session's lease is renewed before the next turn (a session
    cancelled or taken over meanwhile stops there). A session for a publication
    (never resumed: its ledger row writes a new one) keeps its turns and records in
    memory and stores them all when it ends.
    """
    emit = on_event or (lambda event: None)
    if session.status == SessionStatus.COMPLETED:
        return session
    job = session.job
    fresh_job = fresh
    if job is None:
        job = new_job(session.kind, session.user_input, workspace_id=session.workspace_id)
        session.job, fresh_job = job, True
    try:
        writer, reviewer, label = agents or writing_agents(session.workspace_id)
    except (NoActiveAgent, llm.LLMConfigError) as exc:
        return _finish(session, job, CompletionReason.ERROR, None, error=str(exc), on_event=emit)
    if not fresh:
        run_job(job, model_name=label)
        session.status, session.model_name = SessionStatus.RUNNING, label
        session.runner = process_id()
        session.save(update_fields=["status", "model_name", "job", "runner", "updated_at"])
    emit(SessionEvent("started", session))
    done = [] if fresh else _reviewed_turns(session)
    if done and done[-1].approved:
        return _finish(session, job, CompletionReason.APPROVED, done[-1], on_event=emit)

    recorder = Buffered(job, fresh_job=fresh_job)
    at_end = session.origin == SessionOrigin.PUBLICATION
    kept: list[Turn] = []  # reviewed turns not stored yet
    reviewed: list[Turn] = []  # every turn reviewed in this run
    brand = brand_context(session.brand) if session.brand else None
    platform = session.platform or None
    previous = [t.text for t in done]
    recent = recent_posts(session)
    feedback: str | None = done[-1].feedback if done else None
    fixes: list[str] = list(done[-1].fixes) if done else []
    for number in range(len(done) + 1, session.max_turns + 1):
        if reviewed and not at_end and not _renew_lease(session):
            return _released(session)  # cancelled or taken over since the last turn
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
                    recent_posts=recent if number > 1 else [],
                    signals=list(signals or []),
                ),
                job=job,
                task_name=f"writer, turn {number}",
                agent=writer,
                recorder=recorder,
            )
        except AgentCallFailed as exc:
            return _finish(
                session, job, CompletionReason.ERROR, None, error=str(exc), on_event=emit,
                recorder=recorder, kept=kept, candidates=[*done, *reviewed],
            )  # fmt: skip
        turn = Turn(
            session=session,
            turn_number=number,
            text=draft.text.strip(),
            angle=draft.angle,
            hook_style=draft.hook_style,
            writer_notes=draft.notes,
            poll=draft.poll.model_dump() if draft.poll else None,
        )
        emit(SessionEvent("written", session, turn))
        failures = _checks(turn.text, session, brand, previous)
        issues = quality_of(turn.text, session, brand, draft.poll, recent, signals)
        try:
            verdict = review_draft(
                ReviewRequest(
                    **common,
                    draft=turn.text,
                    poll=draft.poll,
                    angle=session.angle or None,
                    hook_style=session.hook_style or None,
                    recent_posts=recent,
                ),
                job=job,
                task_name=f"reviewer, turn {number}",
                agent=reviewer,
                recorder=recorder,
            )
        except AgentCallFailed as exc:
            return _finish(
                session, job, CompletionReason.ERROR, None, error=str(exc), on_event=emit,
                recorder=recorder, kept=kept, candidates=[*done, *reviewed],
            )  # fmt: skip
        check_fixes = [_FIX_FOR_CHECK[f.code].format(message=f.message) for f in failures]
        turn.decision = verdict.decision
        turn.scores = verdict.scores.model_dump()
        turn.score = round(verdict.scores.average, 2)
        turn.fixes = merged_fixes(check_fixes, issues, verdict.fixes)
        turn.check_failures = [f.as_dict() for f in failures]
        turn.approved = verdict.decision == "approve" and not failures and not issues
        if not turn.approved:
            turn.rejection_codes = rejection_codes(failures, issues, verdict.fixes)
        turn.feedback = verdict.feedback
        if failures:
            turn.feedback += " Checks failed: " + " ".join(f.message for f in failures)
        if issues:
            turn.feedback += " Quality: " + " ".join(i.message for i in issues[:4])
        turn.reviewed_at = timezone.now()
        kept.append(turn)
        reviewed.append(turn)
        if not at_end and not (turn.approved or number == session.max_turns):
            _store_turns(kept, recorder)
        emit(SessionEvent("reviewed", session, turn))
        if turn.approved:
            return _finish(
                session, job, CompletionReason.APPROVED, turn, on_event=emit,
                recorder=recorder, kept=kept,
            )  # fmt: skip
        previous.append(turn.text)
        feedback, fixes = turn.feedback, list(turn.fixes)
    return _finish(
        session, job, CompletionReason.MAX_TURNS, _best_of([*done, *reviewed]), on_event=emit,
        recorder=recorder, kept=kept,
    )  # fmt: skip


def _store_turns(kept: list[Turn], recorder: Buffered) -> None:
    """Store the reviewed turns and their calls' records in one transaction."""
    with transaction.atomic():
        Turn.objects.bulk_create(kept)
        recorder.flush()
    kept.clear()


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
        allowed_domains=session.brand.domains if session.brand else [],
    )


def _reviewed_turns(session: IterationSession) -> list[Turn]:
    """The turns kept when a session resumes: every reviewed one (an unreviewed draft goes)."""
    session.turns.filter(reviewed_at__isnull=True).delete()
    return list(session.turns.order_by("turn_number"))


def _renew_lease(session: IterationSession) -> bool:
    """Renew the session's lease, if this process still holds it and it is still running."""
    now = timezone.now()
    renewed = IterationSession.objects.filter(
        pk=session.pk, runner=session.runner, status=SessionStatus.RUNNING
    ).update(updated_at=now)
    session.updated_at = now
    return bool(renewed)


def _released(session: IterationSession) -> IterationSession:
    """The session as another process left it (cancelled, or resumed elsewhere)."""
    session.refresh_from_db()
    return session


def _best_turn(session: IterationSession) -> Turn | None:
    """The draft to keep when no turn was approved: passing checks first, then the best score."""
    return _best_of(list(session.turns.all()))


def _best_of(turns: list[Turn]) -> Turn | None:
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
    recorder: Buffered | None = None,
    kept: list[Turn] | None = None,
    candidates: list[Turn] | None = None,
) -> IterationSession:
    """End the session: its last turns, its calls' records, the session and the job, in
    one transaction."""
    if reason == CompletionReason.ERROR and final is None:
        if candidates is not None:
            final = _best_of(candidates)
        else:
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
    failed = reason == CompletionReason.ERROR
    ending = {
        "status": RunStatus.FAILED if failed else RunStatus.SUCCEEDED,
        "error": error if failed else "",
        "finished_at": now,
    }
    with transaction.atomic():
        if kept:
            Turn.objects.bulk_create(kept)
            kept.clear()
        session.save()
        if recorder is not None:
            recorder.flush(**ending)
        elif failed:
            fail_job(job, error)
        else:
            finish_job(job)
    for name, value in ending.items():
        setattr(job, name, value)
    if on_event is not None:
        on_event(SessionEvent("completed", session, final))
    return session


def end_with_error(session: IterationSession, *, error: str) -> IterationSession:
    """End a session that will not run again with reason ``error``, keeping its best reviewed draft."""
    job = session.job or new_job(
        session.kind, session.user_input, workspace_id=session.workspace_id
    )
    return _finish(session, job, CompletionReason.ERROR, None, error=error)


def end_after_error(session: IterationSession, exc: BaseException) -> None:
    """End a session whose run raised ``exc`` (a bug, a lost database) instead of leaving it running.

    Best effort: when the database is what failed, recovery ends it later.
    """
    try:
        session.refresh_from_db()
        if session.status != SessionStatus.COMPLETED:
            end_with_error(
                session, error=f"stopped by an unexpected error: {type(exc).__name__}: {exc}"
            )
    except Exception:
        logger.exception("could not end session %s after an error", session.pk)


def enqueue_session(**kwargs: object) -> IterationSession:
    """Store a pending session and queue it for ``clarion worker``, in one transaction."""
    from clarion.writing.tasks import run_session_task

    with transaction.atomic():
        session = start_session(**kwargs)  # type: ignore[arg-type]
        run_session_task.enqueue(session.pk)
    return session

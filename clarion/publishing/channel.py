"""The channel agent: takes a signed package from the orchestrator and writes the post.

It refuses any package whose HMAC signature does not match (unsigned, tampered
with, or signed with another key), so nothing but the orchestrator can give it
work; a package also carries a nonce and an expiry, and is taken once: a replay
or a stale package is refused. The post is written by the writer ↔ reviewer
loop; news, trends and yesterday's results travel as quoted data
(``WriteRequest.signals``), never in the brief. The draft is then checked by code
(``hard_checks``: length for the network, a call to action, banned terms); a post
that fails is never published, and one the reviewer did not approve waits for a
person.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import datetime
from typing import Any

from django.conf import settings
from django.utils import timezone

from clarion.agents.models import Agent
from clarion.agents.runtime import NoActiveAgent
from clarion.agents.schemas import Signal
from clarion.brands.models import Brand
from clarion.core.errors import LLMConfigError
from clarion.publishing import signing
from clarion.publishing.models import DailyContentPackage
from clarion.writing.checks import MAX_BRIEF_CHARS, CheckFailure, check_draft
from clarion.writing.models import CompletionReason
from clarion.writing.services import run_session, start_session, writing_agents

PACKAGE_VERSION = 2


@dataclass(frozen=True)
class WrittenPost:
    text: str
    content_hash: str
    valid: bool
    failures: list[dict[str, Any]] = field(default_factory=list)
    session_id: int | None = None
    approved: bool = False
    review_note: str = ""


def compose_brief(payload: dict[str, Any]) -> str:
    """The writer's brief from the slot and the plan's guidelines (signals stay out of it)."""
    slot: dict[str, Any] = payload["slot"]
    guidelines: dict[str, Any] = payload.get("guidelines") or {}
    lines = [
        f"A {payload['network']} post about {slot.get('topic') or slot['pillar']}.",
        f"Content pillar: {slot['pillar']}. Angle: {slot.get('angle', '')}. "
        f"Hook: {slot.get('hook', '')}. Format: {slot.get('format', 'text')}.",
    ]
    if slot.get("cta"):
        lines.append(f"Call to action: {slot['cta']}.")
    if guidelines.get("tone"):
        lines.append(f"Tone: {guidelines['tone']}.")
    if guidelines.get("do"):
        lines.append("Do: " + "; ".join(str(x) for x in guidelines["do"]) + ".")
    if guidelines.get("dont"):
        lines.append("Don't: " + "; ".join(str(x) for x in guidelines["dont"]) + ".")
    brief = "\n".join(lines)
    return brief if len(brief) <= MAX_BRIEF_CHARS else brief[: MAX_BRIEF_CHARS - 1] + "…"


def hard_checks(
    text: str, *, brand: Brand, network: str, slot: dict[str, Any], guidelines: dict[str, Any]
) -> list[CheckFailure]:
    """The rules a post must pass to be published: run when it is written and again on the
    exact text at the moment it is sent."""
    cta_targets = [*brand.cta_targets, *([slot["cta"]] if slot.get("cta") else [])]
    banned = [*brand.banned_terms, *(guidelines.get("banned_terms") or [])]
    return check_draft(
        text,
        platform=network,
        require_cta=True,
        cta_targets=cta_targets,
        banned_terms=banned,
        previous_drafts=[],
        allowed_domains=list(brand.domains),
    )


def take_package(package: DailyContentPackage, *, now: datetime | None = None) -> None:
    """Accept a package once: signed by the orchestrator, not expired, never taken before.

    Raises ``signing.PackageRefused`` (before any work is done) otherwise.
    """
    signing.verify(package.payload, package.signature)
    payload = package.payload
    nonce, expires = payload.get("nonce"), payload.get("expires_at")
    if not isinstance(nonce, str) or not nonce or not isinstance(expires, str):
        raise signing.PackageRefused("the package has no nonce or expiry")
    now = now or timezone.now()
    try:
        expired = datetime.fromisoformat(expires) <= now
    except ValueError:
        raise signing.PackageRefused("the package's expiry is not a time") from None
    if expired:
        raise signing.PackageRefused(f"the package expired at {expires}")
    taken = DailyContentPackage.objects.filter(
        pk=package.pk, nonce=nonce, consumed_at__isnull=True
    ).update(consumed_at=now)
    if not taken:
        raise signing.PackageRefused("the package was used before (a replay)")


def write_post(
    package: DailyContentPackage,
    *,
    brand: Brand | None = None,
    agents: tuple[Agent, Agent, str] | None = None,
) -> WrittenPost:
    """Take the package, write the post through the writer ↔ reviewer loop, check it.

    Raises ``signing.PackageRefused`` before any work when the package is not one the
    orchestrator signed for this use. ``approved`` is True only when the reviewer
    approved the text and every hard check passed.
    """
    take_package(package)
    payload = package.payload
    if brand is None or brand.pk != payload["brand_id"]:  # the signed id decides
        brand = Brand.objects.get(pk=payload["brand_id"])
    if agents is not None and agents[0].workspace_id not in (None, brand.workspace_id):
        agents = None  # another workspace's team: never write with it
    slot: dict[str, Any] = payload["slot"]
    guidelines: dict[str, Any] = payload.get("guidelines") or {}
    signals = [Signal.model_validate(s) for s in payload.get("signals", [])]
    if agents is None:
        try:
            agents = writing_agents(brand.workspace_id)
        except (NoActiveAgent, LLMConfigError):
            agents = None  # run_session ends the session with the reason
    session = start_session(
        brief=compose_brief(payload),
        brand=brand,
        platform=payload["network"],
        kind="post",
        require_cta=True,
        max_turns=settings.CLARION_MAX_TURNS,
        angle=str(slot.get("angle", ""))[:200],
        hook_style=str(slot.get("hook", ""))[:200],
        origin="publication",
        running_with=agents[2] if agents else "",
    )
    session = run_session(session, signals=signals, agents=agents, fresh=agents is not None)
    text = session.final_text.strip()
    failures = [
        f.as_dict()
        for f in hard_checks(
            text, brand=brand, network=payload["network"], slot=slot, guidelines=guidelines
        )
    ]
    if session.completion_reason in (CompletionReason.ERROR, CompletionReason.CANCELLED):
        failures.append({"code": "writer_error", "message": session.error or "the writer failed"})
    valid = bool(text) and not failures
    return WrittenPost(
        text=text,
        content_hash=signing.content_hash(text),
        valid=valid,
        failures=failures,
        session_id=session.pk,
        approved=valid and session.completion_reason == CompletionReason.APPROVED,
        review_note=_review_note(session),
    )


def _review_note(session: Any) -> str:
    """Why the reviewer did not approve: the last turn's feedback, in words."""
    if session.completion_reason == CompletionReason.APPROVED:
        return ""
    last = session.turns.order_by("-turn_number").first()
    feedback = (last.feedback if last is not None else "").strip()
    turns = session.max_turns
    why = f"the reviewer did not approve it in {turns} turn(s)"
    return f"{why}: {feedback}" if feedback else why
